"""Build the founding case, a year of a "double-carbon lychee" company, and write its reports.

A lychee orchard in Maoming, Guangdong, lives through the previous calendar year, every document
dated on its day (the clock is set to each day with freezegun), so that the reports cover a closed
year:

- orchard inputs: urea applied to the fields and diesel burnt by the machinery, both received into
  stock with their vendor-declared upstream carbon and booked as direct emissions (Scope 1) by their
  use factors when used up; a pruning service billed (spend-based); beehive frames with no factor
  (an unassessed line, never a zero);
- electricity for the cold store under a green-power contract: the ledger books the market-based
  figure from the contract's declared factor, each line keeping the location-based figure from the
  company's grid factor (the MEE/NBS Chinese average);
- honey and the lychee harvest made in manufacturing orders (``carbon_accounting_mrp``), the harvest
  with the prunings as a by-product; the orchard's overhead pool of the first half-year allocated to
  what was made, following the fruit into what is made from it;
- lychee wine made from fruit, bottles and cartons; fresh lychees packed in boxes; the prunings burnt
  in a kiln to make biochar (their CH4 and N2O in Scope 1, their CO2 a biogenic memo, by the wood's
  use factor); the biochar worked into the orchard soil, a verified E-asset in the removal register,
  apart from the ledger and never netted;
- cold-chain freight; sales delivered from stock to a Guangzhou hotel (invoiced in CNY) and to an
  export customer (invoiced in USD), the second half-year's pool allocated to those deliveries, so
  each customer receives the E-liability it must book as acquired; breakage and spoilage written off.

Figures come from the cited factor set of ``data/`` (see data/README.md) where it has them; every
other figure (vendor declarations, the contract factor, quantities, prices, yields, the exchange
rate, the removal) is invented and labelled "demo figure".

It writes to ``--out``: the GHG inventory and the E-liability statement of the year (XLSX and PDF),
the cradle-to-gate footprint per unit of each product made (XLSX), the carbon register (XLSX) and,
once the year is committed, the auditor's evidence pack of the year (XLSX).
Run by ``make demo`` (see README):
``python3 scripts/demo.py -c ODOO_CONF -d DB --out DIR``.
"""

# A command-line program: what it prints is its result.
# pylint: disable=print-used
import argparse
import base64
import json
import shutil
import socket
import sys
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import requests
from freezegun import freeze_time

import odoo.http
import odoo.init  # noqa: F401  (Odoo's start-up: monkey patches, odoo.Command, ...)
from odoo import Command
from odoo.api import SUPERUSER_ID, Environment
from odoo.modules.registry import Registry
from odoo.service import server
from odoo.tests import Form
from odoo.tools import config

ROOT = Path(__file__).resolve().parent.parent
FACTORS_CSV = ROOT / "data" / "emission_factors" / "core_factors.csv"
DEMO = "demo figure"
#: USD per CNY for the year: a demo figure, not a market quotation.
USD_PER_CNY = 0.14
#: kWh of the cold store and the packing house per month (demo figures): the harvest season peaks.
POWER_KWH = (3000, 3000, 3500, 4000, 6000, 12000, 14000, 12000, 8000, 5000, 3500, 3000)


