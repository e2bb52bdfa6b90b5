from odoo import fields
from odoo.tests import Form, tagged

from .common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestNegativeStockAndReturns(StockCarbonCommon):
    """Stock that leaves before it arrives settles when the receipt that covers it comes, as
    stock_account settles value; a return to a vendor goes back at the returned receipt's carbon and
    never below what that vendor delivered."""

    # ---------------------------------------------------------------- negative stock

    def test_avco_delivery_from_empty_stock_settles_with_the_receipt(self):
        early = self._deliver(self.honey, 5)
        self.assertRecordValues(early, [{"carbon_state": "pending", "carbon_amount": 0.0, "carbon_pending_qty": 5.0}])
        self.assertIn(early, self.env["stock.move"].search([("carbon_state", "in", ("unassessed", "pending"))]))
        receipt = self._receive(self.honey, 10)                     # 10 kg x 2.0
        self.assertRecordValues(early, [{"carbon_state": "assessed", "carbon_amount": 10.0, "carbon_pending_qty": 0.0,
                                         "carbon_unit": 2.0}])
        settlement = early.carbon_move_line_ids.filtered(
            lambda line: line.move_id == receipt.carbon_move_line_ids.move_id
        )
        self.assertRecordValues(settlement, [
            {"account_id": self.accounts["transferred"].id, "debit": 10.0, "credit": 0.0, "quantity": 0.0,
             "partner_id": self.customer.id, "unassessed": False},
            {"account_id": self.accounts["inventory"].id, "debit": 0.0, "credit": 10.0, "quantity": -5.0,
             "partner_id": self.customer.id, "unassessed": False},
            {"account_id": self.accounts["inventory"].id, "debit": 0.0, "credit": 0.0, "quantity": 5.0,
             "partner_id": self.customer.id, "unassessed": True},
        ])
        self.assertEqual(self._inventory(self.honey), (10.0, 5.0))
        later = self._deliver(self.honey, 5)
        self.assertRecordValues(later, [{"carbon_state": "assessed", "carbon_amount": 10.0}])   # not 20
        self.assertEqual(self._inventory(self.honey), (0.0, 0.0))

    def test_fifo_delivery_from_empty_stock_leaves_no_carbon_without_stock(self):
        early = self._deliver(self.wine, 5)
        receipt = self._receive(self.wine, 10)                      # 10 x 0.25
        self.assertRecordValues(receipt, [{"carbon_remaining_qty": 5.0, "carbon_remaining": 1.25}])
        self.assertEqual(early.carbon_amount, 1.25)
        self._deliver(self.wine, 5)
        self.assertEqual(self._inventory(self.wine), (0.0, 0.0))
        self.assertRecordValues(receipt, [{"carbon_remaining_qty": 0.0, "carbon_remaining": 0.0}])

    def test_partly_covered_delivery(self):
        self._receive(self.honey, 2)                                # 2 kg x 2.0
        delivery = self._deliver(self.honey, 5)
        self.assertRecordValues(
            delivery, [{"carbon_amount": 4.0, "carbon_pending_qty": 3.0, "carbon_state": "pending"}]
        )
        self._receive(self.honey, 10)
        self.assertRecordValues(
            delivery, [{"carbon_amount": 10.0, "carbon_pending_qty": 0.0, "carbon_state": "assessed"}]
        )
        self.assertEqual(self._inventory(self.honey), (14.0, 7.0))

    def test_set_carbon_on_an_outflow_awaiting_receipt(self):
        early = self._deliver(self.honey, 5)
        wizard = Form(self.env["carbon.stock.adjustment"].with_context(default_move_id=early.id))
        self.assertEqual(wizard.quantity, 5.0)
        wizard.unit_carbon = 3.0
        wizard.reason = "Supplier's EPD for the lot shipped"
        entry = self.env["carbon.move"].browse(wizard.save().action_adjust()["res_id"])
        self.assertRecordValues(entry.line_ids, [
            {"account_id": self.accounts["transferred"].id, "debit": 15.0, "credit": 0.0, "quantity": 0.0},
            {"account_id": self.accounts["inventory"].id, "debit": 0.0, "credit": 15.0, "quantity": -5.0},
            {"account_id": self.accounts["inventory"].id, "debit": 0.0, "credit": 0.0, "quantity": 5.0},
        ])
        self.assertRecordValues(early, [{"carbon_state": "assessed", "carbon_amount": 15.0, "carbon_pending_qty": 0.0}])
        self._receive(self.honey, 10)                               # nothing left to settle
        self.assertEqual(early.carbon_amount, 15.0)
        self.assertEqual(self._inventory(self.honey), (5.0, 5.0))

    # ---------------------------------------------------------------- returns to vendors

    def test_fifo_return_of_a_consumed_receipt_goes_back_at_its_own_carbon(self):
        first = self._receive(self.wine, 10, declared=0.45)         # 4.5, the vendor's declaration
        self._deliver(self.wine, 10)
        self._receive(self.wine, 10, declared=0.6, partner=self.vendor_b)   # 6.0
        back = self._return(first, 10)
        self.assertRecordValues(self._lines(back), [
            {"account_id": self.accounts["acquired"].id, "debit": 4.5, "credit": 0.0, "quantity": 10.0,
             "partner_id": self.vendor.id},
            {"account_id": self.accounts["inventory"].id, "debit": 0.0, "credit": 6.0, "quantity": -10.0,
             "partner_id": self.vendor.id},
            # the goods handed over carry 1.5 more than the vendor's own carbon: transferred to it
            {"account_id": self.accounts["transferred"].id, "debit": 1.5, "credit": 0.0, "quantity": 0.0,
             "partner_id": self.vendor.id},
        ])
        self.assertAlmostEqual(self._acquired_from(self.vendor), 0.0)

    def test_returning_more_than_received_never_takes_back_more_than_delivered(self):
        first = self._receive(self.honey, 10)                       # 20 from vendor
        self._receive(self.honey, 10, partner=self.vendor_b)        # 20 from vendor B
        back = self._return(first, 15)
        self._assert_return_lines(back, (20.0, 10.0), (30.0, 15.0), (10.0, 5.0))
        self.assertAlmostEqual(self._acquired_from(self.vendor), 0.0)      # not -10
        self.assertEqual(self._inventory(self.honey), (10.0, 5.0))

    def test_two_returns_of_one_receipt_validated_together_share_what_it_delivered(self):
        first = self._receive(self.honey, 10)                       # 20 from vendor
        self._receive(self.honey, 10, partner=self.vendor_b)        # 20 from vendor B
        returns = self._returns(first, 6, 6)
        returns.move_ids.write({"quantity": 6, "picked": True})
        returns._action_done()
        one, two = returns.move_ids.sorted("id")
        # the first takes back 6 of the 10 delivered, the second the 4 left, and its 2 more go to
        # the vendor as carbon transferred, at the average of 2.0
        self._assert_return_lines(one, (12.0, 6.0), (12.0, 6.0))
        self._assert_return_lines(two, (8.0, 4.0), (12.0, 6.0), (4.0, 2.0))
        self.assertAlmostEqual(self._acquired_from(self.vendor), 0.0)      # not -4
        self.assertEqual(self._inventory(self.honey), (16.0, 8.0))

    def test_fifo_returns_validated_together_take_from_the_receipt_in_the_order_made(self):
        first = self._receive(self.wine, 10, declared=0.45)         # 4.5, the vendor's declaration
        self._receive(self.wine, 10, declared=0.6, partner=self.vendor_b)   # 6.0
        made_first, made_second = self._returns(first, 6, 6)
        (made_second | made_first).move_ids.write({"quantity": 6, "picked": True})
        (made_second | made_first)._action_done()                   # handed over in the other order
        self._assert_return_lines(made_first.move_ids, (2.7, 6.0), (2.7, 6.0))
        # the 4 left of the first receipt, then 2 of the second, whose carbon goes to the vendor
        self._assert_return_lines(made_second.move_ids, (1.8, 4.0), (3.0, 6.0), (1.2, 2.0))
        self.assertAlmostEqual(self._acquired_from(self.vendor), 0.0)

    def test_a_return_counts_a_later_made_return_validated_before_it(self):
        first = self._receive(self.honey, 10)                       # 20 from vendor
        self._receive(self.honey, 10, partner=self.vendor_b)        # 20 from vendor B
        made_first, made_second = self._returns(first, 6, 6)
        self._validate(made_second)                                 # takes back 6
        self._validate(made_first)                                  # the 4 left, 2 more transferred
        self._assert_return_lines(made_first.move_ids, (8.0, 4.0), (12.0, 6.0), (4.0, 2.0))
        self.assertAlmostEqual(self._acquired_from(self.vendor), 0.0)

    def _assert_return_lines(self, moves, back, out, beyond=None):
        """The lines of a return to a vendor: ``back`` (carbon, quantity) the vendor takes back,
        ``out`` (carbon, quantity) out of inventory, ``beyond`` (carbon, quantity) the goods carry
        beyond what it delivered, transferred to it."""
        expected = [
            {"account_id": self.accounts["acquired"].id, "debit": back[0], "credit": 0.0, "quantity": back[1]},
            {"account_id": self.accounts["inventory"].id, "debit": 0.0, "credit": out[0], "quantity": -out[1]},
        ]
        if beyond:
            expected.append({"account_id": self.accounts["transferred"].id, "debit": beyond[0], "credit": 0.0,
                             "quantity": beyond[1]})
        self.assertRecordValues(self._lines(moves), expected)

    def _returns(self, receipt, *quantities):
        """Return pickings of ``receipt``, one a quantity, made in that order."""
        returns = self.env["stock.picking"]
        for qty in quantities:
            wizard = Form(self.env["stock.return.picking"].with_context(
                active_ids=receipt.picking_id.ids, active_id=receipt.picking_id.id,
                active_model="stock.picking")).save()
            wizard.product_return_moves.quantity = qty
            returns |= self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        return returns

    def _acquired_from(self, partner):
        groups = self.env["carbon.move.line"]._read_group(
            [("account_type", "=", "acquired"), ("partner_id", "=", partner.id), ("state", "=", "posted")],
            [], ["balance:sum"])
        return -groups[0][0]

    # ---------------------------------------------------------------- dates

    def test_entries_take_the_accounting_date_of_the_inventory(self):
        self._receive(self.honey, 10)
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.honey.id), ("location_id", "=", self.stock.id)]
        )
        quant.with_context(inventory_mode=True).write({"inventory_quantity": 8})
        back_dated = fields.Date.subtract(fields.Date.today(), days=30)
        quant.accounting_date = back_dated
        quant.action_apply_inventory()
        loss = self.env["stock.move"].search([("product_id", "=", self.honey.id), ("is_inventory", "=", True)])
        self.assertEqual(loss.carbon_move_line_ids.move_id.date, back_dated)
