import base64
from datetime import timedelta

from odoo import Command, fields

from odoo.addons.carbon_accounting.tests.common_stock import StockCarbonCommon

STATEMENT = base64.b64encode(b"%PDF verification statement")


class PassportCommon(StockCarbonCommon):
    """A reference period of 30 days in which honey is bought from two vendors (one primary, one
    verified declaration), partly sold, and the overhead pool (a wood boiler and grid electricity)
    allocated to it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.date_from = cls.today - timedelta(days=30)
        cls.wood = cls.env["carbon.emission.factor"].create({
            "name": "Wood chips, boiler", "code": "TEST.WOOD", "source": "Test / publisher / 2024",
            "basis": "physical", "uom_id": cls.uom_kg.id, "value": 0.05, "co2_biogenic": 1.8, "scope": "1",
        })
        cls.grid = cls.env["carbon.emission.factor"].create({
            "name": "Grid", "code": "TEST.GRID", "source": "MEE", "basis": "physical",
            "uom_id": cls.env.ref("carbon_accounting.uom_kwh").id, "value": 0.5, "scope": "2"})
        cls.Passport = cls.env["carbon.passport"]

    def _flow(self):
        self._receive(self.honey, 10, declared=1.5)                                   # 15 primary
        self.env["product.supplierinfo"].create({
            "partner_id": self.vendor_b.id, "product_tmpl_id": self.honey.product_tmpl_id.id,
            "carbon_intensity": 1.0, "carbon_data_quality": "verified",
        })
        self._receive(self.honey, 10, partner=self.vendor_b)                         # 10 verified
        self._deliver(self.honey, 4)
        self.env["carbon.activity"].create({
            "name": "Wood boiler", "date": self.today, "quantity": 100, "uom_id": self.uom_kg.id,
            "factor_id": self.wood.id,
            "attachment_ids": [Command.create({"name": "meter.pdf", "raw": b"%PDF reading"})],
        }).action_post()                                                              # 5, biogenic CO2 180
        power = self._product("Electricity", uom=self.grid.uom_id, factor=self.grid, type="service")
        self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.vendor.id, "invoice_date": self.today,
            "invoice_line_ids": [Command.create({"product_id": power.id, "quantity": 100, "price_unit": 0.1})],
        }).action_post()                                                              # 100 kWh x 0.5 = 50
        allocation = self.env["carbon.allocation"].create(
            {"date_from": self.date_from, "date_to": self.today, "target": "sales", "basis": "quantity"})
        allocation.action_compute()
        allocation.action_post()                                                      # the pool, 55, to honey

    def _passport(self, product=None, **vals):
        return self.Passport.create({
            "product_id": (product or self.honey).id, "date_from": self.date_from, "date_to": self.today,
            "dq_technological": "2", "dq_geographical": "1", "dq_temporal": "1", **vals})

    def _credit_retired(self, tonnes, name="VCS 2025 A"):
        credit = self.env["carbon.credit"].create({
            "name": name, "origin": "issued", "tonnes": 1.0, "standard": "VCS",
            "verification_statement": STATEMENT, "verification_state": "verified"})
        return self.env["carbon.register.movement"].create({
            "credit_id": credit.id, "movement_type": "retire", "tonnes": tonnes, "date": self.today,
            "reference": f"RET-{name}"})

    def _removal(self, tonnes, verified=True):
        return self.env["carbon.removal"].create({
            "name": "Biochar batch", "method": "biochar", "tonnes": tonnes, "removal_date": self.today,
            "verification_statement": STATEMENT, "verification_statement_name": "statement.pdf",
            "verification_state": "verified" if verified else "unverified"})
