from odoo import fields
from odoo.tests import tagged

from .common_bill import BillCarbonCommon


@tagged("post_install", "-at_install")
class TestBillReceipts(BillCarbonCommon):
    """Every bill posts (negative lines, stock under spend-based factors), and energy and fuel
    bought on an order are booked as they are received, the bill booking only the difference."""

    # ---------------------------------------------------------------- helpers

    def _order(self, product, qty, price=1.0):
        return self._po([(product, qty, product.uom_id, price)], order_date=fields.Date.today(), confirm=True)

    def _bill_order(self, order, quantity=None, post=True):
        order.action_create_invoice()
        bill = order.invoice_ids.filtered(lambda b: b.state == "draft")
        bill.invoice_date = fields.Date.today()
        if quantity is not None:
            bill.invoice_line_ids.filtered("product_id").quantity = quantity
        if post:
            bill.action_post()
        return bill

    def _balance(self, account, **domain):
        lines = self.env["carbon.move.line"].search(
            [("account_id", "=", self.accounts[account].id), ("state", "=", "posted")]
            + [(k, "=", v) for k, v in domain.items()])
        return round(sum(lines.mapped("balance")), 6)

    # ---------------------------------------------------------------- 1. every bill posts

    def test_negative_lines_are_booked_on_the_opposite_sides(self):
        self.expense_account.carbon_factor_id = self.factor_spend         # 0.1 kg per CNY
        bill = self._bill([
            {"product_id": self.diesel.id, "quantity": 100, "price_unit": 1.0},                # +270
            {"product_id": self.diesel.id, "quantity": -2, "price_unit": 1.0},                 # -5.4
            {"name": "Discount", "quantity": 1, "price_unit": -50.0, "account_id": self.expense_account.id},
        ])
        # the discount: -50 USD = -350 CNY at 7 CNY/USD (2024) x 0.1 = -35
        self.assertRecordValues(bill.invoice_line_ids, [
            {"carbon_source": "product", "carbon_quantity": 100.0, "carbon_amount": 270.0, "carbon_scope": "1"},
            {"carbon_source": "product", "carbon_quantity": -2.0, "carbon_amount": -5.4, "carbon_scope": "1"},
            {"carbon_source": "account", "carbon_quantity": -350.0, "carbon_amount": -35.0, "carbon_scope": "3"},
        ])
        self.assertRecordValues(bill.carbon_move_ids.line_ids.sorted("id"), [
            {"account_id": self.accounts["overhead"].id, "debit": 270.0, "credit": 0.0, "quantity": 100.0},
            {"account_id": self.accounts["direct"].id, "debit": 0.0, "credit": 270.0, "quantity": -100.0},
            {"account_id": self.accounts["direct"].id, "debit": 5.4, "credit": 0.0, "quantity": 2.0},
            {"account_id": self.accounts["overhead"].id, "debit": 0.0, "credit": 5.4, "quantity": -2.0},
            {"account_id": self.accounts["acquired"].id, "debit": 35.0, "credit": 0.0, "quantity": 350.0},
            {"account_id": self.accounts["overhead"].id, "debit": 0.0, "credit": 35.0, "quantity": -350.0},
        ])
        self.assertEqual(bill.carbon_move_ids.total_carbon, 310.4)
        # a credit note's negative line goes the other way again
        refund = self._bill([{"product_id": self.diesel.id, "quantity": 10, "price_unit": 1.0},
                             {"product_id": self.diesel.id, "quantity": -2, "price_unit": 1.0}], move_type="in_refund")
        self.assertRecordValues(refund.carbon_move_ids.line_ids.sorted("id"), [
            {"account_id": self.accounts["direct"].id, "debit": 27.0, "credit": 0.0},
            {"account_id": self.accounts["overhead"].id, "debit": 0.0, "credit": 27.0},
            {"account_id": self.accounts["overhead"].id, "debit": 5.4, "credit": 0.0},
            {"account_id": self.accounts["direct"].id, "debit": 0.0, "credit": 5.4},
        ])

    def test_stocked_product_with_spend_factor(self):
        self.honey.carbon_factor_id = self.factor_spend                   # 0.1 kg per CNY
        order = self._order(self.honey, 10, price=10.0)                   # 100 USD = 800 CNY (8 from 2025) = 80 kg
        self.assertRecordValues(order.order_line, [{"carbon_source": "product", "carbon_quantity": 800.0,
                                                    "carbon_amount": 80.0}])
        first = self._validate(order.picking_ids, {self.honey: 4}).move_ids      # pro rata: 4/10 of 80
        self.assertRecordValues(first, [{"carbon_state": "assessed", "carbon_amount": 32.0}])
        backorder = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        second = self._validate(backorder).move_ids
        self.assertRecordValues(second, [{"carbon_state": "assessed", "carbon_amount": 48.0}])
        # billed at 11 USD: 110 USD = 880 CNY declared, 88 kg: 8 kg more than received
        bill = self._bill_order(order, post=False)
        bill.invoice_line_ids.price_unit = 11.0
        line = bill.invoice_line_ids.filtered("product_id")
        self.assertRecordValues(line, [{"carbon_declared_quantity": 880.0, "carbon_declared_rate": 0.1,
                                        "carbon_adjustment": 8.0}])
        bill.action_post()
        adjustment = bill.carbon_move_ids.filtered(lambda e: e.kind == "bill_adjustment")
        self.assertEqual(adjustment.total_carbon, 8.0)
        balance, qty = self._inventory(self.honey)
        self.assertEqual((balance, qty), (88.0, 10.0))

    def test_stocked_product_with_spend_category_factor_billed_before_receipt(self):
        categ = self.env["product.category"].create({"name": "Spend goods", "property_cost_method": "fifo",
                                                     "carbon_factor_id": self.factor_spend.id})
        jar = self._product("Jar", uom=self.uom_unit, categ=categ, is_storable=True, purchase_method="purchase")
        order = self._order(jar, 10, price=10.0)                          # 800 CNY: 80 kg
        self.assertEqual(order.order_line.carbon_source, "category")
        bill = self._bill_order(order, post=False)
        bill.invoice_line_ids.price_unit = 11.0                          # 880 CNY: 88 kg
        bill.action_post()
        self.assertFalse(bill.carbon_move_ids, "the adjustment waits for the goods")
        receipt = self._validate(order.picking_ids).move_ids
        self.assertRecordValues(receipt, [{"carbon_state": "assessed", "carbon_amount": 88.0,
                                           "carbon_remaining": 88.0}])
        self.assertEqual(self._inventory(jar), (88.0, 10.0))

    # ---------------------------------------------------------------- 3. booked when received

    def test_electricity_received_before_billing(self):
        order = self._order(self.power, 1000, price=0.1)
        line = order.order_line
        self.assertEqual(line.qty_received_method, "manual")
        line.qty_received = 1000                                         # 1000 kWh x 0.5 = 500
        entry = self.env["carbon.move"].search([("line_ids.purchase_line_id", "=", line.id)])
        self.assertRecordValues(entry, [{"kind": "receipt", "state": "posted", "date": fields.Date.today(),
                                         "total_carbon": 500.0}])
        self.assertRecordValues(entry.line_ids.sorted("id"), [
            {"account_id": self.accounts["overhead"].id, "debit": 500.0, "credit": 0.0, "scope": "2",
             "purchase_line_id": line.id, "quantity": 1000.0},
            {"account_id": self.accounts["energy"].id, "debit": 0.0, "credit": 500.0, "scope": "2",
             "purchase_line_id": line.id, "quantity": -1000.0},
        ])
        self.assertFalse(order.invoice_ids)
        self.assertEqual(self._balance("energy"), -500.0)
        bill = self._bill_order(order)
        self.assertRecordValues(bill.invoice_line_ids, [{"quantity": 1000.0, "carbon_amount": 500.0}])
        self.assertFalse(bill.carbon_move_ids, "the receipt booked it all")
        self.assertEqual(self._balance("energy"), -500.0)
        bill.button_draft()
        self.assertEqual(self._balance("energy"), -500.0)

    def test_service_received_in_parts_and_billed_for_more(self):
        order = self._order(self.power, 1000, price=0.1)
        line = order.order_line
        line.qty_received = 400                                          # 200
        line.qty_received = 1000                                         # 300 more
        self.assertEqual(self._balance("energy", purchase_line_id=line.id), -500.0)
        bill = self._bill_order(order, quantity=1100)                    # the meter said 1100 kWh: 50 more
        self.assertRecordValues(bill.carbon_move_ids, [{"kind": "bill", "total_carbon": 50.0}])
        self.assertEqual(self._balance("energy"), -550.0)
        bill.button_draft()                                              # the bill's part only
        self.assertEqual(self._balance("energy"), -500.0)

    def test_diesel_consumable_received_then_billed(self):
        order = self._order(self.diesel, 200)
        move = self._validate(order.picking_ids).move_ids                # 200 L x 2.7 = 540
        entry = self.env["carbon.move"].search([("line_ids.purchase_line_id", "=", order.order_line.id)])
        self.assertRecordValues(entry, [{"kind": "stock", "total_carbon": 540.0,
                                         "date": fields.Date.context_today(move, move.date),
                                         "picking_id": order.picking_ids.id}])
        self.assertRecordValues(entry.line_ids.sorted("id"), [
            {"account_id": self.accounts["overhead"].id, "debit": 540.0, "credit": 0.0, "scope": "1"},
            {"account_id": self.accounts["direct"].id, "debit": 0.0, "credit": 540.0, "scope": "1"},
        ])
        bill = self._bill_order(order)
        self.assertFalse(bill.carbon_move_ids, "billed at 200 L: no new carbon")
        self.assertEqual(self._balance("direct"), -540.0)

    def test_diesel_billed_before_it_comes(self):
        order = self._po([(self.diesel, 200, self.uom_litre, 1.0)], order_date=fields.Date.today(), confirm=True)
        order.order_line.product_id.purchase_method = "purchase"
        bill = self._bill_order(order)
        self.assertRecordValues(bill.carbon_move_ids, [{"kind": "bill", "total_carbon": 540.0}])
        self._validate(order.picking_ids)
        self.assertEqual(self._balance("direct"), -540.0, "the bill booked it already")
        bill.button_draft()                                              # the goods are still received
        self.assertEqual(self._balance("direct"), -540.0)
        bill.action_post()
        self.assertEqual(self._balance("direct"), -540.0)
