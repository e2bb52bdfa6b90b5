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
        self._pool(1000)                                   # 500 kg in the pool
        self._receive(self.honey, 50)
        self._receive(self.wine, 20)
        self._deliver(self.honey, 30)
        self._deliver(self.wine, 10)
        allocation = self._allocation()
        allocation.action_compute()
        self.assertEqual(allocation.pool_amount, 500.0)
        self.assertRecordValues(allocation.line_ids.sorted(lambda l: l.product_id.id), [
            {"product_id": self.honey.id, "quantity": 30.0, "share": 75.0, "carbon": 375.0},
            {"product_id": self.wine.id, "quantity": 10.0, "share": 25.0, "carbon": 125.0},
        ])
        allocation.action_post()
        entry = allocation.carbon_move_id
        self.assertEqual(entry.state, "posted")
        transferred = entry.line_ids.filtered(lambda l: l.account_type == "transferred")
        self.assertEqual(sorted(transferred.mapped("debit")), [125.0, 375.0])
        self.assertEqual(allocation._pool_balance(), 0.0)
        with self.assertRaises(UserError):
            allocation.action_compute()
        check = self.env["carbon.conservation.wizard"].create({})
        check.action_check()
        self.assertTrue(check.is_balanced)
        self.assertEqual(check.unallocated_pool, 0.0)

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
            {l.product_id: l.carbon for l in allocation.line_ids}, {self.honey: 12.5, self.wine: 37.5})
        self._pool(10)
        with self.assertRaisesRegex(UserError, "pool changed"):
            allocation.action_post()

    def test_nothing_to_allocate(self):
        allocation = self._allocation()
        allocation.action_compute()
        with self.assertRaisesRegex(UserError, "Nothing to allocate"):
            allocation.action_post()
