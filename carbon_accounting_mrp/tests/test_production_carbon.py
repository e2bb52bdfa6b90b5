from odoo import Command
from odoo.tests import Form, tagged

from odoo.addons.carbon_accounting.tests.common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestProductionCarbon(StockCarbonCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mead = cls._product("Lychee mead", uom=cls.uom_unit, categ=cls.categ_avco, is_storable=True)
        cls.wax = cls._product("Beeswax", uom=cls.uom_kg, categ=cls.categ_avco, is_storable=True)
        cls.bom = cls.env["mrp.bom"].create({
            "product_tmpl_id": cls.mead.product_tmpl_id.id, "product_qty": 1,
            "bom_line_ids": [Command.create({"product_id": cls.honey.id, "product_qty": 2}),
                             Command.create({"product_id": cls.wine.id, "product_qty": 1})],
            "byproduct_ids": [Command.create({"product_id": cls.wax.id, "product_qty": 1, "cost_share": 10})],
        })

    def _produce(self, qty, direct=0.0):
        form = Form(self.env["mrp.production"])
        form.product_id = self.mead
        form.bom_id = self.bom
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

    def test_components_and_direct_emissions_roll_into_finished_goods(self):
        self._receive(self.honey, 20)                     # 2.0 per kg
        self._receive(self.wine, 10)                      # 0.25 per unit
        production = self._produce(5, direct=1.5)         # components 5 x (4.0 + 0.25) = 21.25, + 1.5 direct
        finished = production.move_finished_ids.filtered(lambda m: m.product_id == self.mead)
        byproduct = production.move_finished_ids.filtered(lambda m: m.product_id == self.wax)
        self.assertRecordValues(finished + byproduct, [
            {"carbon_state": "assessed", "carbon_amount": 20.475, "carbon_unit": 4.095},
            {"carbon_state": "assessed", "carbon_amount": 2.275, "carbon_unit": 0.455},
        ])
        self.assertEqual(sum(production.move_raw_ids.mapped("carbon_amount")), 21.25)
        self.assertEqual(production.carbon_direct_move_id.total_carbon, 1.5)
        check = self.env["carbon.conservation.wizard"].create({})
        check.action_check()
        self.assertTrue(check.is_balanced)
        self.assertEqual(check.work_in_progress, 0.0)
        self.assertEqual(check.product_mismatch_count, 0)
        self.assertEqual(check.incurred, 1.5)
