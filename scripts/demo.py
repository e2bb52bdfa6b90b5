"""Build the demo of the founding case in an Odoo database and export its carbon register.

A "double-carbon lychee" company in Guangdong buys fertiliser, diesel, electricity, boxes,
bottles, cold-chain freight and lychee-wood fuel; the curated factor set of ``data/`` is
imported through the addon's CSV import; vendors declare their own carbon where they can.
Goods are received into stock (their upstream carbon into inventory), services and energy are
billed (carbon into the overhead pool), broken bottles are scrapped (carbon written off), diesel
burnt, urea applied and lychee wood burnt in the kiln are booked as direct emissions by their use
factors, and the biochar of the kiln is a verified E-asset in the removal register (apart from the
emissions, never netted).

Run by ``make demo`` (see README): ``python3 scripts/demo.py -c ODOO_CONF -d DB --out DIR``.
"""
import argparse
import base64
import sys
from datetime import date, timedelta
from pathlib import Path

import odoo.init  # noqa: F401  (Odoo's start-up: monkey patches, odoo.Command, ...)
from odoo import Command
from odoo.api import SUPERUSER_ID, Environment
from odoo.modules.registry import Registry
from odoo.tools import config

ROOT = Path(__file__).resolve().parent.parent
FACTORS_CSV = ROOT / "data" / "emission_factors" / "core_factors.csv"


