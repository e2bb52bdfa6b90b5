from datetime import date

from odoo import Command

from .common_stock import StockCarbonCommon


class BillCarbonCommon(StockCarbonCommon):
    """Grid electricity (a service, Scope 2, 0.5 kg/kWh), diesel bought as a consumable (Scope 1,
    2.7 kg/L), an expense account, and a helper that posts a vendor bill."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kwh = cls.env.ref("carbon_accounting.uom_kwh")
        Factor = cls.env["carbon.emission.factor"]
        cls.factor_grid = Factor.create({
            "name": "Grid", "code": "TEST.GRID", "source": "MEE", "basis": "physical", "uom_id": cls.kwh.id,
            "value": 0.5, "scope": "2",
        })
        cls.factor_diesel = Factor.create({
            "name": "Diesel", "code": "TEST.DIESEL.L", "source": "IPCC", "basis": "physical",
            "uom_id": cls.uom_litre.id, "value": 2.7, "scope": "1",
        })
        cls.power = cls._product("Electricity", uom=cls.kwh, factor=cls.factor_grid, type="service")
        cls.diesel = cls._product("Diesel", uom=cls.uom_litre, factor=cls.factor_diesel, type="consu")
        cls.expense_account = cls.env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", cls.company.id)], limit=1)

    def _bill(self, lines, move_type="in_invoice", post=True):
        bill = self.env["account.move"].create({
            "move_type": move_type, "partner_id": self.vendor.id, "invoice_date": date(2024, 6, 1),
            "invoice_line_ids": [Command.create(vals) for vals in lines],
        })
        if post:
            bill.action_post()
        return bill