class Demo:
    """The year told step by step; ``self.day(month, day)`` sets the clock to that day of the year."""

    def __init__(self, env, year):
        self.env, self.year = env, year
        self.company = env.company
        self.facts = []  # (what, figure, origin) printed at the end

    def day(self, month, day):
        return freeze_time(datetime(self.year, month, day, 10, 0))

    def date(self, month, day):
        return date(self.year, month, day)

    # ------------------------------------------------------------------ set-up

    def setup(self):
        env, company = self.env, self.env.company
        self.cny, self.usd = env.ref("base.CNY"), env.ref("base.USD")
        (self.cny | self.usd).active = True
        company.write({"name": "Double-Carbon Lychee Co. (demo)", "country_id": env.ref("base.cn").id,
                       "currency_id": self.cny.id})
        env["res.currency.rate"].create({"name": self.date(1, 1), "rate": USD_PER_CNY,
                                         "currency_id": self.usd.id, "company_id": company.id})
        self.factors = env["carbon.factor.import.wizard"]._import_csv(FACTORS_CSV.read_bytes())
        factor = {f.code: f for f in self.factors}
        kwh = env.ref("carbon_accounting.uom_kwh")
        # Location-based Scope 2: the national average of the MEE/NBS, the newest published (2023).
        company.carbon_grid_factor_id = factor["CN.GRID.2023"]
        # Market-based: the green-power contract's declared factor (a demo figure, not a published one).
        self.contract = env["carbon.emission.factor"].create({
            "name": f"Green-power contract, Guangdong Power Grid ({DEMO})", "code": "DEMO.GREEN_POWER_CONTRACT",
            "source": f"Supplier contract declaration ({DEMO})", "basis": "physical", "uom_id": kwh.id,
            "value": 0.08, "scope": "2", "company_id": company.id,
            "notes": "Demo figure: the residual emissions a green-power contract might declare, not a real contract.",
        })
        self.facts += [
            ("Grid factor (location-based)", f"{factor['CN.GRID.2023'].value} kgCO2/kWh", "CN.GRID.2023, MEE/NBS"),
            ("Green-power contract (market-based)", "0.08 kgCO2e/kWh", DEMO),
            ("Exchange rate", f"{USD_PER_CNY} USD per CNY", DEMO),
            ("Use factors: urea CO2, diesel and wood burnt (wood CO2 a biogenic memo)", "",
             "IPCC 2006 Guidelines, data/emission_factors"),
            ("Goods: paper board, glass, refrigerated trucking", "", "UK DESNZ 2025, data/emission_factors"),
            ("Orchard services, spend-based", "", "US EPA SCEF v1.2 NAICS 111339, data/emission_factors"),
            ("Diesel density 0.84 kg/L (the IPCC factor is per kg)", "", DEMO),
        ]

        Category = env["product.category"]
        avco = {"property_cost_method": "average"}
        inputs = Category.create({"name": "Orchard inputs", **avco})
        produce = Category.create({"name": "Orchard produce", **avco})
        # what is sold, each in a category of its own: the labels grade against a benchmark per category
        self.honey_categ, self.wine_categ, self.boxed_categ = (
            Category.create({"name": name, "parent_id": produce.id, **avco})
            for name in ("Honey", "Fruit wine", "Fresh fruit, boxed"))
        services = Category.create({"name": "Orchard services",
                                    "carbon_factor_id": factor["US_EPA_SCEF_V1_2.NAICS_111339"].id})
        uom = {x: env.ref(f"uom.product_uom_{x}") for x in ("unit", "kgm", "litre")}
        tkm = env.ref("carbon_accounting.uom_tkm")

        def product(name, unit, categ=inputs, carbon=None, use=None, **vals):
            return env["product.product"].create({
                "name": name, "uom_id": unit.id, "categ_id": categ.id,
                "carbon_factor_id": factor[carbon].id if carbon else False,
                "carbon_use_factor_id": factor[use].id if use else False, **vals,
            })

        stored = {"is_storable": True}
        self.urea = product("Urea fertiliser (46% N)", uom["kgm"], use="IPCC2006.FERT.UREA.CO2", **stored)
        # 0.84 kg per litre (a demo figure): the IPCC factor is per kg of diesel
        self.diesel = product("Diesel for orchard machinery", uom["litre"], use="IPCC2006.DIESEL.STATIONARY",
                              weight=0.84, **stored)
        self.frames = product("Beehive frames", uom["unit"], **stored)  # no factor: unassessed
        self.boxes = product("Corrugated lychee box", uom["unit"], carbon="UK_DESNZ_2025.MATERIAL.PAPER_BOARD",
                             weight=0.35, **stored)
        self.bottles = product("Lychee wine bottle 750 ml", uom["unit"], carbon="UK_DESNZ_2025.MATERIAL.GLASS",
                               weight=0.45, **stored)
        self.power = product("Electricity, green-power contract (cold store)", kwh, type="service")
        self.power.carbon_factor_id = self.contract
        # the kiln's own sub-meter, billed apart: the carbon-inclusion project's monitoring reads it
        self.kiln_power = product("Electricity, green-power contract (biochar kiln sub-meter)", kwh, type="service")
        self.kiln_power.carbon_factor_id = self.contract
        self.freight = product("Cold-chain trucking", tkm, carbon="UK_DESNZ_2025.FREIGHT.HGV_REEFER.AVG_LADEN",
                               type="service")
        self.pruning = product("Orchard pruning service", uom["unit"], services, type="service")
        sold = {"sale_ok": True, **stored}
        self.fruit = product("Fresh lychees (Feizixiao)", uom["kgm"], produce, weight=1.0, **sold)
        self.prunings = product("Lychee prunings (kiln wood)", uom["kgm"], produce, use="IPCC2006.WOOD.STATIONARY",
                                weight=1.0, **stored)
        self.honey = product("Lychee honey", uom["kgm"], self.honey_categ, weight=1.0, **sold)
        self.wine = product("Lychee wine 750 ml", uom["unit"], self.wine_categ, weight=1.3, **sold)
        self.boxed = product("Fresh lychees, 5 kg box", uom["unit"], self.boxed_categ, weight=5.35, **sold)
        self.biochar = product("Lychee-wood biochar", uom["kgm"], produce, weight=1.0, **stored)

        Partner = env["res.partner"]
        cn = env.ref("base.cn").id
        self.agri = Partner.create({"name": "Maoming Agri Supplies", "country_id": cn})
        self.glass_green = Partner.create({"name": "Guangzhou Green Glassworks", "country_id": cn})
        self.glass_std = Partner.create({"name": "Foshan Bottle Co.", "country_id": cn})
        self.beekeeping = Partner.create({"name": "Maoming Beekeeping Co-op", "country_id": cn})
        self.pack = Partner.create({"name": "Dongguan Packaging", "country_id": cn})
        self.logistics = Partner.create({"name": "Pearl River Cold Chain", "country_id": cn})
        self.utility = Partner.create({"name": "Guangdong Power Grid (green-power contract)", "country_id": cn})
        self.pruners = Partner.create({"name": "Gaozhou Orchard Services", "country_id": cn})
        self.hotel = Partner.create({"name": "Guangzhou Riverside Hotel (demo customer)", "country_id": cn})
        self.export = Partner.create({"name": "Lion City Fine Foods Pte Ltd (demo export customer)",
                                      "country_id": env.ref("base.sg").id})
        # Upstream (cradle-to-gate) carbon the vendors declare: demo figures, not published ones.
        declared = {"carbon_data_quality": "estimate", "carbon_evidence_filename": "demo-figure.txt",
                    "carbon_evidence": base64.b64encode(b"Demo figure: not a published or verified value.")}
        env["product.supplierinfo"].create([
            dict(declared, partner_id=self.agri.id, product_tmpl_id=self.urea.product_tmpl_id.id, price=2.4,
                 carbon_intensity=1.9),
            dict(declared, partner_id=self.agri.id, product_tmpl_id=self.diesel.product_tmpl_id.id, price=7.9,
                 carbon_intensity=0.6),
            {"partner_id": self.glass_green.id, "product_tmpl_id": self.bottles.product_tmpl_id.id, "price": 2.6,
             "carbon_intensity": 0.41, "carbon_data_quality": "verified"},
            {"partner_id": self.glass_std.id, "product_tmpl_id": self.bottles.product_tmpl_id.id, "price": 2.1},
            {"partner_id": self.pack.id, "product_tmpl_id": self.boxes.product_tmpl_id.id, "price": 1.8,
             "carbon_intensity": 0.38, "carbon_data_quality": "primary"},
        ])
        self.facts += [
            ("Vendor declarations: urea 1.9, diesel 0.6 kgCO2e per unit (estimates)", "", DEMO),
            ("Vendor declarations: bottles 0.41 (verified), boxes 0.38 (primary) kgCO2e per unit", "", DEMO),
        ]
        Location = env["stock.location"]
        self.warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        self.stock = self.warehouse.lot_stock_id
        self.orchard = Location.create({"name": "Orchard: machinery and fields", "usage": "production",
                                        "company_id": company.id})
        self.customers = env.ref("stock.stock_location_customers")
        self.orders, self.bills = env["purchase.order"], env["account.move"]

    # ------------------------------------------------------------------ documents

    def purchase(self, partner, lines, confirm=True):
        """A purchase order of [(product, qty, price)], confirmed and received today."""
        po = self.env["purchase.order"].create({
            "partner_id": partner.id, "date_order": datetime.now(), "currency_id": self.cny.id,
            "order_line": [Command.create({"product_id": p.id, "product_qty": q, "price_unit": price})
                           for p, q, price in lines],
        })
        if confirm:
            po.button_confirm()
            for picking in po.picking_ids:  # goods arrive: their carbon enters inventory
                self.validate(picking)
        self.orders |= po
        return po

    def bill(self, partner, lines):
        """A vendor bill of [(product, qty, price)] dated today: energy and services into the pool."""
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": partner.id, "invoice_date": date.today(),
            "currency_id": self.cny.id,
            "invoice_line_ids": [Command.create({"product_id": p.id, "quantity": q, "price_unit": price,
                                                 "tax_ids": []}) for p, q, price in lines],
        })
        bill.action_post()
        self.bills |= bill
        return bill

    def invoice(self, partner, currency, lines):
        """A customer invoice of [(product, qty, price)] in ``currency``, dated today: the revenue."""
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": date.today(),
            "currency_id": currency.id,
            "invoice_line_ids": [Command.create({"product_id": p.id, "quantity": q, "price_unit": price,
                                                 "tax_ids": []}) for p, q, price in lines],
        })
        invoice.action_post()
        return invoice

    def validate(self, picking):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking._action_done()
        return picking

    def transfer(self, picking_type, source, destination, lines, partner=None):
        picking = self.env["stock.picking"].create({
            "picking_type_id": picking_type.id, "location_id": source.id, "location_dest_id": destination.id,
            "partner_id": partner.id if partner else False,
            "move_ids": [Command.create({"product_id": p.id, "product_uom_qty": q, "product_uom": p.uom_id.id,
                                         "location_id": source.id, "location_dest_id": destination.id})
                         for p, q in lines],
        })
        picking.action_confirm()
        return self.validate(picking)

    def use_in_orchard(self, lines):
        """Fuel burnt and fertiliser applied: out of inventory into the pool, their use as Scope 1."""
        return self.transfer(self.warehouse.int_type_id, self.stock, self.orchard, lines)

    def deliver(self, partner, lines):
        return self.transfer(self.warehouse.out_type_id, self.stock, self.customers, lines, partner)

    def bom(self, product, qty, components, byproducts=()):
        return self.env["mrp.bom"].create({
            "product_tmpl_id": product.product_tmpl_id.id, "product_qty": qty,
            "bom_line_ids": [Command.create({"product_id": p.id, "product_qty": q}) for p, q in components],
            "byproduct_ids": [Command.create({"product_id": p.id, "product_qty": q, "cost_share": share})
                              for p, q, share in byproducts],
        })

    def produce(self, bom, qty):
        """A manufacturing order of ``qty`` by ``bom``, done today: components into work in progress,
        the finished goods (and by-products, by cost share) take it out."""
        form = Form(self.env["mrp.production"])
        form.product_id = bom.product_tmpl_id.product_variant_id
        form.bom_id = bom
        form.product_qty = qty
        production = form.save()
        production.action_confirm()
        form = Form(production)
        form.qty_producing = qty
        form.save()
        production.move_raw_ids.picked = True
        production.button_mark_done()
        return production

    def allocate(self, date_from, date_to, target, basis):
        allocation = self.env["carbon.allocation"].create(
            {"date_from": date_from, "date_to": date_to, "target": target, "basis": basis})
        allocation.action_compute()
        allocation.action_post()
        return allocation

    def made(self):
        return self.honey | self.fruit | self.prunings | self.boxed | self.wine | self.biochar

    # ------------------------------------------------------------------ the year

    def tell(self):
        with self.day(1, 12):
            self.purchase(self.agri, [(self.urea, 800, 2.4), (self.diesel, 1200, 7.9)])
        with self.day(3, 18):
            self.purchase(self.beekeeping, [(self.frames, 40, 12.0)])
        self.facts.append(("Bought: urea 800 kg, diesel 1,200 L, 40 beehive frames (no factor)", "", DEMO))
        with self.day(1, 20):
            self.bill(self.pruners, [(self.pruning, 1, 3500.0)])  # spend-based, EPA factor in USD
        for month, kwh in enumerate(POWER_KWH, start=1):
            with self.day(month, 28):
                self.bill(self.utility, [(self.power, kwh, 0.65)])
        self.facts.append((f"Electricity: {sum(POWER_KWH):,} kWh over 12 monthly bills", "", DEMO))
        for month, day, lines in ((3, 5, [(self.urea, 400), (self.diesel, 300)]), (6, 10, [(self.diesel, 300)]),
                                  (8, 25, [(self.urea, 400), (self.diesel, 300)]), (11, 20, [(self.diesel, 300)])):
            with self.day(month, day):
                self.use_in_orchard(lines)
        self.facts.append(("Orchard: 800 kg urea applied, 1,200 L diesel burnt", "", DEMO))

        honey_bom = self.bom(self.honey, 1, [])
        harvest_bom = self.bom(self.fruit, 14000, [], [(self.prunings, 4000, 3.0)])
        with self.day(5, 15):
            self.produce(honey_bom, 300)
        with self.day(6, 2):
            self.purchase(self.pack, [(self.boxes, 2000, 1.8)])
            self.purchase(self.glass_green, [(self.bottles, 3000, 2.6)])
            # two RFQs for next year's bottles, to compare vendors by carbon
            self.purchase(self.glass_green, [(self.bottles, 6000, 2.6)], confirm=False)
            self.purchase(self.glass_std, [(self.bottles, 6000, 2.1)], confirm=False)
        with self.day(6, 25):
            self.produce(harvest_bom, 14000)
        self.facts.append(("Made: 300 kg honey; 14,000 kg lychees with 4,000 kg prunings (by-product, "
                           "3 % cost share)", "", DEMO))
        with self.day(6, 30):
            # the orchard's first half-year (inputs, power, services) into what it made
            self.first_allocation = self.allocate(self.date(1, 1), self.date(6, 30), "production", "quantity")

        wine_bom = self.bom(self.wine, 6, [(self.fruit, 9), (self.bottles, 6), (self.boxes, 1)])
        box_bom = self.bom(self.boxed, 1, [(self.fruit, 5), (self.boxes, 1)])
        kiln_bom = self.bom(self.biochar, 1000, [(self.prunings, 4000)])
        with self.day(7, 2):
            self.produce(box_bom, 1200)
        with self.day(7, 4):
            self.deliver(self.hotel, [(self.boxed, 800)])
            self.invoice(self.hotel, self.cny, [(self.boxed, 800, 120.0)])
            self.bill(self.logistics, [(self.freight, 2400, 0.9)])
        with self.day(7, 10):
            self.deliver(self.export, [(self.boxed, 400), (self.fruit, 4000)])
            self.invoice(self.export, self.usd, [(self.boxed, 400, 24.0), (self.fruit, 4000, 4.5)])
            self.bill(self.logistics, [(self.freight, 9000, 0.9)])
        with self.day(7, 20):
            self.produce(wine_bom, 2400)
            self.env["stock.scrap"].create({  # breakage: written off
                "product_id": self.bottles.id, "scrap_qty": 24, "product_uom_id": self.bottles.uom_id.id,
            }).action_validate()
        with self.day(7, 31):
            self.env["stock.scrap"].create({  # fruit that did not keep: written off
                "product_id": self.fruit.id, "scrap_qty": 400, "product_uom_id": self.fruit.uom_id.id,
            }).action_validate()
        with self.day(8, 12):
            self.produce(kiln_bom, 1000)
            self.removal = self.env["carbon.removal"].create({
                "name": f"Biochar from 4,000 kg of lychee prunings, applied to the orchard ({DEMO})",
                "method": "biochar", "origin": "generated", "tonnes": 2.2, "removal_date": date.today(),
                "vintage": self.year, "durability_years": 100, "buffer_percent": 10.0, "product_id": self.biochar.id,
                "verifier_id": self.env["res.partner"].create(
                    {"name": "Demo Verifier (not a real verification body)"}).id,
                "verification_statement": base64.b64encode(
                    b"DEMO DOCUMENT - not a real verification statement.\n"
                    b"Biochar from 4,000 kg of lychee prunings: 2.2 tCO2e (demo figure).\n"),
                "verification_statement_name": "DEMO DOCUMENT - biochar verification statement.txt",
                "notes": "Demo figure: not a measured or certified removal.",
            })
            self.removal.action_mark_verified()
        with self.day(8, 31):
            self.bill(self.utility, [(self.kiln_power, 600, 0.65)])
        with self.day(9, 5):
            self.use_in_orchard([(self.biochar, 1000)])
        self.facts += [
            ("Made: 1,200 boxes of lychees, 2,400 bottles of wine, 1,000 kg biochar from the prunings", "", DEMO),
            ("Biochar removal: 2.2 tCO2e, 10 % buffer, verified by a demo statement", "", DEMO),
        ]
        for month, day, partner, currency, qty, price in ((9, 15, self.hotel, self.cny, 600, 98.0),
                                                         (10, 15, self.export, self.usd, 900, 16.0),
                                                         (11, 25, self.hotel, self.cny, 600, 98.0)):
            with self.day(month, day):
                self.deliver(partner, [(self.wine, qty)])
                self.invoice(partner, currency, [(self.wine, qty, price)])
                self.bill(self.logistics, [(self.freight, 300 if currency == self.cny else 1800, 0.9)])
        with self.day(12, 1):
            self.deliver(self.hotel, [(self.honey, 200)])
            self.invoice(self.hotel, self.cny, [(self.honey, 200, 160.0)])
        self.facts.append(("Sold: hotel 800 boxes, 1,200 wine, 200 kg honey (CNY); export 400 boxes, "
                           "4,000 kg fruit, 900 wine (USD)", "", DEMO))
        with self.day(12, 31):
            # the second half-year's pool (cold store, freight, orchard upkeep) to the goods sold
            self.second_allocation = self.allocate(self.date(7, 1), self.date(12, 31), "sales", "weight")

    def monitor_inclusion(self):
        """The biochar kiln as a carbon-inclusion (碳普惠) project under the shipped lychee-biochar
        methodology: three demo participants, its applicability answered with a demo document, and
        the year's monitoring period gathered from the ledger (the prunings the kiln's manufacturing
        order consumed, the kiln's sub-metered electricity billed) with the biochar weighed as a
        reading. The reductions it computes are reported apart: never netted against emissions."""
        env = self.env
        methodology = env.ref("carbon_accounting.methodology_lychee_biochar")
        parameters = {p.code: p for p in methodology.monitoring_parameter_ids}
        demo_file = {"name": "DEMO DOCUMENT - kiln log.txt", "raw": b"DEMO DOCUMENT - not a real record."}
        farmers = env["res.partner"].create([{"name": f"{name} ({DEMO})"} for name in (
            "Chen family orchard", "Li family orchard", "Conghua Lychee Cooperative")])
        self.project = env["carbon.inclusion.project"].create({
            "name": f"Lychee prunings to biochar ({DEMO})", "methodology_id": methodology.id,
            "location": "Conghua, Guangzhou", "start_date": self.date(1, 1),
            "participant_ids": [Command.create({"partner_id": partner.id, "share_percent": share})
                                for partner, share in zip(farmers, (45, 35, 20), strict=True)],
            "source_ids": [
                Command.create({"monitoring_parameter_id": parameters["prunings_kg"].id,
                                "product_id": self.prunings.id}),
                Command.create({"monitoring_parameter_id": parameters["kiln_kwh"].id,
                                "product_id": self.kiln_power.id}),
            ],
        })
        for answer in self.project.checklist_ids:
            answer.write({"answer": "yes", "explanation": DEMO, "attachment_ids": [Command.create(demo_file)]})
        self.project.action_validate()
        self.project.reference = "DEMO-PHCER-0001"
        self.project.action_register()
        self.project.action_start_monitoring()
        self.monitoring = env["carbon.inclusion.monitoring"].create({
            "project_id": self.project.id, "date_from": self.date(1, 1), "date_to": self.date(12, 31)})
        self.monitoring.action_gather()
        self.monitoring.line_ids.filtered(lambda line: line.code == "biochar_kg").write({
            "value": 1000.0, "note": f"Weighed at the kiln ({DEMO})", "attachment_ids": [Command.create(demo_file)]})
        self.monitoring.action_compute()
        self.facts.append(("Carbon inclusion: the kiln as a biochar project, monitored from the ledger", "",
                           "methodology LYCHEE-BIOCHAR (illustrative parameters marked so)"))

    def publish_passports(self):
        """Carbon passports of what the orchard sells, read from the year's ledger, graded against a
        benchmark of the produce (a demo figure), published; the export customer may pull them over
        PACT v3."""
        env = self.env
        env["carbon.product.benchmark"].create([
            {"categ_id": self.wine_categ.id, "value": 2.5, "uom_id": self.wine.uom_id.id,
             "source": f"Sector average of a 750 ml bottle of fruit wine ({DEMO})", "company_id": self.company.id},
            {"categ_id": self.honey_categ.id, "value": 1.5, "uom_id": self.honey.uom_id.id,
             "source": f"Sector average per kg of honey ({DEMO})", "company_id": self.company.id},
            {"categ_id": self.boxed_categ.id, "value": 8.0, "uom_id": self.boxed.uom_id.id,
             "source": f"Sector average of a 5 kg box of fresh fruit ({DEMO})", "company_id": self.company.id},
        ])
        self.passports = env["carbon.passport"].create([{
            "product_id": product.id, "date_from": self.date(1, 1), "date_to": self.date(12, 31),
            "valid_until": self.date(12, 31).replace(year=self.year + 1),
            "dq_technological": "2", "dq_geographical": "1", "dq_temporal": "1",
        } for product in (self.wine, self.honey, self.boxed)])
        self.passports.action_compute()
        self.passports.action_publish()
        self.pact_client = env["carbon.pact.client"].create({
            "name": f"PACT access of {self.export.name}", "partner_id": self.export.id, "grant": "published"})
        self.pact_secret = "demo-secret-not-for-production"
        self.pact_client._set_secret(self.pact_secret)

    def set_targets(self):
        """The year told is the base year; two SBTi targets are set on it today (absolute contraction:
        4.2 %/yr for Scopes 1 and 2 on the 1.5 degC path, 2.5 %/yr for Scope 3), their base figures read
        from the year's GHG inventory and recorded on confirmation."""
        self.company.carbon_base_year = self.year
        target_year = date.today().year + 5  # SBTi: 5 to 10 years after the submission
        Target = self.env["carbon.target"]
        self.targets = Target.create([
            {"name": "Scopes 1 and 2 (market-based), 1.5 degC", "scope1": True, "scope2": True, "scope3": False,
             "method": "absolute", "rate": 4.2, "base_year": self.year, "target_year": target_year},
            {"name": "Scope 3, well-below 2 degC", "scope1": False, "scope2": False, "scope3": True,
             "method": "absolute", "rate": 2.5, "base_year": self.year, "target_year": target_year},
        ])
        self.targets.action_confirm()
        self.facts.append((f"SBTi targets: base year {self.year}, target year {target_year}; 4.2 %/yr Scopes 1+2, "
                           "2.5 %/yr Scope 3", "", "SBTi Corporate Net-Zero Standard / target criteria"))


