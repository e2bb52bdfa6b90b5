"""Green supply-chain finance demo: a Guangzhou bank's green early-payment programme financing the
bills of two lychee cooperatives at tiered rates (``carbon_supplychain_finance``).

In one transaction, rolled back at the end (the database is left as it was):

- two cooperatives sell the company 1 000 kg of fresh lychees each: Zengcheng declares 0.8 kgCO2e/kg
  on verified data, Conghua 1.0 kgCO2e/kg on primary data, both with their declaration's evidence;
  the category benchmark is 1.2 kgCO2e/kg;
- their scorecards over the last 30 days grade them from the ledger: Zengcheng A (40 primary + 20
  verified + 25 at 67 % of the benchmark + 10 fresh evidence = 95), Conghua B (40 + 15 at 83 % + 10 =
  65);
- the bank's programme lends at 6.5 % a year, Actual/360, to vendors graded C or better, and takes
  80 bp off for grade A, 50 bp for B, 20 bp for C;
- each cooperative's bill (12 000, due in 90 days) is financed: 12 000 x 6.5 % x 90 / 360 = 195.00
  without the discount; 12 000 x 5.7 % x 90 / 360 = 171.00 for Zengcheng, 12 000 x 6.0 % x 90 / 360 =
  180.00 for Conghua.

It writes each request's data pack (JSON under ``carbon_supplychain_finance/schemas/
finance_pack-1.0.schema.json``, validated against it, and XLSX) to ``--out``.
Every figure is a demo figure. Run on a database with ``carbon_supplychain_finance`` installed:
``python3 scripts/demo_finance.py -c ODOO_CONF -d DB --out DIR``.
"""

# A command-line program: what it prints is its result.
# pylint: disable=print-used
import argparse
import base64
import json
import sys
from datetime import date, timedelta
from pathlib import Path

import jsonschema

import odoo.init  # noqa: F401  (Odoo's start-up: monkey patches, odoo.Command, ...)
from odoo import Command
from odoo.api import SUPERUSER_ID, Environment
from odoo.modules.registry import Registry
from odoo.tools import config

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "carbon_supplychain_finance" / "schemas" / "finance_pack-1.0.schema.json"
#: Cooperative, declared kgCO2e/kg, data quality (demo figures).
COOPERATIVES = (("Zengcheng Lychee Cooperative", 0.8, "verified"), ("Conghua Lychee Growers", 1.0, "primary"))
KG, PRICE = 1000.0, 12.0


def validate(picking):
    for move in picking.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    picking._action_done()


def build(env):
    today = date.today()
    company = env.company
    kg = env.ref("uom.product_uom_kgm")
    category = env["product.category"].create({"name": "Fresh lychees (demo)", "property_cost_method": "average"})
    env["carbon.product.benchmark"].create({
        "categ_id": category.id, "value": 1.2, "uom_id": kg.id, "source": "Demo figure: sector study",
        "company_id": company.id})
    lychee = env["product.product"].create({
        "name": "Fresh lychee, Feizixiao (demo)", "uom_id": kg.id, "type": "consu", "is_storable": True,
        "purchase_ok": True, "categ_id": category.id})
    bank = env["res.partner"].create({"name": "Guangzhou Rural Commercial Bank (demo)", "is_company": True})
    interest = env["account.account"].create(
        {"name": "Supply-chain finance cost (demo)", "code": "DEMO6621", "account_type": "expense"})
    programme = env["carbon.finance.programme"].create({
        "name": "Lychee growers green early payment", "financier_id": bank.id, "instrument": "reverse_factoring",
        "currency_id": company.currency_id.id, "base_rate": 6.5, "day_count": "act_360", "min_grade": "C",
        "tier_ids": [Command.create({"grade": grade, "discount_bps": bps}) for grade, bps in
                     (("A", 80), ("B", 50), ("C", 20))],
        "journal_id": env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "general")], limit=1).id,
        "payment_journal_id": env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1).id,
        "interest_account_id": interest.id,
    })
    bills = env["account.move"]
    for name, declared, quality in COOPERATIVES:
        coop = env["res.partner"].create({"name": f"{name} (demo)", "is_company": True})
        env["product.supplierinfo"].create({
            "partner_id": coop.id, "product_tmpl_id": lychee.product_tmpl_id.id, "price": PRICE,
            "carbon_intensity": declared, "carbon_data_quality": quality,
            "carbon_evidence": base64.b64encode(f"%PDF carbon declaration of {name}".encode()),
            "carbon_evidence_filename": f"{name} declaration.pdf"})
        order = env["purchase.order"].create({
            "partner_id": coop.id, "currency_id": company.currency_id.id,
            "order_line": [Command.create({"product_id": lychee.id, "product_qty": KG, "price_unit": PRICE,
                                           "tax_ids": [Command.clear()]})]})
        order.button_confirm()
        validate(order.picking_ids)
        bill = env["account.move"].browse(order.action_create_invoice()["res_id"])
        bill.write({"invoice_date": today, "invoice_payment_term_id": False,
                    "invoice_date_due": today + timedelta(days=90)})
        bill.action_post()
        bills |= bill
    env["carbon.supplier.scorecard"]._generate(company, today - timedelta(days=29), today)
    requests = env["carbon.finance.request"].create([
        {"programme_id": programme.id, "move_id": bill.id} for bill in bills])
    requests.action_submit()
    return requests


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    schema = json.loads(SCHEMA.read_text())
    args.out.mkdir(parents=True, exist_ok=True)
    with Registry(args.database).cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        requests = build(env)
        print(f"{'Vendor':<42} {'Grade':>5} {'Rate %':>7} {'bp':>4} {'Without':>10} {'With':>10} {'Saving':>8}")
        for request in requests:
            if request.eligible:
                request.action_approve()
            why = "" if request.eligible else f": {request.eligibility_reasons}"
            print(f"{request.partner_id.name:<42} {request.scorecard_grade or '-':>5} {request.green_rate:>7.4f} "
                  f"{request.discount_bps:>4} {request.cost_base:>10,.2f} {request.cost_green:>10,.2f} "
                  f"{request.saving:>8,.2f}  {request.state}{why}")
            pack = json.loads(base64.b64decode(request.pack_json))
            jsonschema.validate(pack, schema)
            for name, content in ((request.pack_json_name, request.pack_json), (request.pack_xlsx_name,
                                                                                  request.pack_xlsx)):
                path = args.out / f"finance_pack_{name}"
                path.write_bytes(base64.b64decode(content))
                print(f"Wrote {path}")
        cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
