from odoo import Command, fields
from odoo.tests import Form

from odoo.addons.carbon_accounting.tests.common_stock import StockCarbonCommon


class ProductionCarbonCommon(StockCarbonCommon):
    """Lychee mead made of honey and wine, with beeswax as a by-product (10% of the cost), and
    electricity billed into the overhead pool."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mead = cls._product("Lychee mead", uom=cls.uom_unit, categ=cls.categ_avco, is_storable=True, weight=1.5)
        cls.wax = cls._product("Beeswax", uom=cls.uom_kg, categ=cls.categ_avco, is_storable=True, weight=1.0)
        cls.honey.weight = 1.0
        cls.wine.weight = 0.75
        cls.bom = cls.env["mrp.bom"].create({
            "product_tmpl_id": cls.mead.product_tmpl_id.id, "product_qty": 1,
            "bom_line_ids": [Command.create({"product_id": cls.honey.id, "product_qty": 2}),
                             Command.create({"product_id": cls.wine.id, "product_qty": 1})],
            "byproduct_ids": [Command.create({"product_id": cls.wax.id, "product_qty": 1, "cost_share": 10})],
        })
        kwh = cls.env.ref("carbon_accounting.uom_kwh")
        grid = cls.env["carbon.emission.factor"].create({
            "name": "Grid", "code": "TEST.GRID", "source": "MEE", "basis": "physical", "uom_id": kwh.id,
            "value": 0.5, "scope": "2",
        })
        cls.power = cls._product("Electricity", uom=kwh, factor=grid, type="service")

    def _produce(self, qty, direct=0.0, bom=None):
        bom = bom or self.bom
        form = Form(self.env["mrp.production"])
        form.product_id = bom.product_tmpl_id.product_variant_id
        form.bom_id = bom
        form.product_qty = qty
        production = form.save()
        production.carbon_direct_amount = direct
        production.action_confirm()
        form = Form(production)
        form.qty_producing = qty
        form.save()
        production.move_raw_ids.picked = True
        production.button_mark_done()
        return production

    def _power_bill(self, kwh):
        """A bill of ``kwh`` of grid electricity: kwh x 0.5 kgCO2e into the pool."""
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.vendor.id, "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": self.power.id, "quantity": kwh, "price_unit": 0.1})],
        })
        bill.action_post()
        return bill

    def _scrap(self, product, qty):
        scrap = self.env["stock.scrap"].create({
            "product_id": product.id, "scrap_qty": qty, "product_uom_id": product.uom_id.id,
            "location_id": self.stock.id,
        })
        scrap.action_validate()
        return scrap.move_ids

    def _unbuild(self, production, qty):
        unbuild = self.env["mrp.unbuild"].create({
            "product_id": production.product_id.id, "mo_id": production.id, "product_qty": qty,
            "bom_id": production.bom_id.id,
        })
        unbuild.action_unbuild()
        return unbuild

    def _allocate(self, target, basis="quantity"):
        today = fields.Date.today()
        allocation = self.env["carbon.allocation"].create(
            {"date_from": today, "date_to": today, "target": target, "basis": basis})
        allocation.action_compute()
        return allocation

    def _check(self):
        check = self.env["carbon.conservation.wizard"].create({})
        check.action_check()
        return check
