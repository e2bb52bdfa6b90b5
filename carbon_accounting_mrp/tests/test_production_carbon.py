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
        delivery = self._deliver(self.mead, 2)
        self._power_bill(1000)                            # 500 kg in the pool
        with self.assertRaises(UserError):
            self._allocate("production", basis="revenue")
        allocation = self._allocate("production")
        # the one production takes the pool; the wax its 10 % cost share, not half by adding kg to units
        self.assertRecordValues(allocation.line_ids.sorted(lambda line: line.product_id.id), [
            {"product_id": self.mead.id, "quantity": 5.0, "carbon": 450.0},
            {"product_id": self.wax.id, "quantity": 5.0, "carbon": 50.0},
        ])
        allocation.action_post()
        mead_move = production.move_finished_ids.filtered(lambda m: m.product_id == self.mead)
        lines = allocation.carbon_move_id.line_ids.filtered(lambda line: line.product_id == self.mead)
        # 3 of the 5 mead are still in stock: 270 kg into inventory; 180 kg left with the 2 delivered
        self.assertRecordValues(lines.sorted(lambda line: line.account_id.code), [
            {"account_id": self.accounts["inventory"].id, "debit": 270.0, "stock_move_id": mead_move.id,
             "partner_id": False},
            {"account_id": self.accounts["transferred"].id, "debit": 180.0, "stock_move_id": delivery.id,
             "partner_id": self.customer.id},
        ])
        self.assertAlmostEqual(mead_move.carbon_amount, 19.125 + 270.0)   # 90% of 21.25, and the pool
        check = self._check()
        self.assertTrue(check.is_balanced, check.difference)
        self.assertEqual(check.product_mismatch_count, 0)
        self.assertEqual(check.unallocated_pool, 0.0)
        delivery = self._deliver(self.mead, 3)             # the rest leaves with its share of the pool
        self.assertAlmostEqual(delivery.carbon_amount, 19.125 * 3 / 5 + 270.0, places=6)

    def test_unbuild_returns_direct_emissions(self):
        self._receive(self.honey, 20)                     # 2.0 per kg
        self._receive(self.wine, 10)                      # 0.25 per unit
        production = self._produce(5, direct=8.0)         # components 20 + 1.25, direct 8: 29.25
        unbuild = self._unbuild(production, 5)
        components = unbuild.produce_line_ids.filtered(lambda m: m.location_id.usage == "production").sorted(
            lambda m: m.product_id.id)
        # the components come back with their share of the direct emissions, by their carbon:
        # honey 20 + 8 x 20 / 21.25, wine 1.25 + 8 x 1.25 / 21.25
        self.assertRecordValues(components, [
            {"product_id": self.honey.id, "carbon_amount": 27.529412},
            {"product_id": self.wine.id, "carbon_amount": 1.720588},
        ])
        check = self._check()
        self.assertTrue(check.is_balanced, check.difference)
        self.assertEqual(check.work_in_progress, 0.0)
        self.assertEqual(check.product_mismatch_count, 0)
