import base64
import io

from openpyxl import load_workbook

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common_inclusion import InclusionCommon


@tagged("post_install", "-at_install")
class TestInclusionMonitoring(InclusionCommon):
    """Monitoring data from the ledger, locked periods and their versions, issuance into the
    registers, benefit sharing, and the monitoring report read back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls._biochar_project()

    def _computed(self, biochar_kg=10000):
        monitoring = self._period(self.project)
        monitoring.action_gather()
        self._line(monitoring, "biochar_kg").write({"value": biochar_kg, "attachment_ids": self._evidence("weigh.pdf")})
        monitoring.action_compute()
        return monitoring

    def test_ledger_counts_only_consumption_into_the_kiln_and_posted_bills(self):
        """Counted: 40 000 kg into the kiln (not the 3 000 kg into the orchard nor the 500 kg sold),
        2 000 + 1 500 − 300 (refund) = 3 200 kWh on posted bills of the period — not a draft bill of
        900 kWh nor a bill of 2024 (700 kWh)."""
        self._consume(self.prunings, 40000, self.kiln)
        self._consume(self.prunings, 3000, self.orchard)
        self._receive(self.prunings, 500)
        self._deliver(self.prunings, 500)
        self._bill_today(self.power, 2000)
        self._bill_today(self.power, 1500)
        self._bill_today(self.power, 300, move_type="in_refund")
        self._bill_today(self.power, 900, post=False)
        self._bill([{"product_id": self.power.id, "quantity": 700, "price_unit": 1.0}])
        monitoring = self._period(self.project)
        monitoring.action_gather()
        self.assertRecordValues(monitoring.line_ids.sorted("sequence"), [
            {"code": "prunings_kg", "value": 40000.0, "gathered": True, "product_id": self.prunings.id,
             "location_id": self.kiln.id, "ledger_count": 1},
            {"code": "biochar_kg", "value": 0.0, "gathered": False, "product_id": False, "location_id": False,
             "ledger_count": 0},
            {"code": "kiln_kwh", "value": 3200.0, "gathered": True, "product_id": self.power.id,
             "location_id": False, "ledger_count": 3},
        ])
        action = self._line(monitoring, "prunings_kg").action_open_ledger()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]).location_dest_id, self.kiln)

    def test_ledger_in_another_unit(self):
        """Prunings moved in tonnes count in the parameter's kg: 2 t → 2 000 kg."""
        self._receive(self.prunings, 2000)
        picking = self.env["stock.picking"].create({
            "picking_type_id": self.warehouse.out_type_id.id, "location_id": self.stock.id,
            "location_dest_id": self.kiln.id,
            "move_ids": [Command.create({"product_id": self.prunings.id, "product_uom_qty": 2,
                                        "product_uom": self.uom_ton.id, "location_id": self.stock.id,
                                        "location_dest_id": self.kiln.id})]})
        picking.action_confirm()
        self._validate(picking)
        monitoring = self._period(self.project)
        monitoring.action_gather()
        self.assertEqual(self._line(monitoring, "prunings_kg").value, 2000.0)

    def test_unmapped_parameter_is_an_error(self):
        self.project.source_ids.filtered(lambda s: s.monitoring_parameter_id.code == "kiln_kwh").unlink()
        monitoring = self._period(self.project)
        with self.assertRaisesRegex(UserError, "map the monitoring parameter Electricity of the kiln"):
            monitoring.action_gather()

    def test_submitted_period_is_locked_and_corrected_by_a_new_version(self):
        self._consume(self.prunings, 40000, self.kiln)
        monitoring = self._computed()
        monitoring.action_submit()
        self.assertEqual(monitoring.state, "submitted")
        with self.assertRaisesRegex(UserError, "locked"):
            self._line(monitoring, "biochar_kg").value = 12000
        with self.assertRaisesRegex(UserError, "locked"):
            monitoring.date_to = self.year_start
        with self.assertRaisesRegex(UserError, "locked"):
            monitoring.action_gather()
        with self.assertRaisesRegex(UserError, "kept"):
            monitoring.unlink()
        with self.assertRaises(ValidationError) as caught:
            self._period(self.project)
        self.assertIn("overlaps", str(caught.exception))
        correction = self.env["carbon.inclusion.monitoring"].browse(monitoring.action_new_version()["res_id"])
        self.assertRecordValues(correction, [{"version": 2, "previous_id": monitoring.id, "state": "draft",
                                              "computed": False, "result": 0.0}])
        self.assertEqual(self._line(correction, "biochar_kg").attachment_ids.mapped("name"), ["weigh.pdf"])
        self._line(correction, "biochar_kg").value = 8000
        correction.action_compute()
        correction.action_submit()
        # 8 000 × 0.77 × 0.80 × 44/12 = 18 069.333333; less 10 % = 16 262.4 → 16 t
        self.assertRecordValues(monitoring | correction, [
            {"state": "superseded", "superseded_by_id": correction.id, "result": 20328.0, "issuable_tonnes": 20},
            {"state": "submitted", "superseded_by_id": False, "result": 16262.4, "issuable_tonnes": 16},
        ])

    def test_registered_project_keeps_methodology_owner_and_participants(self):
        with self.assertRaisesRegex(UserError, "registered project are fixed"):
            self.project.methodology_id = self.organic
        with self.assertRaisesRegex(UserError, "registered project are fixed"):
            self.project.participant_ids[0].share_percent = 50.0
        with self.assertRaisesRegex(UserError, "registered project are fixed"):
            self.project.participant_ids[0].unlink()
        self.project.location = "Taiping, Conghua"
        draft = self._project(self.biochar, [])
        draft.methodology_id = self.organic
        self.assertEqual(draft.methodology_id, self.organic)

    def test_unknown_position_is_no_position(self):
        """A project whose position nobody entered has none: not the point 0, 0 (in the Gulf of Guinea).
        Coordinates entered make the position known; 0, 0 is a position only when said so."""
        project = self._project(self.biochar, [])
        self.assertRecordValues(project, [{"has_location": False}])
        with Form(project) as form:
            self.assertTrue(form._get_modifier("latitude", "invisible"))
            self.assertTrue(form._get_modifier("longitude", "invisible"))
            form.has_location = True
            self.assertFalse(form._get_modifier("latitude", "invisible"))
            form.latitude, form.longitude = 23.548, 113.586
        self.assertRecordValues(project, [{"has_location": True, "latitude": 23.548, "longitude": 113.586}])
        project.has_location = False
        self.assertRecordValues(project, [{"has_location": False}])
        located, gulf = self.env["carbon.inclusion.project"].create([
            {"name": "Located", "methodology_id": self.biochar.id, "latitude": 23.548, "longitude": 113.586},
            {"name": "Gulf", "methodology_id": self.biochar.id, "has_location": True}])
        self.assertRecordValues(located | gulf, [
            {"has_location": True, "latitude": 23.548}, {"has_location": True, "latitude": 0.0}])
        with self.assertRaisesRegex(ValidationError, "latitude"):
            located.latitude = 91.0
        with self.assertRaisesRegex(ValidationError, "longitude"):
            gulf.longitude = -180.5

    def test_submit_refuses_stale_figures(self):
        self._consume(self.prunings, 40000, self.kiln)
        monitoring = self._computed()
        self._line(monitoring, "biochar_kg").value = 11000
        self.assertFalse(monitoring.computed)
        with self.assertRaisesRegex(UserError, "compute"):
            monitoring.action_submit()

    def test_sink_issues_verified_removals_only(self):
        """A sink's 20 issuable tonnes (10 000 kg biochar, no electricity: 22 586.666667 less 10 % =
        20 328 kgCO2e) become a verified E-asset once the period is verified; no credit."""
        self._consume(self.prunings, 40000, self.kiln)
        monitoring = self._computed()
        monitoring.action_submit()
        with self.assertRaisesRegex(UserError, "verified period"):
            monitoring._issue(19, 2026, "PHCER", "A1", "A19", self.today, False)
        self._verify(monitoring)
        with self.assertRaisesRegex(UserError, "from 1 to 20"):
            monitoring._issue(21, 2026, "PHCER", "A1", "A21", self.today, False)
        wizard = self.env["carbon.inclusion.issue"].create({
            "monitoring_id": monitoring.id, "serial_from": "GD-PHCER-0001", "serial_to": "GD-PHCER-0020"})
        self.assertEqual((wizard.tonnes, wizard.vintage), (20, self.year_end.year))
        wizard.action_issue()
        self.assertRecordValues(monitoring.removal_id, [{
            "tonnes": 20.0, "method": "biochar", "origin": "generated", "verification_state": "verified",
            "serial_from": "GD-PHCER-0001", "serial_to": "GD-PHCER-0020", "vintage": self.year_end.year}])
        self.assertFalse(monitoring.credit_id)

    def test_reduction_issues_credits_never_removals(self):
        self._consume(self.fertiliser, 50000, self.orchard)
        monitoring = self._organic_period()
        monitoring.action_submit()
        self._verify(monitoring)
        removals_before = self.env["carbon.removal"].search_count([])
        credit = monitoring._issue(2, 2026, "Guangdong Carbon Inclusion (PHCER)", "N1", "N2", self.today, "GD-N-1")
        self.assertRecordValues(credit, [{"credit_type": "reduction", "origin": "issued", "tonnes": 2.0,
                                          "standard": "PHCER", "project_reference": "PHCER-GD-0001",
                                          "verification_state": "verified"}])
        self.assertEqual(self.env["carbon.removal"].search_count([]), removals_before)

    def test_credits_never_netted_against_emissions_or_e_liabilities(self):
        """Issuing, selling and retiring credits leaves the ledger, the GHG inventory and the
        E-liability statement as they were; retired credits are reported apart."""
        self._consume(self.fertiliser, 50000, self.orchard)
        self._bill_today(self.power, 1000)
        monitoring = self._organic_period()
        monitoring.action_submit()
        self._verify(monitoring)
        ghg = self.env["carbon.report.ghg"]
        eliability = self.env["carbon.report.eliability"]
        keys = ("scope1", "scope2_market", "scope2_location", "scope3", "total")
        ghg_before = {key: ghg._get_data(self.company, self.year_start, self.year_end)[key] for key in keys}
        statement_before = eliability._get_data(self.company, self.year_start, self.year_end)
        lines_before = self.env["carbon.move.line"].search_count([])
        credit = monitoring._issue(2, 2026, "PHCER", "N1", "N2", self.today, False)
        self.env["carbon.register.movement"].create([
            {"credit_id": credit.id, "movement_type": "retire", "tonnes": 1.0, "reference": "GD-RET-1"},
            {"credit_id": credit.id, "movement_type": "sell", "tonnes": 1.0, "partner_id": self.customer.id,
             "reference": "Contract 7"}])
        self.assertEqual(self.env["carbon.move.line"].search_count([]), lines_before)
        ghg_after = ghg._get_data(self.company, self.year_start, self.year_end)
        self.assertEqual({key: ghg_after[key] for key in keys}, ghg_before)
        statement_after = eliability._get_data(self.company, self.year_start, self.year_end)
        for key in ("opening", "direct", "energy", "acquired", "transferred", "written_off", "closing",
                    "ledger_closing", "removals_verified"):
            self.assertEqual(statement_after[key], statement_before[key], key)
        self.assertEqual(statement_after["credits_retired"], 1000.0)
        # no diesel billed: net 8 710.289855 − 5 290 = 3 420.289855, less 10 % (342.028986) = 3 078.260869
        summary = self.env["carbon.inclusion.report"]._get_summary_data(self.company, self.year_start, self.year_end)
        self.assertEqual([(r["project"], r["reductions"], r["removals"], r["credits_issued"], r["sold"], r["retired"])
                          for r in summary["rows"]], [(monitoring.project_id, 3078.260869, 0, 2.0, 1.0, 1.0)])
        wizard = self.env["carbon.inclusion.summary.wizard"].create(
            {"date_from": self.year_start, "date_to": self.year_end})
        wizard.action_export_xlsx()
        sheet = load_workbook(io.BytesIO(base64.b64decode(wizard.file))).active
        rows = list(sheet.iter_rows(min_row=5, max_row=5, values_only=True))
        # reductions, removals, issued, issued as E-assets, sold, transferred, retired, paid
        self.assertEqual(rows, [("Orchards N", 3078.260869, 0, 2, 0, 1, 0, 1, 0, 0)])

    def test_correction_issues_only_the_difference(self):
        self._consume(self.prunings, 40000, self.kiln)
        monitoring = self._computed(biochar_kg=8000)
        monitoring.action_submit()
        self._verify(monitoring)
        monitoring._issue(16, 2026, "PHCER", "A1", "A16", self.today, False)
        correction = self.env["carbon.inclusion.monitoring"].browse(monitoring.action_new_version()["res_id"])
        self._line(correction, "biochar_kg").value = 10000
        correction.action_compute()
        correction.action_submit()
        self._verify(correction)
        # 16 t issued from version 1; version 2 allows 20 t: 4 more
        with self.assertRaisesRegex(UserError, "from 1 to 4"):
            correction._issue(20, 2026, "PHCER", "A17", "A36", self.today, False)
        correction._issue(4, 2026, "PHCER", "A17", "A20", self.today, False)
        self.assertEqual(monitoring.removal_id.tonnes + correction.removal_id.tonnes, 20.0)

    def test_project_validation_needs_shares_and_evidence(self):
        project = self._project(self.biochar, [], participants=[(self.farmer_a, 60.0), (self.farmer_b, 30.0)])
        with self.assertRaisesRegex(UserError, "add up to 90"):
            project.action_validate()
        project.participant_ids[1].share_percent = 40.0
        with self.assertRaisesRegex(UserError, "answered yes with evidence"):
            project.action_validate()
        for answer in project.checklist_ids:
            answer.answer = "yes"
        with self.assertRaisesRegex(UserError, "answered yes with evidence"):
            project.action_validate()
        for answer in project.checklist_ids:
            answer.attachment_ids = self._evidence()
        project.action_validate()
        with self.assertRaisesRegex(UserError, "registry's project number"):
            project.action_register()
        project.reference = "PHCER-2"
        project.action_register()
        with self.assertRaisesRegex(UserError, "fixed"):
            project.participant_ids[0].share_percent = 50.0

    def test_benefit_sharing_to_vendor_bills(self):
        """CNY 1 000.00 at 33.3333 / 33.3333 / 33.3334 %: 333.33, 333.33, 333.34 — the cent left goes
        to the largest remainder (0.34 vs 0.33)."""
        project = self._to_monitoring(self._project(self.biochar, [], name="Three farms", participants=[
            (self.farmer_a, 33.3333), (self.farmer_b, 33.3333), (self.farmer_c, 33.3334)]))
        payout = self.env["carbon.inclusion.payout"].create({
            "project_id": project.id, "revenue": 1000.0, "currency_id": self.cny.id})
        payout.action_compute_lines()
        self.assertRecordValues(payout.line_ids, [
            {"partner_id": self.farmer_a.id, "amount": 333.33}, {"partner_id": self.farmer_b.id, "amount": 333.33},
            {"partner_id": self.farmer_c.id, "amount": 333.34}])
        payout.action_confirm()
        payout.action_create_bills()
        bills = payout.line_ids.bill_id
        self.assertRecordValues(bills, [
            {"move_type": "in_invoice", "partner_id": self.farmer_a.id, "amount_total": 333.33,
             "currency_id": self.cny.id, "state": "draft"},
            {"move_type": "in_invoice", "partner_id": self.farmer_b.id, "amount_total": 333.33,
             "currency_id": self.cny.id, "state": "draft"},
            {"move_type": "in_invoice", "partner_id": self.farmer_c.id, "amount_total": 333.34,
             "currency_id": self.cny.id, "state": "draft"}])
        self.assertEqual(payout.state, "billed")

    def test_monitoring_report_xlsx_and_pdf(self):
        self._consume(self.prunings, 40000, self.kiln)
        self._bill_today(self.power, 2000)
        monitoring = self._computed()
        content = self.env["carbon.inclusion.report.xlsx"]._render_monitoring_xlsx(monitoring)
        workbook = load_workbook(io.BytesIO(content))
        self.assertEqual(workbook.sheetnames, ["Project", "Boundary", "Baseline", "Monitoring Data", "Calculations",
                                               "Results", "Uncertainty and QA-QC", "Evidence"])
        results = {row[0]: row[1] for row in workbook["Results"].iter_rows(min_row=4, values_only=True)}
        self.assertEqual(results["Project sink"], 21513.466667)
        self.assertEqual(results["Removals"], 19362.12)
        self.assertEqual(results["Issuable (whole tCO2e, rounded down)"], 19)
        data = {row[0]: row[2] for row in workbook["Monitoring Data"].iter_rows(min_row=4, values_only=True)}
        self.assertEqual(data, {"prunings_kg": 40000, "biochar_kg": 10000, "kiln_kwh": 2000})
        evidence = [row[2] for row in workbook["Evidence"].iter_rows(min_row=4, values_only=True)]
        self.assertIn("weigh.pdf", evidence)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "carbon_accounting.action_report_inclusion_monitoring", monitoring.ids)[0].decode()
        for text in ("1. Project", "2. Boundary", "3. Baseline and formulas", "4. Monitoring data", "5. Calculations",
                     "6. Results", "7. Uncertainty", "8. QA/QC", "9. Evidence index", "21,513.467 kgCO2e",
                     "19</span> tCO2e", "IPCC 2019 Refinement", "weigh.pdf", "Guangdong Province"):
            self.assertIn(text, html)

    def test_access_per_role_and_company(self):
        user = new_test_user(self.env, "inclusion_user", groups="carbon_accounting.group_carbon_user")
        accountant = new_test_user(self.env, "inclusion_accountant", groups="carbon_accounting.group_carbon_accountant")
        self.assertEqual(self.project.with_user(user).read(["name"])[0]["name"], self.project.name)
        with self.assertRaises(AccessError):
            self.env["carbon.inclusion.project"].with_user(user).create(
                {"name": "x", "methodology_id": self.biochar.id})
        with self.assertRaises(AccessError):
            self.biochar.with_user(accountant).write({"deduction_percent": 0})
        monitoring = self._period(self.project).with_user(accountant)
        monitoring.action_gather()
        with self.assertRaises(AccessError):
            monitoring.with_user(user).unlink()
        other = self.env["res.company"].create({"name": "Other orchard company"})
        stranger = new_test_user(self.env, "inclusion_stranger", groups="carbon_accounting.group_carbon_manager",
                                 company_id=other.id, company_ids=[Command.set(other.ids)])
        Project = self.env["carbon.inclusion.project"].with_user(stranger)
        self.assertFalse(Project.search([("id", "=", self.project.id)]))
        self.assertFalse(self.env["carbon.inclusion.monitoring"].with_user(stranger).search(
            [("project_id", "=", self.project.id)]))
        self.assertEqual(self.env["carbon.inclusion.methodology"].with_user(stranger).search(
            [("id", "in", (self.biochar | self.organic).ids)]), self.biochar | self.organic)
