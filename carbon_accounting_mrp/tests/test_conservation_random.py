import random

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ProductionCarbonCommon


@tagged("post_install", "-at_install")
class TestConservationRandom(ProductionCarbonCommon):
    """Carbon is conserved, in total and per product, over a long random sequence of receipts,
    deliveries, returns, scraps, energy bills, vendor bills that restate the declared carbon,
    productions (mead, and gift boxes made of mead), unbuilds and pool allocations; the last
    production allocation follows mead delivered, returned, scrapped and boxed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.giftbox = cls._product("Gift box of mead", uom=cls.uom_unit, categ=cls.categ_avco, is_storable=True,
                                   weight=2.0)
        cls.bom_giftbox = cls.env["mrp.bom"].create({
            "product_tmpl_id": cls.giftbox.product_tmpl_id.id, "product_qty": 1,
            "bom_line_ids": [Command.create({"product_id": cls.mead.id, "product_qty": 1})],
        })

    def _bill_order(self, order, rate_factor):
        line = order.order_line
        if line.qty_received <= line.qty_invoiced:
            return
        order.action_create_invoice()
        bill = order.invoice_ids.filtered(lambda b: b.state == "draft")
        bill.invoice_date = fields.Date.today()
        bill_line = bill.invoice_line_ids.filtered("product_id")
        bill_line.carbon_declared_rate = round(bill_line.carbon_declared_rate * rate_factor, 4)
        bill.action_post()

    def test_conservation_over_a_random_sequence(self):  # noqa: C901 (a branch per random action, on purpose)
        rng = random.Random(20261123)
        bought = self.honey | self.wine
        on_hand = dict.fromkeys(bought | self.mead | self.wax | self.giftbox, 0.0)
        receipts, deliveries, productions, actions = [], [], [], []

        def deliverable():
            return [p for p, qty in on_hand.items() if qty >= 1]

        for __ in range(80):
            action = rng.choice(["receive"] * 3 + ["deliver"] * 2 + [
                "produce", "produce", "gift", "unbuild", "return_in", "return_out", "scrap", "energy", "bill",
                "allocate"])
            if action == "receive" or (action in ("deliver", "scrap") and not deliverable()):
                product = rng.choice(bought)
                qty = rng.randint(5, 30)
                declared = rng.choice([None, None, round(rng.uniform(0.1, 3.0), 3)])
                receipts.append(self._receive(product, qty, declared=declared))
                on_hand[product] += qty
                action = "receive"
            elif action == "deliver":
                product = rng.choice(deliverable())
                qty = rng.randint(1, int(on_hand[product]))
                deliveries.append(self._deliver(product, qty))
                on_hand[product] -= qty
            elif action == "scrap":
                product = rng.choice(deliverable())
                qty = rng.randint(1, int(on_hand[product]))
                self.env["stock.scrap"].create({
                    "product_id": product.id, "scrap_qty": qty, "product_uom_id": product.uom_id.id,
                    "location_id": self.stock.id,
                }).action_validate()
                on_hand[product] -= qty
            elif action == "produce":
                qty = int(min(on_hand[self.honey] // 2, on_hand[self.wine], 5))
                if qty < 1:
                    continue
                productions.append(self._produce(qty, direct=rng.choice([0.0, round(rng.uniform(0.5, 5.0), 3)])))
                on_hand[self.honey] -= 2 * qty
                on_hand[self.wine] -= qty
                on_hand[self.mead] += qty
                on_hand[self.wax] += qty
            elif action == "gift":
                qty = int(min(on_hand[self.mead], 3))
                if qty < 1:
                    continue
                self._produce(qty, direct=rng.choice([0.0, 0.4]), bom=self.bom_giftbox)
                on_hand[self.mead] -= qty
                on_hand[self.giftbox] += qty
            elif action == "unbuild":
                # a mead production whose mead and wax are all still in stock, taken apart
                production = next((p for p in productions if on_hand[self.mead] >= p.qty_produced
                                   and on_hand[self.wax] >= p.qty_produced), None)
                if not production:
                    continue
                productions.remove(production)
                qty = production.qty_produced
                self._unbuild(production, qty)
                on_hand[self.mead] -= qty
                on_hand[self.wax] -= qty
                on_hand[self.honey] += 2 * qty
                on_hand[self.wine] += qty
            elif action == "return_in" and deliveries:
                delivery = rng.choice(deliveries)
                qty = rng.randint(1, int(delivery.quantity))
                self._return(delivery, qty)
                on_hand[delivery.product_id] += qty
            elif action == "return_out" and receipts:
                receipt = rng.choice(receipts)
                qty = int(min(receipt.quantity, on_hand[receipt.product_id]))
                if qty < 1:
                    continue
                qty = rng.randint(1, qty)
                self._return(receipt, qty)
                on_hand[receipt.product_id] -= qty
            elif action == "energy":
                self._power_bill(rng.randint(10, 200))
            elif action == "bill" and receipts:
                self._bill_order(rng.choice(receipts).purchase_line_id.order_id, rng.choice([0.8, 1.0, 1.25]))
            elif action == "allocate":
                try:
                    allocation = self._allocate(rng.choice(["sales", "production"]))
                except UserError as exc:  # an empty pool, or nothing delivered or made today, says so
                    self.assertIn("Nothing to allocate", str(exc))
                else:
                    if allocation.line_ids.filtered("carbon"):
                        allocation.action_post()
            actions.append(action)

        for required in ("receive", "deliver", "produce", "gift", "unbuild", "return_in", "return_out", "scrap",
                         "energy", "bill", "allocate"):
            self.assertIn(required, actions)
        # then mead made, delivered, partly returned, scrapped and boxed before a production allocation
        self._receive(self.honey, 8)
        self._receive(self.wine, 4)
        self._produce(4)
        self._return(self._deliver(self.mead, 2), 1)
        self._scrap(self.mead, 1)
        self._produce(1, bom=self.bom_giftbox)
        on_hand[self.mead] += 1                      # 4 made, 2 delivered, 1 back, 1 scrapped, 1 boxed
        on_hand[self.wax] += 4
        on_hand[self.giftbox] += 1
        self._power_bill(100)
        allocation = self._allocate("production")
        allocation.action_post()
        lines = allocation.carbon_move_id.line_ids
        mead_out = lines.filtered(lambda line: line.product_id == self.mead and line.account_type != "inventory")
        self.assertTrue(mead_out.filtered(lambda line: line.account_type == "transferred" and line.partner_id),
                        "the mead's share left with the customers it went to")
        self.assertTrue(mead_out.filtered(lambda line: line.account_type == "writeoff"), "and with the mead scrapped")
        self.assertTrue(
            lines.filtered(lambda line: line.product_id == self.giftbox and line.account_type == "inventory")
        )
        self.assertTrue(self.env["carbon.move"].search([("kind", "=", "bill_adjustment")]),
                        "some bill restated the declared carbon")
        check = self._check()
        self.assertTrue(check.is_balanced, check.difference)
        self.assertEqual(
            check.product_mismatch_count,
            0,
            check.line_ids.filtered(lambda line: not line.is_balanced).read(
                ["product_id", "ledger_carbon", "moves_carbon", "fifo_remaining"]
            ),
        )
        for line in check.line_ids:
            self.assertAlmostEqual(line.ledger_qty, on_hand[line.product_id], places=6, msg=line.product_id.name)
        self.assertGreater(check.transferred, 0)
        self.assertGreater(check.written_off, 0)
        self.assertGreater(check.incurred, 0)
        self.assertIsNone(self.env["carbon.move"]._check_integrity(self.company))
