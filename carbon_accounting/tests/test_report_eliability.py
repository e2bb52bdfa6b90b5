import base64
import io
from datetime import timedelta

import openpyxl

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common_stock import StockCarbonCommon

STATEMENT = base64.b64encode(b"Verification statement")


@tagged("post_install", "-at_install")
class TestReportEliability(StockCarbonCommon):
    """The E-liability statement of a fixed flow, key by key against hand figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.date_from = cls.today - timedelta(days=30)
        cls.customer_b = cls.env["res.partner"].create({"name": "Guangzhou Juice Bar"})
        cls.diesel = cls.env["carbon.emission.factor"].create({
            "name": "Diesel, stationary", "code": "TEST.DIESEL.L", "source": "Test / publisher / 2024",
            "basis": "physical", "uom_id": cls.uom_litre.id, "value": 2.68, "scope": "1",
        })
        cls.Report = cls.env["carbon.report.eliability"]

    def _backdate(self, moves, day):
        """Put the entries of ``moves`` in a prior period (as if posted then)."""
        self.env.flush_all()
        entries = moves.carbon_move_line_ids.move_id
        self.assertTrue(entries)
        self.env.cr.execute("UPDATE carbon_move SET date = %s WHERE id = ANY(%s)", [day, entries.ids])
        self.env.cr.execute("UPDATE carbon_move_line SET date = %s WHERE move_id = ANY(%s)", [day, entries.ids])
        self.env.invalidate_all()

    def _flow(self):
        # prior period: 10 kg at the product factor 2.0 = 20 kgCO2e (the opening)
        self._backdate(self._receive(self.honey, 10), self.today - timedelta(days=60))
        # the period: 10 kg declared 1.5 primary = 15; 10 kg declared 1.0 verified by vendor B = 10
        self._receive(self.honey, 10, declared=1.5)
        self.env["product.supplierinfo"].create({
            "partner_id": self.vendor_b.id, "product_tmpl_id": self.honey.product_tmpl_id.id,
            "carbon_intensity": 1.0, "carbon_data_quality": "verified",
        })
        self._receive(self.honey, 10, partner=self.vendor_b)
        # average: 45 kgCO2e / 30 kg = 1.5 per kg
        self._move(self.honey, 4, self.stock, self.customers, self.customer)            # 6
        to_b = self._move(self.honey, 6, self.stock, self.customers, self.customer_b)   # 9
        self._return(to_b, 2)                                                           # -3
        scrap = self.env["stock.scrap"].create({"product_id": self.honey.id, "scrap_qty": 2,
                                                "product_uom_id": self.uom_kg.id, "location_id": self.stock.id})
        scrap.action_validate()                                                         # 3 written off
        activity = self.env["carbon.activity"].create({
            "name": "Generator diesel", "date": self.today, "quantity": 500, "uom_id": self.uom_litre.id,
            "factor_id": self.diesel.id,
            "attachment_ids": [Command.create({"name": "meter.pdf", "raw": b"%PDF reading"})],
        })
        activity.action_post()                                                          # 500 x 2.68 = 1340
        self.env["carbon.removal"].create({
            "name": "Biochar batch", "method": "biochar", "tonnes": 2.0, "removal_date": self.today,
            "buffer_percent": 20.0, "verification_statement": STATEMENT,
            "verification_statement_name": "statement.pdf", "verification_state": "verified",
        })                                                                              # 1.6 t = 1600 kg
        credit = self.env["carbon.credit"].create({
            "name": "VCS A", "origin": "issued", "tonnes": 1.0, "verification_statement": STATEMENT,
            "verification_state": "verified"})
        self.env["carbon.register.movement"].create({
            "credit_id": credit.id, "movement_type": "retire", "tonnes": 0.25, "date": self.today})  # 250 kg

    def test_statement(self):
        self._flow()
        data = self.Report._get_data(self.company, self.date_from, self.today)
        # closing = 20 + 1340 + 0 + 25 - 12 - 3 = 1370: 20 kg x 1.5 in stock and 1340 in the pool
        self.assertEqual(
            {key: data[key] for key in ("opening", "direct", "energy", "acquired", "transferred", "written_off",
                                        "closing", "ledger_closing", "closing_ok")},
            {"opening": 20.0, "direct": 1340.0, "energy": 0.0, "acquired": 25.0, "transferred": 12.0,
             "written_off": 3.0, "closing": 1370.0, "ledger_closing": 1370.0, "closing_ok": True})
        self.assertEqual([(r["partner"], r["carbon"], r["lines"]) for r in data["by_customer"]],
                         [(self.customer_b, 6.0, 2), (self.customer, 6.0, 1)])
        lines = self.env["carbon.move.line"].search(data["by_customer"][0]["domain"])
        self.assertEqual(sum(lines.mapped("balance")), 6.0)
        suppliers = {r["partner"]: r for r in data["by_supplier"]}
        self.assertEqual(suppliers[self.vendor]["carbon"], 15.0)
        self.assertEqual(suppliers[self.vendor]["quality_share"]["primary"], 1.0)
        self.assertEqual(suppliers[self.vendor_b]["carbon"], 10.0)
        self.assertEqual(suppliers[self.vendor_b]["quality_share"]["verified"], 1.0)
        self.assertEqual([(r["product"], r["carbon"], r["quantity"], r["per_unit"]) for r in data["by_product"]],
                         [(self.honey, 25.0, 20.0, 1.25)])
        self.assertEqual(self.env["carbon.move.line"].search_count(data["domains"]["acquired"]), 2)
        # apart, never netted into the gross figures: 2 t less a 20 % buffer, 0.25 t retired
        self.assertEqual((data["removals_verified"], data["credits_retired"], data["net_of_removals"]),
                         (1600.0, 250.0, -230.0))

    def test_other_company_sees_nothing(self):
        self._flow()
        company_b = self.env["res.company"].create({"name": "Lychee Farm B"})
        user_b = new_test_user(self.env, "eliab_auditor_b", groups="carbon_accounting.group_carbon_auditor",
                               company_id=company_b.id, company_ids=[company_b.id])
        data = self.Report.with_user(user_b).with_company(company_b)._get_data(
            self.company.with_user(user_b), self.date_from, self.today)
        self.assertEqual((data["closing"], data["acquired"], data["by_customer"]), (0.0, 0.0, []))

    def test_bought_product_footprint(self):
        self._flow()
        self._receive(self.unknown, 3)
        footprint = self.Report._get_product_footprint(self.honey, self.date_from, self.today)
        # 15 kgCO2e primary + 10 verified for 20 kg: 1.25 per kg, all from suppliers' own data
        self.assertEqual((footprint["quantity"], footprint["carbon"], footprint["per_unit"]), (20.0, 25.0, 1.25))
        self.assertEqual(footprint["breakdown"], {"materials": 25.0, "direct": 0.0, "energy": 0.0, "overhead": 0.0})
        self.assertAlmostEqual(footprint["verified_share"], 0.4)
        self.assertAlmostEqual(footprint["primary_share"], 1.0)
        self.assertEqual(self.env["carbon.move.line"].search_count(footprint["domain"]), 2)
        unknown = self.Report._get_product_footprint(self.unknown, self.date_from, self.today)
        # unassessed: reported as such, never as zero carbon per unit
        self.assertEqual((unknown["quantity"], unknown["unassessed_quantity"], unknown["per_unit"]), (0.0, 3.0, None))

    def test_xlsx(self):
        self._flow()
        wizard = self.env["carbon.report.eliability.wizard"].create(
            {"company_id": self.company.id, "date_from": self.date_from, "date_to": self.today})
        content, __ = self.env["ir.actions.report"]._render_xlsx("carbon_accounting.eliability_xlsx", wizard.ids, {})
        workbook = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
        self.assertEqual(workbook.sheetnames, ["Statement", "Customers", "Suppliers", "Products"])
        rows = {row[0]: row[1] for row in workbook["Statement"].iter_rows(min_row=4, values_only=True)}
        self.assertEqual(rows["Opening E-liability held (inventory, work in progress, pool)"], 20.0)
        self.assertEqual(rows["+ Direct emissions (Scope 1)"], 1340.0)
        self.assertEqual(rows["Closing E-liability held"], 1370.0)
        self.assertIn("Closing agrees with the ledger", rows)
        self.assertEqual(rows["Verified removals held (E-assets, net of buffer)"], 1600.0)
        customers = list(workbook["Customers"].iter_rows(min_row=5, values_only=True))
        self.assertEqual(customers, [("Guangzhou Juice Bar", 6.0, 2), ("Shenzhen Fruit Market", 6.0, 1),
                                     ("Total", 12.0, None)])
        products = list(workbook["Products"].iter_rows(min_row=5, max_row=5, values_only=True))
        self.assertEqual(products, [("Lychee honey", 20.0, "kg", 25.0, 1.25, None)])

    def test_wizard_and_pdf(self):
        self._flow()
        auditor = new_test_user(self.env, "eliab_auditor", groups="carbon_accounting.group_carbon_auditor")
        wizard = self.env["carbon.report.eliability.wizard"].with_user(auditor).create(
            {"date_from": self.date_from, "date_to": self.today})
        wizard.action_compute()
        self.assertRecordValues(wizard, [{"opening": 20.0, "direct": 1340.0, "acquired": 25.0, "transferred": 12.0,
                                          "written_off": 3.0, "closing": 1370.0, "closing_ok": True}])
        self.assertRecordValues(wizard.customer_line_ids, [
            {"partner_id": self.customer_b.id, "carbon": 6.0, "lines_count": 2},
            {"partner_id": self.customer.id, "carbon": 6.0, "lines_count": 1}])
        # vendor: 10 kg declared 1.5, primary data = 15; vendor B: 10 kg at 1.0, verified = 10
        self.assertRecordValues(wizard.supplier_line_ids, [
            {"partner_id": self.vendor.id, "carbon": 15.0, "lines_count": 1, "primary_share": 1.0,
             "verified_share": 0.0},
            {"partner_id": self.vendor_b.id, "carbon": 10.0, "lines_count": 1, "primary_share": 1.0,
             "verified_share": 1.0}])
        self.assertRecordValues(wizard.product_line_ids, [{"product_id": self.honey.id, "per_unit": 1.25}])
        action = wizard.with_context(eliability_key="written_off").action_open_ledger()
        written_off = self.env["carbon.move.line"].with_user(auditor).search(action["domain"])
        self.assertEqual(sum(written_off.mapped("debit")), 3.0)
        lines = self.env["carbon.move.line"].search(wizard.customer_line_ids[0].action_open_lines()["domain"])
        self.assertEqual(lines.partner_id, self.customer_b)
        wizard.action_export_xlsx()
        self.assertTrue(wizard.file)
        html, _type = self.env["ir.actions.report"].with_user(auditor)._render_qweb_html(
            "carbon_accounting.action_report_eliability_statement", wizard.ids)
        text = html.decode()
        for expected in ("E-liability Statement", "Closing E-liability held", "1,370.000", "1,340.000",
                         "Guangzhou Juice Bar", "agrees with the ledger", "1,600.000", "1.250000"):
            self.assertIn(expected, text)

    def test_statement_with_energy_and_sales_allocation(self):
        self._flow()
        grid = self.env["carbon.emission.factor"].create({
            "name": "Grid", "code": "TEST.GRID", "source": "MEE", "basis": "physical",
            "uom_id": self.env.ref("carbon_accounting.uom_kwh").id, "value": 0.5, "scope": "2"})
        power = self._product("Electricity", uom=grid.uom_id, factor=grid, type="service")
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.vendor.id, "invoice_date": self.today,
            "invoice_line_ids": [Command.create({"product_id": power.id, "quantity": 100, "price_unit": 0.1})]})
        bill.action_post()                                                              # 100 kWh x 0.5 = 50
        allocation = self.env["carbon.allocation"].create(
            {"date_from": self.date_from, "date_to": self.today, "target": "sales", "basis": "quantity"})
        allocation.action_compute()
        allocation.action_post()                                                        # the pool, 1390, to sales
        data = self.Report._get_data(self.company, self.date_from, self.today)
        # the pool leaves with the goods sold: closing = 20 + 1340 + 50 + 25 - (12 + 1390) - 3 = 30, 20 kg x 1.5
        self.assertEqual(
            {key: data[key] for key in ("energy", "transferred", "closing", "ledger_closing", "closing_ok")},
            {"energy": 50.0, "transferred": 1402.0, "closing": 30.0, "ledger_closing": 30.0, "closing_ok": True})
        self.assertEqual(sum(r["carbon"] for r in data["by_customer"]), 1402.0)
        footprint = self.Report._get_product_footprint(self.honey, self.date_from, self.today)
        # 1390 allocated to honey: 50 / 1390 of it from purchased energy
        self.assertAlmostEqual(footprint["breakdown"]["energy"], 50.0, places=6)
        self.assertAlmostEqual(footprint["breakdown"]["overhead"], 1340.0, places=6)
        self.assertAlmostEqual(footprint["per_unit"], (25.0 + 1390.0) / 20.0, places=6)
