import base64

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common_stock import StockCarbonCommon


@tagged("post_install", "-at_install", "carbon_tour")
class TestOverviewTour(HttpCase, StockCarbonCommon):
    """An accountant opens the Carbon app, reads a figure of the overview and clicks through to the
    lines behind it, then to the unassessed stock moves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, "carbon_tour_accountant", groups="carbon_accounting.group_carbon_accountant",
                      company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])

    def test_overview_tour(self):
        self._receive(self.honey, 100)  # 100 kg x 2 kgCO2e/kg acquired
        self._receive(self.unknown, 10)
        self.env["carbon.removal"].create({
            "name": "Biochar kiln batch", "method": "biochar", "tonnes": 12.5, "buffer_percent": 20.0,
            "removal_date": fields.Date.today(), "verification_state": "verified",
            "verification_statement": base64.b64encode(b"statement"), "verification_statement_name": "statement.pdf",
        })
        self.start_tour("/odoo", "carbon_overview_tour", login="carbon_tour_accountant")
