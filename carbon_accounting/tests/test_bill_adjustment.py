from odoo import fields
from odoo.tests import Form, tagged

from .common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestBillAdjustment(StockCarbonCommon):
    """A vendor bill that declares another quantity or intensity than the order adjusts the carbon
    of the goods received, by an adjustment entry; the receipts' posted entries stay as they are."""

    def _order(self, product, qty):
        return self._po([(product, qty, product.uom_id, 1.0)], order_date=fields.Date.today(), confirm=True)

    def _bill(self, order, quantity=None, rate=None, post=True):
        order.action_create_invoice()
        bill = order.invoice_ids.filtered(lambda b: b.state == "draft")
        bill.invoice_date = fields.Date.today()
        with Form(bill) as form, form.invoice_line_ids.edit(0) as line:   # as the accountant types it in
            if quantity is not None:
                line.carbon_declared_quantity = quantity
            if rate is not None:
                line.carbon_declared_rate = rate
        if post:
            bill.action_post()
        return bill

    def _booked(self, order):
        return order.order_line._carbon_bill_booked()[order.order_line]

    def _adjustments(self, bill):
        return bill.carbon_move_ids.filtered(lambda e: e.kind == "bill_adjustment").sorted("id")

    def _check_conserved(self):
        check = self.env["carbon.conservation.wizard"].create({})
        check.action_check()
        self.assertTrue(check.is_balanced, check.difference)
        self.assertEqual(check.product_mismatch_count, 0, check.line_ids.read(["product_id", "ledger_carbon",
                                                                                "moves_carbon", "fifo_remaining"]))

    def test_bill_declaring_the_order_carbon_changes_nothing(self):
        order = self._order(self.honey, 100)
        self._validate(order.picking_ids)
        bill = self._bill(order)
        self.assertRecordValues(bill.invoice_line_ids.filtered("product_id"), [
            {"carbon_declared_quantity": 100.0, "carbon_declared_uom_id": self.uom_kg.id,
             "carbon_declared_rate": 2.0, "carbon_adjustment": 0.0},
        ])
        self.assertFalse(self._adjustments(bill))
        self.assertFalse(bill.carbon_move_ids, "stock lines carry their carbon on the receipts, not on the bill")

    def test_higher_declared_intensity_avco_then_reset_to_draft(self):
        order = self._order(self.honey, 100)
        receipt = self._validate(order.picking_ids).move_ids        # 100 kg at 2.0
        self._deliver(self.honey, 40)
        bill = self._bill(order, rate=2.5, post=False)              # the vendor declares 2.5 per kg
        self.assertEqual(bill.invoice_line_ids.filtered("product_id").carbon_adjustment, 50.0, "shown in draft")
        self.assertFalse(bill.carbon_move_ids, "booked only when the bill is posted")
        bill.action_post()
        entry = self._adjustments(bill)
        self.assertRecordValues(entry.line_ids.sorted(lambda line: line.account_id.code), [
            {"account_id": self.accounts["inventory"].id, "debit": 30.0, "credit": 0.0, "stock_move_id": receipt.id,
             "partner_id": self.vendor.id, "product_id": self.honey.id, "scope": "3", "scope3_category": "1"},
            {"account_id": self.accounts["acquired"].id, "debit": 0.0, "credit": 50.0, "stock_move_id": False,
             "partner_id": self.vendor.id, "product_id": self.honey.id, "scope": "3", "scope3_category": "1"},
            {"account_id": self.accounts["overhead"].id, "debit": 20.0, "credit": 0.0, "stock_move_id": receipt.id,
             "partner_id": self.vendor.id, "product_id": self.honey.id, "scope": "3", "scope3_category": "1"},
        ])
        self.assertRecordValues(receipt, [{"carbon_amount": 230.0, "carbon_unit": 2.0}])
        self.assertEqual(receipt.carbon_move_line_ids.move_id.filtered(lambda e: e.kind == "stock").total_carbon,
                         200.0, "the receipt's posted entry is not restated")
        self.assertAlmostEqual(self._booked(order), 50.0)
        self.assertEqual(self._inventory(self.honey), (150.0, 60.0))
        self._check_conserved()

        bill.button_draft()                                         # the adjustment is taken back
        back = self._adjustments(bill)[-1]
        self.assertEqual(back.line_ids.filtered(lambda line: line.account_type == "acquired").debit, 50.0)
        self.assertAlmostEqual(self._booked(order), 0.0)
        self.assertEqual(receipt.carbon_amount, 200.0)
        self._check_conserved()
        bill.action_post()
        self.assertAlmostEqual(self._booked(order), 50.0)
        self._check_conserved()

    def test_declared_quantity_on_fifo_partly_consumed(self):
        order = self._order(self.wine, 10)                          # 10 units at 0.25
        receipt = self._validate(order.picking_ids).move_ids
        self._deliver(self.wine, 4)
        self._bill(order, quantity=14.0)                            # the vendor declares carbon for 14 units
        self.assertRecordValues(receipt, [{"carbon_amount": 3.1, "carbon_remaining_qty": 6.0,
                                           "carbon_remaining": 2.1}])   # 1.5 + 0.6 kept, 0.4 to the pool
        pool = self.env["carbon.move.line"]._read_group(
            [("account_type", "=", "overhead"), ("state", "=", "posted")], [], ["balance:sum"])[0][0]
        self.assertAlmostEqual(pool, 0.4)
        delivery = self._deliver(self.wine, 6)
        self.assertEqual(delivery.carbon_amount, 2.1)
        self._check_conserved()

    def test_bill_before_receipt_waits_for_the_goods(self):
        self.honey.purchase_method = "purchase"
        order = self._order(self.honey, 10)
        bill = self._bill(order, rate=3.0)
        self.assertFalse(self._adjustments(bill))
        self.assertAlmostEqual(self._booked(order), 0.0)
        receipt = self._validate(order.picking_ids).move_ids
        self.assertRecordValues(receipt, [{"carbon_amount": 30.0}])
        self.assertEqual(
            self._adjustments(bill).line_ids.filtered(lambda line: line.account_type == "acquired").credit, 10.0
        )
        self._check_conserved()

    def test_standard_costing_keeps_inventory_at_standard(self):
        categ = self.env["product.category"].create({"name": "Standard goods", "property_cost_method": "standard"})
        jam = self._product("Lychee jam", uom=self.uom_kg, factor=self.factor_kg, categ=categ, is_storable=True,
                            carbon_standard_unit=2.0)
        order = self._order(jam, 10)
        receipt = self._validate(order.picking_ids).move_ids
        bill = self._bill(order, rate=2.2)
        self.assertRecordValues(self._adjustments(bill).line_ids.sorted(lambda line: line.account_id.code), [
            {"account_id": self.accounts["acquired"].id, "debit": 0.0, "credit": 2.0},
            {"account_id": self.accounts["overhead"].id, "debit": 2.0, "credit": 0.0},
        ])
        self.assertEqual(receipt.carbon_amount, 20.0)
        self._check_conserved()
