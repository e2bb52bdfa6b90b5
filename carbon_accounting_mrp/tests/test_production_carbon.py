from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ProductionCarbonCommon


@tagged("post_install", "-at_install")
class TestProductionCarbon(ProductionCarbonCommon):
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

    def test_pool_allocated_to_production(self):
        self._receive(self.honey, 20)
        self._receive(self.wine, 10)
        production = self._produce(5)                     # 5 mead, 5 kg wax
        self._deliver(self.mead, 2)
        self._power_bill(1000)                            # 500 kg in the pool
        with self.assertRaises(UserError):
            self._allocate("production", basis="revenue")
        allocation = self._allocate("production")
        self.assertRecordValues(allocation.line_ids.sorted(lambda l: l.product_id.id), [
            {"product_id": self.mead.id, "quantity": 5.0, "carbon": 250.0},
            {"product_id": self.wax.id, "quantity": 5.0, "carbon": 250.0},
        ])
        allocation.action_post()
        mead_move = production.move_finished_ids.filtered(lambda m: m.product_id == self.mead)
        lines = allocation.carbon_move_id.line_ids.filtered(lambda l: l.stock_move_id == mead_move)
        # 3 of the 5 mead are still in stock: 150 kg into inventory; 100 kg left with the 2 delivered
        self.assertRecordValues(lines.sorted(lambda l: l.account_id.code), [
            {"account_id": self.accounts["inventory"].id, "debit": 150.0},
            {"account_id": self.accounts["transferred"].id, "debit": 100.0},
        ])
        self.assertAlmostEqual(mead_move.carbon_amount, 19.125 + 150.0)   # 90% of 21.25, and the pool
        check = self._check()
        self.assertTrue(check.is_balanced, check.difference)
        self.assertEqual(check.product_mismatch_count, 0)
        self.assertEqual(check.unallocated_pool, 0.0)
        delivery = self._deliver(self.mead, 3)             # the rest leaves with its share of the pool
        self.assertAlmostEqual(delivery.carbon_amount, round(19.125 * 3 / 5, 3) + 150.0, places=3)