# ---------------------------------------------------------------------- reports

@contextmanager
def serving(env):
    """Serve the database (committed first) on a free local port, yielding its address, then stop and
    forget it: wkhtmltopdf loads the reports' stylesheets over HTTP, and the export customer pulls the
    passports over PACT."""
    env.cr.commit()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config["http_interface"], config["http_port"] = "127.0.0.1", port
    http_server = server.ThreadedServer(odoo.http.root)
    http_server.http_spawn()
    parameters = env["ir.config_parameter"].sudo()
    parameters.set_param("report.url", f"http://127.0.0.1:{port}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        parameters.set_param("report.url", False)
        http_server.httpd.shutdown()


def write_reports(env, demo, out):
    """The GHG inventory and the E-liability statement of the year (XLSX and PDF), the footprints of the
    products made and the carbon register."""
    from odoo.addons.carbon_accounting.tools import xlsx_renderer  # noqa: PLC0415  (importable once configured)

    company, date_from, date_to = env.company, demo.date(1, 1), demo.date(12, 31)
    written, notes = [], []

    def write(name, content):
        path = out / name
        path.write_bytes(content)
        written.append(path)

    ghg_data = env["carbon.report.ghg"]._get_data(company, date_from, date_to)
    ghg_wizard = env["carbon.report.ghg.wizard"].create(
        {"company_ids": [Command.set(company.ids)], "date_from": date_from, "date_to": date_to})
    eliability_wizard = env["carbon.report.eliability.wizard"].create(
        {"company_id": company.id, "date_from": date_from, "date_to": date_to})
    Report = env["ir.actions.report"]
    # the XLSX report actions of OCA's report_xlsx, as the wizards' and the targets' buttons run them
    write(f"ghg_inventory_{demo.year}.xlsx", Report._render_xlsx("carbon_accounting.ghg_xlsx", ghg_wizard.ids, {})[0])
    write(f"e_liability_statement_{demo.year}.xlsx",
          Report._render_xlsx("carbon_accounting.eliability_xlsx", eliability_wizard.ids, {})[0])
    write("carbon_register.xlsx", env["carbon.register.report"]._render_xlsx())
    for target in demo.targets:
        write(f"sbti_target_{target.id}.xlsx", Report._render_xlsx("carbon_accounting.target_xlsx", target.ids, {})[0])
    write(f"carbon_inclusion_monitoring_{demo.year}.xlsx",
          env["carbon.inclusion.report.xlsx"]._render_monitoring_xlsx(demo.monitoring))
    reports = ((f"ghg_inventory_{demo.year}", "carbon_accounting.action_report_carbon_ghg", ghg_wizard),
               (f"e_liability_statement_{demo.year}", "carbon_accounting.action_report_eliability_statement",
                eliability_wizard),
               # one PDF a target: wkhtmltopdf without its patched Qt renders one document at a time
               *((f"sbti_target_{target.id}", "carbon_accounting.action_report_carbon_target", target)
                 for target in demo.targets),
               (f"carbon_inclusion_monitoring_{demo.year}", "carbon_accounting.action_report_inclusion_monitoring",
                demo.monitoring))
    reports += tuple((f"carbon_label_{passport.product_id.default_code or passport.id}",
                      "carbon_supplychain_finance.action_report_carbon_passport_label", passport)
                     for passport in demo.passports)
    pdf = bool(shutil.which("wkhtmltopdf"))
    with serving(env) as base_url:
        for name, ref, record in reports:
            if pdf:
                write(f"{name}.pdf", Report._render_qweb_pdf(ref, record.ids)[0])
            else:
                write(f"{name}.html", Report._render_qweb_html(ref, record.ids)[0])
                notes.append(f"wkhtmltopdf is not installed: {name}.html written instead of a PDF "
                             "(install wkhtmltopdf for the PDF).")
        # the export customer pulls the published passports over PACT v3 with its client credentials
        token = requests.post(f"{base_url}/pact/auth/token", data={"grant_type": "client_credentials"},
                              auth=(demo.pact_client.client_id, demo.pact_secret), timeout=30)
        token.raise_for_status()
        answer = requests.get(f"{base_url}/pact/3/footprints", timeout=30,
                              headers={"Authorization": f"Bearer {token.json()['access_token']}"})
        answer.raise_for_status()
        write("pact_footprints_export_customer.json", json.dumps(answer.json(), indent=2).encode())
    eliability = env["carbon.report.eliability"]._get_data(company, date_from, date_to)
    footprints = [env["carbon.report.eliability"]._get_product_footprint(product, date_from, date_to)
                  for product in demo.made()]
    carbon = {"type": "carbon", "width": 14}
    write(f"product_footprints_{demo.year}.xlsx", xlsx_renderer.render_workbook([{
        "name": "Footprints", "title": "Cradle-to-gate carbon per unit made in the year (kgCO2e)",
        "subtitle": f"{company.name} - {date_from} to {date_to} - carbon.report.eliability._get_product_footprint",
        "columns": [{"header": "Product", "width": 36}, {"header": "Quantity", "type": "number"},
                    {"header": "Unit", "width": 8}, {"header": "kgCO2e", **carbon},
                    {"header": "kgCO2e per Unit", "type": "factor", "width": 16},
                    {"header": "Materials", **carbon}, {"header": "Direct", **carbon}, {"header": "Energy", **carbon},
                    {"header": "Allocated Overhead", **carbon}],
        "rows": [[f["product"].display_name, f["quantity"], f["uom"].name, f["carbon"], f["per_unit"]]
                 + [f["breakdown"][key] for key in ("materials", "direct", "energy", "overhead")]
                 for f in footprints],
    }]))
    return ghg_data, eliability, footprints, written, notes


def write_evidence_pack(env, year, out):
    """The auditor's evidence pack of the year (XLSX), written as its background job writes it: in a
    transaction of its own, after the demo's, which has changed no ledger table, so that the chain
    is checked on a connection of its own while the statements are written."""
    Wizard = env["carbon.evidence.pack.wizard"]
    wizard = Wizard.create({"company_id": env.company.id, "date_from": date(year, 1, 1), "date_to": date(year, 12, 31)})
    path = out / f"evidence_pack_{year}.xlsx"
    env["report.carbon_accounting.evidence_pack_xlsx"].with_context(active_model=Wizard._name)._write_pack(
        wizard.ids, {}, path)
    return path


def summary(env, demo, ghg, eliability, footprints, written, notes):
    check = env["carbon.conservation.wizard"].create({})
    check.action_check()
    kg = "kgCO2e"
    print(f"Double-Carbon Lychee Co. (demo), year {demo.year}: {len(demo.factors)} emission factors imported "
          f"from {FACTORS_CSV.relative_to(ROOT)}")
    print("\nInputs (from the cited data set where it has them, else a demo figure):")
    for what, figure, origin in demo.facts:
        print(f"  - {what}{': ' + figure if figure else ''}  [{origin}]")
    print("\nPurchase orders (carbon of what was ordered):")
    for order in demo.orders:
        print(f"  {order.name:<8} {order.partner_id.name:<40} {order.state:<9} {order.carbon_amount:>12,.3f} {kg}"
              f"  ({order.carbon_state})")
    confirmed = demo.orders.filtered(lambda o: o.state == "purchase")
    print(f"Confirmed purchases: {sum(confirmed.mapped('carbon_amount')):,.3f} {kg}")
    print(f"\nGHG inventory {demo.year} (kgCO2e):")
    rows = [("Scope 1 (direct)", ghg["scope1"]), ("Scope 2, market-based (booked)", ghg["scope2_market"]),
            ("Scope 2, location-based (grid memo)", ghg["scope2_location"]), ("Scope 3", ghg["scope3"])]
    rows += [(f"  cat. {key} {values['label']}", values["amount"])
             for key, values in ghg["scope3_by_category"].items() if values["status"] == "figures"]
    rows += [("Total (Scopes 1, 2 market-based, 3)", ghg["total"]),
             ("Memo: biogenic CO2 of the prunings burnt (kg)", ghg["biogenic_co2"]),
             ("Removals verified, apart (tCO2e)", ghg["removals"])]
    for label, amount in rows:
        print(f"  {label:<52} {amount:>14,.3f}")
    print(f"  {'Unassessed lines (carbon unknown, not zero)':<52} {ghg['unassessed_count']:>14}")
    print(f"  {'Revenue (' + ghg['currency'] + ')':<52} {ghg['revenue']:>14,.2f}")
    if ghg["intensity"] is not None:
        print(f"  {'Intensity (kgCO2e per million of revenue)':<52} {ghg['intensity']:>14,.3f}")
    print(f"\nE-liability statement {demo.year} ({kg}):")
    for _key, label, amount in env["carbon.report.eliability"]._statement_rows(eliability):
        print(f"  {label:<62} {amount:>14,.3f}")
    print(f"  Closing agrees with the ledger: {eliability['closing_ok']}")
    print("  Transferred per customer (to book as acquired):")
    for row in eliability["by_customer"]:
        print(f"    {row['partner'].display_name:<60} {row['carbon']:>14,.3f}")
    print("  Carbon per unit bought or made in the year (receipts and productions):")
    for row in eliability["by_product"]:
        per_unit = f"{row['per_unit']:,.4f} {kg}/{row['uom'].name}" if row["per_unit"] is not None else "n/a"
        unassessed = f"  ({row['unassessed_quantity']:,.0f} {row['uom'].name} unassessed)" \
            if row["unassessed_quantity"] else ""
        print(f"    {row['product'].display_name:<48} {per_unit:>22}{unassessed}")
    print("  Cradle-to-gate footprint per unit made (materials + direct + energy + allocated overhead):")
    for f in footprints:
        per_unit = f"{f['per_unit']:,.4f}" if f["per_unit"] is not None else "n/a"
        print(f"    {f['product'].display_name:<48} {per_unit:>12} {kg}/{f['uom'].name}")
    print("\nSBTi targets (kgCO2e of the covered scopes):")
    for target in demo.targets:
        data = target._get_report_data()
        print(f"  {target.name:<44} base {data['base']:>12,.3f} ({target.base_year}) -> "
              f"{target.target_figure:>12,.3f} by {target.target_year} ({target.rate:g} %/yr)")
    print("\nCarbon passports published (cradle-to-gate, the year's ledger; label against a demo benchmark):")
    for passport in demo.passports:
        print(f"  {passport.product_id.display_name:<40} {passport.per_unit:>10,.4f} kgCO2e/{passport.uom_id.name}"
              f"  {passport.label_grade or '-'}  {passport.public_url}")
    monitoring = demo.monitoring
    print(f"\nCarbon inclusion, {demo.project.name}: result {monitoring.result:,.3f} kgCO2e, "
          f"{monitoring.issuable_tonnes} whole tCO2e issuable (reported apart, never netted)")
    print(f"\nE-liability ledger: {check.inventory:,.3f} kgCO2e in inventory, {check.unallocated_pool:,.3f} in the "
          f"overhead pool, {check.written_off:,.3f} written off; conserved: {check.is_balanced}")
    print(f"Removal register, apart: {check.removals_verified_held:,.3f} tCO2e verified E-assets held "
          f"({check.removals_verified_net:,.3f} net of the reversal-risk buffer)")
    for note in notes:
        print(f"NOTE: {note}")
    for path in written:
        print(f"Wrote {path}")


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
        demo = Demo(env, date.today().year - 1)
        with demo.day(1, 1):
            demo.setup()
        demo.tell()
        demo.set_targets()
        demo.monitor_inclusion()
        demo.publish_passports()
        env.flush_all()
        args.out.mkdir(parents=True, exist_ok=True)
        summary(env, demo, *write_reports(env, demo, args.out))
    with registry.cursor() as cr:
        print(f"Wrote {write_evidence_pack(Environment(cr, SUPERUSER_ID, {}), demo.year, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
