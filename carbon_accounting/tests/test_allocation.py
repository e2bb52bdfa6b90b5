from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestAllocation(StockCarbonCommon):
    """The overhead pool, fed by vendor bills, allocated to the period's deliveries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        kwh = cls.env.ref("carbon_accounting.uom_kwh")
        grid = cls.env["carbon.emission.factor"].create({
            "name": "Grid", "code": "TEST.GRID", "source": "MEE", "basis": "physical", "uom_id": kwh.id,
            "value": 0.5, "scope": "2",
        })
        cls.power = cls._product("Electricity", uom=kwh, factor=grid, type="service")

    def _pool(self, kwh):
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.vendor.id, "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": self.power.id, "quantity": kwh, "price_unit": 0.1})],
        })
        bill.action_post()

    def _allocation(self, basis="quantity"):
        today = fields.Date.today()
        return self.env["carbon.allocation"].create({"date_from": today, "date_to": today, "basis": basis})

    def test_allocate_by_quantity_then_post_once(self):
        self.honey.weight = 1.0                            # kg and units add up only through weight
        self.wine.weight = 1.0
        self._pool(1000)                                   # 500 kg in the pool
        self._receive(self.honey, 50)
        self._receive(self.wine, 20)
        self._deliver(self.honey, 30)
        self._deliver(self.wine, 10)
        allocation = self._allocation()
        allocation.action_compute()
        self.assertEqual(allocation.pool_amount, 500.0)
        self.assertRecordValues(allocation.line_ids.sorted(lambda line: line.product_id.id), [
            {"product_id": self.honey.id, "quantity": 30.0, "weight": 30.0, "share": 75.0, "carbon": 375.0},
            {"product_id": self.wine.id, "quantity": 10.0, "weight": 10.0, "share": 25.0, "carbon": 125.0},
        ])
        self.assertIn("weight", allocation.line_ids[0].basis_note)
        allocation.action_post()
        entry = allocation.carbon_move_id
        self.assertEqual(entry.state, "posted")
        transferred = entry.line_ids.filtered(lambda line: line.account_type == "transferred")
        self.assertEqual(sorted(transferred.mapped("debit")), [125.0, 375.0])
        self.assertEqual(allocation._pool_balance(), 0.0)
        with self.assertRaises(UserError):
            allocation.action_compute()
        check = self.env["carbon.conservation.wizard"].create({})
        check.action_check()
        self.assertTrue(check.is_balanced)
        self.assertEqual(check.unallocated_pool, 0.0)

    def test_quantity_basis_refuses_units_without_common_reference(self):
        self._pool(100)
        self._receive(self.honey, 10)
        self._receive(self.wine, 10)
        self._deliver(self.honey, 10)                      # 10 kg
        self._deliver(self.wine, 10)                       # 10 units
        self.wine.weight = 0.75                            # the honey has no weight
        with self.assertRaisesRegex(UserError, r"(?s)Lychee honey.*kg.*Lychee wine.*Units"):
            self._allocation().action_compute()

    def test_sales_posted_per_delivery_net_of_returns(self):
        other = self.env["res.partner"].create({"name": "Hong Kong Wine Cellar"})
        self._pool(200)                                    # 100 kg
        self._receive(self.wine, 20)
        first = self._deliver(self.wine, 6)
        second = self._move(self.wine, 4, self.stock, self.customers, other)
        self._return(first, 2)                             # 4 and 4 stay with the customers
        allocation = self._allocation()
        allocation.action_compute()
        self.assertRecordValues(allocation.line_ids, [{"product_id": self.wine.id, "quantity": 8.0, "carbon": 100.0}])
        allocation.action_post()
        lines = allocation.carbon_move_id.line_ids.filtered(lambda line: line.account_type == "transferred")
        self.assertRecordValues(lines.sorted("stock_move_id"), [
            {"stock_move_id": first.id, "partner_id": self.customer.id, "quantity": 4.0, "debit": 50.0},
            {"stock_move_id": second.id, "partner_id": other.id, "quantity": 4.0, "debit": 50.0},
        ])

    def test_manual_shares_and_stale_pool(self):
        self._pool(100)                                    # 50 kg
        self._receive(self.honey, 10)
        self._receive(self.wine, 10)
        self._deliver(self.honey, 1)
        self._deliver(self.wine, 1)
        allocation = self._allocation("manual")
        allocation.action_compute()
        for line in allocation.line_ids:
            line.manual_share = 1 if line.product_id == self.honey else 3
        allocation.action_compute()
        self.assertEqual(
            {line.product_id: line.carbon for line in allocation.line_ids}, {self.honey: 12.5, self.wine: 37.5})
        self._pool(10)
        with self.assertRaisesRegex(UserError, "pool changed"):
            allocation.action_post()

    def test_nothing_to_allocate(self):
        allocation = self._allocation()
        with self.assertRaisesRegex(UserError, "Nothing to allocate"):
            allocation.action_post()