def build(env, today):
    company = env.company
    cny, usd = env.ref("base.CNY"), env.ref("base.USD")
    (cny | usd).active = True
    company.write({"name": "Double-Carbon Lychee Co. (demo)", "country_id": env.ref("base.cn").id,
                   "currency_id": cny.id})
    # A demo exchange rate (USD per CNY), not a market quotation.
    env["res.currency.rate"].create({"name": today.replace(month=1, day=1), "rate": 0.14,
                                     "currency_id": usd.id, "company_id": company.id})

    factors = env["carbon.factor.import.wizard"]._import_csv(FACTORS_CSV.read_bytes())
    factor = {f.code: f for f in factors}
    uom = {x: env.ref(f"uom.product_uom_{x}") for x in ("unit", "kgm", "litre")}
    kwh, tkm = env.ref("carbon_accounting.uom_kwh"), env.ref("carbon_accounting.uom_tkm")

    Category = env["product.category"]
    farm = Category.create({"name": "Orchard inputs"})
    fertilisers = Category.create({"name": "Fertilisers", "parent_id": farm.id})
    services = Category.create({"name": "Orchard services",
                                "carbon_factor_id": factor["US_EPA_SCEF_V1_2.NAICS_111339"].id})

    def product(name, unit, categ=farm, carbon=None, **vals):
        return env["product.product"].create({
            "name": name, "uom_id": unit.id, "categ_id": categ.id, "purchase_ok": True,
            "carbon_factor_id": factor[carbon].id if carbon else False, **vals,
        })

    stock = {"is_storable": True}
    # Fuels and fertiliser are stored and carry their upstream carbon (declared by the vendor); burning
    # or applying them is the company's own Scope 1, through their use factors, when they are used up.
    urea = product("Urea fertiliser (46% N)", uom["kgm"], fertilisers,
                   carbon_use_factor_id=factor["IPCC2006.FERT.UREA.CO2"].id, **stock)
    diesel = product("Diesel for orchard machinery", uom["litre"], weight=0.84,  # kg per litre: the per-kg
                     carbon_use_factor_id=factor["IPCC2006.DIESEL.STATIONARY"].id, **stock)  # factor applies
    power = product("Grid electricity (cold store)", kwh, carbon="CN.GRID.2023")
    boxes = product("Corrugated lychee box", uom["unit"], carbon="UK_DESNZ_2025.MATERIAL.PAPER_BOARD", weight=0.35,
                    **stock)
    bottles = product("Lychee wine bottle 750 ml", uom["unit"], carbon="UK_DESNZ_2025.MATERIAL.GLASS", weight=0.45,
                      **stock)
    freight = product("Cold-chain trucking", tkm, carbon="UK_DESNZ_2025.FREIGHT.HGV_REEFER.AVG_LADEN", type="service")
    wood = product("Lychee-wood fuel (for biochar kiln)", uom["kgm"],
                   carbon_use_factor_id=factor["IPCC2006.WOOD.STATIONARY"].id, **stock)
    pruning = product("Orchard pruning service", uom["unit"], services, type="service")
    frames = product("Beehive frames", uom["unit"], **stock)  # no factor: shows up unassessed

    Partner = env["res.partner"]
    agri = Partner.create({"name": "Maoming Agri Supplies", "country_id": env.ref("base.cn").id})
    glass_green = Partner.create({"name": "Guangzhou Green Glassworks", "country_id": env.ref("base.cn").id})
    glass_std = Partner.create({"name": "Foshan Bottle Co.", "country_id": env.ref("base.cn").id})
    pack = Partner.create({"name": "Dongguan Packaging", "country_id": env.ref("base.cn").id})
    logistics = Partner.create({"name": "Pearl River Cold Chain", "country_id": env.ref("base.cn").id})
    utility = Partner.create({"name": "Guangdong Power Grid", "country_id": env.ref("base.cn").id})
    # Upstream (cradle-to-gate) carbon the vendors declare: demo figures, not published ones.
    demo_declaration = {"carbon_data_quality": "estimate", "carbon_evidence_filename": "demo-figure.txt",
                        "carbon_evidence": base64.b64encode(b"Demo figure: not a published or verified value.")}
    env["product.supplierinfo"].create([
        dict(demo_declaration, partner_id=agri.id, product_tmpl_id=urea.product_tmpl_id.id, price=2.4,
             carbon_intensity=1.9),
        dict(demo_declaration, partner_id=agri.id, product_tmpl_id=diesel.product_tmpl_id.id, price=7.9,
             carbon_intensity=0.6),
        dict(demo_declaration, partner_id=logistics.id, product_tmpl_id=wood.product_tmpl_id.id, price=0.5,
             carbon_intensity=0.05),
        {"partner_id": glass_green.id, "product_tmpl_id": bottles.product_tmpl_id.id, "price": 2.6,
         "carbon_intensity": 0.41, "carbon_data_quality": "verified"},
        {"partner_id": glass_std.id, "product_tmpl_id": bottles.product_tmpl_id.id, "price": 2.1},
        {"partner_id": pack.id, "product_tmpl_id": boxes.product_tmpl_id.id, "price": 1.8,
         "carbon_intensity": 0.38, "carbon_data_quality": "primary"},
    ])

    def order(partner, lines, days_ago, confirm=True):
        po = env["purchase.order"].create({
            "partner_id": partner.id, "date_order": today - timedelta(days=days_ago),
            "order_line": [Command.create({"product_id": p.id, "product_qty": q, "price_unit": price})
                           for p, q, price in lines],
        })
        if confirm:
            po.button_confirm()
        return po

    orders = [
        order(agri, [(urea, 500, 2.4), (diesel, 300, 7.9), (frames, 40, 12.0), (pruning, 10, 350.0)], 60),
        order(utility, [(power, 12000, 0.65)], 45),
        order(pack, [(boxes, 5000, 1.8)], 30),
        order(logistics, [(freight, 8400, 0.9), (wood, 2000, 0.5)], 20),
        order(glass_green, [(bottles, 3000, 2.6)], 10),
        # two RFQs for the same bottles, to compare vendors by carbon
        order(glass_green, [(bottles, 6000, 2.6)], 2, confirm=False),
        order(glass_std, [(bottles, 6000, 2.1)], 2, confirm=False),
    ]
    for po in orders:
        for picking in po.picking_ids:  # goods arrive: their carbon enters inventory
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            picking._action_done()
        if po.state == "purchase" and any(not p.is_storable for p in po.order_line.product_id):
            po.action_create_invoice()  # energy, fuel and services: their carbon enters the pool
    bills = orders[0].invoice_ids | orders[1].invoice_ids | orders[3].invoice_ids
    bills.write({"invoice_date": today})
    bills.action_post()
    env["stock.scrap"].create({
        "product_id": bottles.id, "scrap_qty": 24, "product_uom_id": uom["unit"].id,
    }).action_validate()  # breakage: written off
    # Used up: diesel burnt by the orchard machinery, urea applied to the fields, lychee wood burnt in the
    # kiln. Their upstream carbon leaves inventory into the overhead pool; burning and applying them is
    # booked as direct emissions (Scope 1) by their use factors, the wood's CO2 as a biogenic memo.
    Location = env["stock.location"]
    orchard = Location.create({"name": "Orchard: machinery and fields", "usage": "production",
                               "company_id": company.id})
    kiln = Location.create({"name": "Biochar kiln", "usage": "production", "company_id": company.id})
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    for destination, lines in ((orchard, [(diesel, 200), (urea, 400)]), (kiln, [(wood, 2000)])):
        picking = env["stock.picking"].create({
            "picking_type_id": warehouse.int_type_id.id, "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": destination.id,
            "move_ids": [Command.create({"product_id": p.id, "product_uom_qty": q, "product_uom": p.uom_id.id,
                                         "location_id": warehouse.lot_stock_id.id,
                                         "location_dest_id": destination.id}) for p, q in lines],
        })
        picking.action_confirm()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking._action_done()
    # The lychee wood burnt in the kiln leaves biochar worked into the orchard soil: an E-asset in the
    # removal register, apart from the E-liability ledger and never netted against it. A demo figure,
    # verified by a demo statement: neither is a measured or certified one.
    env["carbon.removal"].create({
        "name": "Biochar from 2,000 kg of lychee wood, applied to the orchard (demo figure)",
        "method": "biochar", "origin": "generated", "tonnes": 1.1, "removal_date": today,
        "vintage": today.year, "durability_years": 100, "buffer_percent": 10.0, "product_id": wood.id,
        "verifier_id": Partner.create({"name": "Demo Verifier (not a real verification body)"}).id,
        "verification_statement": base64.b64encode(
            b"DEMO DOCUMENT - not a real verification statement.\n"
            b"Biochar from 2,000 kg of lychee wood: 1.1 tCO2e (demo figure).\n"),
        "verification_statement_name": "DEMO DOCUMENT - biochar verification statement.txt",
        "notes": "Demo figure: not a measured or certified removal.",
    }).action_mark_verified()
    return factors, orders


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        today = date.today()
        factors, orders = build(env, today)
        env.flush_all()
        args.out.mkdir(parents=True, exist_ok=True)
        target = args.out / "carbon_register.xlsx"
        target.write_bytes(env["carbon.register.report"]._render_xlsx())
        confirmed = [o for o in orders if o.state == "purchase"]
        print(f"Imported {len(factors)} emission factors from {FACTORS_CSV.relative_to(ROOT)}")
        for o in orders:
            print(f"  {o.name:<8} {o.partner_id.name:<28} {o.state:<9} {o.carbon_amount:>12,.3f} kgCO2e"
                  f"  ({o.carbon_state})")
        print(f"Confirmed purchases: {sum(o.carbon_amount for o in confirmed):,.3f} kgCO2e")
        check = env["carbon.conservation.wizard"].create({})
        check.action_check()
        print(f"E-liability ledger: {check.inventory:,.3f} kgCO2e in inventory, {check.unallocated_pool:,.3f} in the "
              f"overhead pool, {check.written_off:,.3f} written off; conserved: {check.is_balanced}")
        print(f"Removal register, apart: {check.removals_verified_held:,.3f} tCO2e verified E-assets held "
              f"({check.removals_verified_net:,.3f} net of the reversal-risk buffer)")
        print(f"Wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
