import io
from datetime import date

from openpyxl import load_workbook
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from .common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestCarbonTarget(StockCarbonCommon):
    """SBTi targets on the posted ledger. Scope 1 activities of a boiler burning gas oil at 2 kgCO2e/L:
    500 L in 2020 = 1,000 kg (the base), 475 L in 2021 = 950, 465 L in 2022 = 930. At 4.2 %/yr of the
    base the path is 1000, 958, 916, 874, 832, 790 (2025 = 1000 x (1 - 0.042 x 5)): 2021 is 8 below
    its path (on track), 2022 14 above (off track), 2023 to 2025 have no data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gas_oil = cls.env["carbon.emission.factor"].create({
            "name": "Gas oil burnt", "code": "TEST.TARGET.OIL", "source": "Test", "basis": "physical",
            "uom_id": cls.uom_litre.id, "value": 2.0, "scope": "1",
        })
        cls.accountant = new_test_user(cls.env, "target_accountant", groups="carbon_accounting.group_carbon_accountant")

    def _burn(self, day, litres, company=None):
        activity = self.env["carbon.activity"].create({
            "name": f"Boiler {day}", "date": day, "quantity": litres, "uom_id": self.uom_litre.id,
            "factor_id": self.gas_oil.id, "company_id": (company or self.company).id,
            "attachment_ids": [Command.create({"name": "meter.pdf", "raw": b"%PDF meter"})],
        })
        activity.action_post()
        return activity

    def _history(self):
        self._burn(date(2020, 3, 1), 500)
        self._burn(date(2021, 3, 1), 475)
        self._burn(date(2022, 3, 1), 465)

    def _target(self, **vals):
        return self.env["carbon.target"].create({
            "name": "Scopes 1 and 2, 1.5 °C", "base_year": 2020, "target_year": 2025,
            "submission_date": date(2020, 6, 1), **vals,
        })

    def test_path_against_a_hand_calculation(self):
        self._history()
        target = self._target()
        self.assertEqual(target.rate, 4.2)
        target.action_confirm()
        self.assertEqual((target.state, target.base_recorded), ("confirmed", 1000.0))
        data = target._get_report_data()
        self.assertEqual([row["target"] for row in data["path"]], [1000.0, 958.0, 916.0, 874.0, 832.0, 790.0])
        self.assertEqual([row["actual"] for row in data["path"]], [1000.0, 950.0, 930.0, None, None, None])
        self.assertEqual([row["gap"] for row in data["path"]], [0.0, -8.0, 14.0, None, None, None])
        self.assertEqual([row["status"] for row in data["path"]],
                         ["on_track", "on_track", "off_track", "no_data", "no_data", "no_data"])
        self.assertEqual((data["target"], data["reduction_percent"]), (790.0, 21.0))
        self.assertEqual((target.track_year, target.track_status), (2022, "off_track"))
        self.assertFalse(target.warning)
        # 2023 brings the actual under its path: 850 < 874
        self._burn(date(2023, 5, 1), 425)
        target.invalidate_recordset()
        self.assertEqual((target.track_year, target.track_status), (2023, "on_track"))
        # the graph's points: six of the path, four actuals, nothing for the years without data
        action = target.action_view_graph()
        self.assertEqual(action["res_model"], "carbon.target.line")
        self.assertRecordValues(target.line_ids.filtered(lambda line: line.series == "actual"), [
            {"year": 2020, "value": 1000.0}, {"year": 2021, "value": 950.0},
            {"year": 2022, "value": 930.0}, {"year": 2023, "value": 850.0},
        ])
        self.assertEqual(target.line_ids.filtered(lambda line: line.series == "target").mapped("value"),
                         [1000.0, 958.0, 916.0, 874.0, 832.0, 790.0])

    def test_scopes_covered(self):
        self._history()
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.vendor.id, "invoice_date": date(2020, 6, 1),
            "invoice_line_ids": [Command.create({"product_id": self.fertiliser.id, "quantity": 100, "price_unit": 1})],
        })
        bill.action_post()                      # 100 kg x 2.0 = 200 Scope 3 in 2020
        self.assertEqual(self._target().base_figure, 1000.0)
        self.assertEqual(self._target(scope3=True).base_figure, 1200.0)
        self.assertEqual(self._target(scope1=False, scope2=False, scope3=True).base_figure, 200.0)

    def test_default_rates_and_scope3_minimum(self):
        self.assertEqual(self._target(scope1=False, scope2=False, scope3=True).rate, 2.5)
        self.assertEqual(self._target(method="flag").rate, 3.03)
        self.assertEqual(self._target(scope3=True, rate=2.5).rate, 2.5)
        with self.assertRaisesRegex(ValidationError, "at least 2.5 % a year"):
            self._target(scope3=True, rate=2.4)
        with self.assertRaisesRegex(ValidationError, "at least 2.5 % a year"):
            self._target(scope1=False, scope2=False, scope3=True, method="intensity", rate=2.0)
        target = self._target(scope3=True)
        with self.assertRaises(ValidationError):
            target.rate = 1.0
        # Scopes 1 and 2 below 1.5 °C: warned, not refused
        self.assertIn("below the 4.2 % of a 1.5 °C path", self._target(rate=3.0).warning)
        with self.assertRaises(ValidationError):
            self._target(scope1=False, scope2=False)

    def test_years(self):
        self._history()
        self.assertFalse(self._target(target_year=2025).warning)                 # 5 years after 2020
        self.assertFalse(self._target(target_year=2030).warning)                 # 10
        self.assertIn("2024 is 4 year(s) after the submission (2020)", self._target(target_year=2024).warning)
        self.assertIn("2031 is 11 year(s) after", self._target(target_year=2031).warning)
        self.assertTrue(self._target(target_year=2031).exists())                  # warned, not refused
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self._target(base_year=2014, target_year=2020)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self._target(base_year=2020, target_year=2020)

    def test_base_year_correction_warns_and_rebaselines(self):
        self._history()
        target = self._target()
        target.action_confirm()
        self.assertFalse(target.recalculation_needed)
        # a factor correction booked in the base year: +40 kg is 4 %, under the policy's 5 %
        self._burn(date(2020, 11, 30), 20)
        target.invalidate_recordset()
        self.assertEqual((target.base_figure, target.base_change_percent), (1040.0, 4.0))
        self.assertFalse(target.recalculation_needed)
        # +20 more: 6 %, a visible warning; the path still runs from the recorded 1,000
        self._burn(date(2020, 12, 15), 10)
        target.invalidate_recordset()
        self.assertEqual((target.base_figure, target.base_change_percent), (1060.0, 6.0))
        self.assertTrue(target.recalculation_needed)
        self.assertIn("The base year 2020 now reads 1060.000 against 1000.000 recorded (6.0 %)", target.warning)
        self.assertEqual(target.target_figure, 790.0)
        target.with_user(self.accountant).action_rebaseline()
        self.assertEqual(target.base_recorded, 1060.0)
        self.assertFalse(target.recalculation_needed)
        self.assertEqual(target.target_figure, 837.4)                            # 1,060 x 0.79
        self.assertIn("base year 2020 from 1000.000 to 1060.000 kgCO2e (6.0 %)", target.message_ids[0].body)
        # a reversal in the base year moves it back: -5.66 % against 1,060
        self.env["carbon.activity"].search([("date", "=", date(2020, 11, 30))]).action_reverse()
        self.env["carbon.activity"].search([("date", "=", date(2020, 12, 15))]).action_reverse()
        target.invalidate_recordset()
        self.assertEqual((target.base_figure, target.base_change_percent), (1000.0, -5.66))
        self.assertTrue(target.recalculation_needed)

    def test_base_entered_with_evidence_before_the_ledger(self):
        self._burn(date(2021, 3, 1), 2300)                                      # 4,600 kg in 2021
        target = self._target(name="Since 2016", base_year=2016, target_year=2026, submission_date=date(2021, 1, 10))
        self.assertIn("The ledger holds no figure for 2016", target.base_reason)
        with self.assertRaisesRegex(UserError, "no figure for 2016"):
            target.action_confirm()
        target.write({"base_source": "manual", "base_manual": 5000.0})
        with self.assertRaisesRegex(UserError, "attach the evidence"):
            target.action_confirm()
        target.evidence_ids = [Command.create({"name": "inventory_2016.pdf", "raw": b"%PDF 2016 inventory"})]
        target.action_confirm()
        self.assertEqual(target.base_recorded, 5000.0)
        rows = {row["year"]: row for row in target._get_report_data()["path"]}
        self.assertEqual(rows[2016]["actual"], 5000.0)
        self.assertEqual(rows[2017], {"year": 2017, "target": 4790.0, "actual": None, "gap": None, "status": "no_data"})
        # 2021: 5,000 x (1 - 0.042 x 5) = 3,950, the ledger 4,600: off track
        self.assertEqual(
            (rows[2021]["target"], rows[2021]["actual"], rows[2021]["status"]), (3950.0, 4600.0, "off_track")
        )

    def test_intensity_per_million_of_revenue(self):
        self._history()
        for day, amount in ((date(2020, 7, 1), 100000.0), (date(2021, 7, 1), 125000.0)):
            invoice = self.env["account.move"].create({
                "move_type": "out_invoice", "partner_id": self.customer.id, "invoice_date": day,
                "invoice_line_ids": [Command.create({"name": "Lychees", "quantity": 1, "price_unit": amount,
                                                     "tax_ids": []})],
            })
            invoice.action_post()
        target = self._target(method="intensity", intensity_basis="revenue")
        self.assertEqual(target.unit_label, "kgCO2e per million USD of revenue")
        target.action_confirm()
        # 2020: 1,000 kg / 0.1 M = 10,000; 2021: 950 / 0.125 M = 7,600 against 10,000 x 0.958 = 9,580;
        # 2022 has emissions but no revenue: no figure, with the reason
        rows = {row["year"]: row for row in target._get_report_data()["path"]}
        self.assertEqual(target.base_recorded, 10000.0)
        self.assertEqual(
            (rows[2021]["target"], rows[2021]["actual"], rows[2021]["status"]), (9580.0, 7600.0, "on_track")
        )
        self.assertEqual(rows[2022]["status"], "no_data")
        self.assertIn("2022: no revenue to divide by.", target.warning)

    def test_intensity_per_unit_sold(self):
        """Needs the GHG builder's ``unit_intensity`` (engineer "ghg"): 100 kg of honey received
        (100 x 2.0 = 200 kg Scope 3) and 40 kg delivered: 200 / 40 = 5 kgCO2e per kg sold."""
        year = fields.Date.today().year
        self._receive(self.honey, 100)
        self._deliver(self.honey, 40)
        target = self._target(name="Honey", scope1=False, scope2=False, scope3=True, method="intensity",
                              intensity_basis="unit_sold", unit_product_id=self.honey.id, base_year=year,
                              target_year=year + 5, submission_date=fields.Date.today())
        self.assertEqual(target.unit_label, "kgCO2e per unit sold of Lychee honey")
        self.assertEqual(target.base_figure, 5.0)
        target.action_confirm()
        self.assertEqual(target._get_report_data()["target"], 4.375)            # 5 x (1 - 0.025 x 5)
        with self.assertRaises(ValidationError):
            target.unit_product_id = False

    def test_companies_apart_and_roles(self):
        self._history()
        other = self.env["res.company"].create({"name": "Other Lychee Farm"})
        self._burn(date(2020, 3, 1), 50, company=other)                          # 100 kg at the other farm
        mine = self._target()
        theirs = self._target(company_id=other.id)
        self.assertEqual((mine.base_figure, theirs.base_figure), (1000.0, 100.0))
        user = new_test_user(self.env, "target_reader", groups="carbon_accounting.group_carbon_user",
                             company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        Target = self.env["carbon.target"].with_user(user)
        self.assertEqual(Target.search([("id", "in", (mine | theirs).ids)]), mine)
        self.assertEqual(mine.with_user(user).base_figure, 1000.0)
        with self.assertRaises(AccessError):
            theirs.with_user(user).read(["base_figure"])
        with self.assertRaises(AccessError):
            mine.with_user(user).write({"name": "Changed"})
        auditor = new_test_user(self.env, "target_auditor", groups="carbon_accounting.group_carbon_auditor")
        self.assertFalse(self.env["carbon.target"].with_user(auditor).has_access("create"))
        self.assertTrue(self.env["carbon.target"].with_user(self.accountant).has_access("create"))
        # a reader opens the graph (its points are derived rows)
        mine.with_user(user).action_view_graph()
        self.assertEqual(len(mine.line_ids), 6 + 3)

    def test_xlsx_read_back(self):
        self._history()
        target = self._target()
        target.action_confirm()
        content, report_type = self.env["ir.actions.report"]._render_xlsx(
            "carbon_accounting.target_xlsx", target.ids, {})
        self.assertEqual(report_type, "xlsx")
        book = load_workbook(io.BytesIO(content))
        path = {row[0]: row[1:] for row in book["Path"].iter_rows(min_row=5, values_only=True)}
        self.assertEqual(path[2021], (958.0, 950.0, -8.0, "On track"))
        self.assertEqual(path[2022], (916.0, 930.0, 14.0, "Off track"))
        self.assertEqual(path[2025], (790.0, None, None, "No data"))
        summary = {row[0]: row[1:] for row in book["Target"].iter_rows(min_row=4, values_only=True)}
        self.assertEqual(summary["Base figure recorded"][0], 1000.0)
        self.assertEqual(summary["Target-year figure"], (790.0, "-21.0 %"))
        self.assertEqual(summary["Latest year tracked after the base year"], (2022, "Off track"))
        action = target.action_export_xlsx()
        self.assertEqual((action["report_type"], action["report_name"]), ("xlsx", "carbon_accounting.target_xlsx"))

    def test_pdf_text(self):
        self._history()
        target = self._target()
        target.action_confirm()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "carbon_accounting.action_report_carbon_target", target.ids)[0].decode()
        for text in ("Scopes 1 and 2, 1.5 °C", "Absolute contraction", "4.20", "1,000.000", "958.000", "950.000",
                     "-8.000", "+14.000", "790.000", "21.00", "Off track", "No data", "2022"):
            self.assertIn(text, html)
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "install":
            self.skipTest("wkhtmltopdf is not installed: scripts/test.sh installs it")
        pdf, __ = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "carbon_accounting.action_report_carbon_target", target.ids)
        text = " ".join("".join(page.extract_text() for page in PdfFileReader(io.BytesIO(pdf)).pages).split())
        for text_figure in ("1,000.000", "958.000", "+14.000", "790.000", "2022: Off track", "(-21.00 %)"):
            self.assertIn(text_figure, text)
