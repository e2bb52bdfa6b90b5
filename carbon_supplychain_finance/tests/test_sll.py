import base64
import io
from datetime import date

import openpyxl

from odoo import Command
from odoo.tests import tagged

from .common import STATEMENT
from .common_finance import FinanceCommon


@tagged("post_install", "-at_install")
class TestSustainabilityLinkedLoan(FinanceCommon):
    """A year in which the company burns wood (Scope 1: 100 kg x 0.05 = 5 kgCO2e), buys grid power
    (Scope 2: 100 kWh x 0.5 = 50), buys honey from a vendor on primary data (10 kg x 1.5 = 15) and one on
    verified data (10 kg x 1.0 = 10), sells for 2 000 USD and removes 2 t verified, 10 % buffered."""

    def _year(self):
        self._receive(self.honey, 10, declared=1.5)
        self.env["product.supplierinfo"].create({
            "partner_id": self.vendor_b.id, "product_tmpl_id": self.honey.product_tmpl_id.id,
            "carbon_intensity": 1.0, "carbon_data_quality": "verified"})
        self._receive(self.honey, 10, partner=self.vendor_b)
        self.env["carbon.activity"].create({
            "name": "Wood boiler", "date": self.today, "quantity": 100, "uom_id": self.uom_kg.id,
            "factor_id": self.wood.id,
            "attachment_ids": [Command.create({"name": "meter.pdf", "raw": b"%PDF reading"})]}).action_post()
        power = self._product("Electricity", uom=self.grid.uom_id, factor=self.grid, type="service")
        self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.vendor.id, "invoice_date": self.today,
            "invoice_line_ids": [Command.create({"product_id": power.id, "quantity": 100, "price_unit": 0.1,
                                                 "tax_ids": [Command.clear()]})],
        }).action_post()
        self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.customer.id, "invoice_date": self.today,
            "invoice_line_ids": [Command.create({"product_id": self.plain.id, "quantity": 1, "price_unit": 2000,
                                                 "tax_ids": [Command.clear()]})],
        }).action_post()
        self.env["carbon.removal"].create({
            "name": "Biochar batch", "method": "biochar", "tonnes": 2.0, "buffer_percent": 10.0,
            "removal_date": self.today, "verification_statement": STATEMENT,
            "verification_statement_name": "statement.pdf", "verification_state": "verified"})

    def _loan(self, two_way=False, cap=0):
        year = self.today.year
        return self.env["carbon.sll.loan"].create({
            "name": "Lychee working-capital SLL", "financier_id": self.bank.id, "principal": 5000000,
            "base_margin_bps": 150, "ratchet_step_bps": 5, "ratchet_two_way": two_way, "ratchet_cap_bps": cap,
            "target_ids": [
                Command.create({"kpi": "scope12", "year": year, "target": 60.0, "verified": True,
                                "verifier_id": self.bank.id, "verification_date": self.today,
                                "assurance": "limited", "verified_value": 55.0}),
                Command.create({"kpi": "intensity_revenue", "year": year, "target": 25000.0, "verified": True}),
                Command.create({"kpi": "verified_supplier_share", "year": year, "target": 0.5, "verified": True}),
                Command.create({"kpi": "verified_removals", "year": year, "target": 1.5}),
                Command.create({"kpi": "scope12", "year": year - 1, "target": 100.0, "verified": True}),
            ],
        })

    def test_kpis_from_the_ledger(self):
        self._year()
        actuals = self.env["carbon.report.sll"]._kpi_actuals(self.company, self.today.year)
        # 5 + 50 = 55; 55 / 2 000 x 1 000 000 = 27 500; verified 10 of 25 acquired = 0.4; 2 t less 10 % = 1.8 t
        self.assertAlmostEqual(actuals["scope12"], 55.0, places=6)
        self.assertAlmostEqual(actuals["intensity_revenue"], 27500.0, places=3)
        self.assertAlmostEqual(actuals["verified_supplier_share"], 0.4, places=6)
        self.assertAlmostEqual(actuals["verified_removals"], 1.8, places=6)
        # a year with nothing posted has no figures, not zeros
        self.assertEqual(self.env["carbon.report.sll"]._kpi_actuals(self.company, self.today.year - 1), {
            "scope12": None, "intensity_revenue": None, "verified_supplier_share": None, "verified_removals": 0.0})

    def test_actual_against_target_and_one_way_ratchet(self):
        self._year()
        loan = self._loan()
        year = self.today.year
        self.assertRecordValues(loan.target_ids.sorted(lambda t: (t.year, t.id)), [
            {"year": year - 1, "kpi": "scope12", "actual_known": False, "actual": 0.0, "status": "no_data",
             "unit": "kgCO2e"},
            {"year": year, "kpi": "scope12", "actual_known": True, "actual": 55.0, "status": "met",
             "unit": "kgCO2e"},
            {"year": year, "kpi": "intensity_revenue", "actual_known": True, "actual": 27500.0, "status": "missed",
             "unit": "kgCO2e / million revenue"},
            {"year": year, "kpi": "verified_supplier_share", "actual_known": True, "actual": 0.4,
             "status": "missed", "unit": "share (0-1)"},
            {"year": year, "kpi": "verified_removals", "actual_known": True, "actual": 1.8,
             "status": "not_verified", "unit": "tCO2e"},
        ])
        data = loan._get_report_data()
        by_year = {row["year"]: row for row in data["years"]}
        # one-way: only the verified target met counts, -5 bp: 150 - 5 = 145; no figure the year before: 0
        self.assertEqual((by_year[year]["adjustment_bps"], by_year[year]["margin_bps"]), (-5, 145))
        self.assertEqual((by_year[year - 1]["adjustment_bps"], by_year[year - 1]["margin_bps"]), (0, 150))
        self.assertEqual([kpi["code"] for kpi in data["kpis"]],
                         ["scope12", "intensity_revenue", "verified_supplier_share", "verified_removals"])

    def test_two_way_ratchet_with_a_cap(self):
        self._year()
        year = self.today.year
        data = self._loan(two_way=True)._get_report_data()
        by_year = {row["year"]: row for row in data["years"]}
        # -5 (met) + 5 (missed) + 5 (missed) + 5 (not verified) = +10; the year without data: +5
        self.assertEqual((by_year[year]["adjustment_bps"], by_year[year]["margin_bps"]), (10, 160))
        self.assertEqual(by_year[year - 1]["adjustment_bps"], 5)
        data = self._loan(two_way=True, cap=7)._get_report_data()
        self.assertEqual({row["year"]: row["margin_bps"] for row in data["years"]}, {year - 1: 155, year: 157})

    def test_pdf_and_xlsx(self):
        self._year()
        loan = self._loan()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "carbon_supplychain_finance.action_report_carbon_sll", loan.ids)[0].decode()
        self.assertIn("Sustainability-Linked Loan KPI Report", html)
        self.assertIn("Calibration of SPTs", html)
        self.assertIn("27,500.000", html)
        self.assertIn("margin -5 bp", html)
        action = loan.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        self.assertEqual(workbook.sheetnames, ["Loan", "KPIs"])
        values = [row for row in workbook["KPIs"].iter_rows(values_only=True) if row[0] == date.today().year]
        self.assertEqual([(row[1], row[5], row[9]) for row in values], [
            ("Absolute Scope 1+2 emissions (market-based)", "Met", 145),
            ("Scope 1+2 intensity per million of revenue", "Missed", 145),
            ("Share of purchased carbon on verified supplier data", "Missed", 145),
            ("Verified carbon removals, net of buffer", "Met, not verified", 145),
        ])
