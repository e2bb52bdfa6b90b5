from datetime import date

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CarbonCommon


@tagged("post_install", "-at_install", "carbon_tour")
class TestTargetTour(HttpCase, CarbonCommon):
    """A carbon user opens a confirmed target: its path against the ledger's actuals, the graph, and
    the report in the browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        factor = cls.env["carbon.emission.factor"].create({
            "name": "Tour gas oil", "code": "TOUR.TARGET.OIL", "source": "Test", "basis": "physical",
            "uom_id": cls.uom_litre.id, "value": 2.0, "scope": "1",
        })
        activities = cls.env["carbon.activity"].create([{
            "name": f"Boiler {year}", "date": date(year, 3, 1), "quantity": litres, "uom_id": cls.uom_litre.id,
            "factor_id": factor.id, "attachment_ids": [Command.create({"name": "meter.pdf", "raw": b"%PDF meter"})],
        } for year, litres in ((2020, 500), (2021, 475), (2022, 465))])
        activities.action_post()
        cls.target = cls.env["carbon.target"].create({
            "name": "Tour target 1.5 C", "base_year": 2020, "target_year": 2025, "submission_date": date(2020, 6, 1),
        })
        cls.target.action_confirm()
        new_test_user(cls.env, "carbon_target_reader", groups="carbon_accounting.group_carbon_user",
                      company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])

    def test_target_tour(self):
        self.start_tour("/odoo", "carbon_target_tour", login="carbon_target_reader")

    def test_report_in_the_browser(self):
        self.authenticate("carbon_target_reader", "carbon_target_reader")
        response = self.url_open(f"/report/html/carbon_accounting.report_carbon_target/{self.target.id}")
        self.assertEqual(response.status_code, 200)
        for text in ("Tour target 1.5 C", "790.000", "958.000", "Off track"):
            self.assertIn(text, response.text)
