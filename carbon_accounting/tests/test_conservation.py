import random

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestConservation(StockCarbonCommon):
    """Carbon is conserved over a long random sequence of receipts, deliveries, returns and scrap."""

    def _check(self):
        wizard = self.env["carbon.conservation.wizard"].create({"company_id": self.company.id})
        wizard.action_check()
        return wizard

    def test_conservation_over_a_random_sequence(self):
        rng = random.Random(20261123)
        products = self.honey | self.wine
        receipts, deliveries = [], []
        on_hand = {p: 0.0 for p in products}
        for step in range(60):
            product = rng.choice(products)
            action = rng.choice(["receive", "receive", "deliver", "deliver", "return_in", "return_out", "scrap"])
            if action == "receive" or not on_hand[product]:
                qty = rng.randint(1, 20)
                declared = rng.choice([None, None, round(rng.uniform(0.1, 3.0), 3)])
                receipts.append(self._receive(product, qty, declared=declared))
                on_hand[product] += qty
            elif action == "deliver":
                qty = rng.randint(1, int(on_hand[product]))
                deliveries.append(self._deliver(product, qty))
                on_hand[product] -= qty
            elif action == "return_in" and deliveries:
                delivery = rng.choice(deliveries)
                qty = rng.randint(1, int(delivery.quantity))
                self._return(delivery, qty)
                on_hand[delivery.product_id] += qty
            elif action == "return_out":
                receipt = rng.choice([r for r in receipts if r.product_id == product])
                qty = min(int(receipt.quantity), int(on_hand[product]))
                if qty:
                    self._return(receipt, rng.randint(1, qty))
                    on_hand[product] -= self.env["stock.move"].search([], order="id desc", limit=1).quantity
            elif action == "scrap":
                qty = rng.randint(1, int(on_hand[product]))
                self.env["stock.scrap"].create({
                    "product_id": product.id, "scrap_qty": qty, "product_uom_id": product.uom_id.id,
                    "location_id": self.stock.id,
                }).action_validate()
                on_hand[product] -= qty
        wizard = self._check()
        self.assertTrue(wizard.is_balanced, wizard.difference)
        self.assertEqual(wizard.product_mismatch_count, 0, wizard.line_ids.read())
        for line in wizard.line_ids:
            self.assertAlmostEqual(line.ledger_qty, on_hand[line.product_id], places=6)
        self.assertGreater(wizard.transferred, 0)
        self.assertGreater(wizard.written_off, 0)
        self.assertIsNone(self.env["carbon.move"]._check_integrity(self.company))

    def test_a_reversed_stock_entry_shows_as_a_product_mismatch(self):
        receipt = self._receive(self.honey, 10)
        receipt.carbon_move_line_ids.move_id.action_reverse()
        wizard = self._check()
        self.assertTrue(wizard.is_balanced, "the ledger itself stays balanced")
        self.assertEqual(wizard.product_mismatch_count, 1)
        self.assertRecordValues(wizard.line_ids, [
            {"product_id": self.honey.id, "ledger_carbon": 0.0, "moves_carbon": 20.0, "is_balanced": False},
        ])

    def test_removals_and_offsets_are_manual_entries_reported_apart(self):
        self._receive(self.honey, 10)                      # 20 kg acquired, in inventory
        Move = self.env["carbon.move"]
        entry = Move.create({"ref": "Biochar from lychee prunings, 2026 batch", "line_ids": [
            (0, 0, {"account_id": self.accounts["removal"].id, "name": "Biochar", "debit": 12.5}),
            (0, 0, {"account_id": self.accounts["offset"].id, "name": "CCER retired", "debit": 3.0}),
            (0, 0, {"account_id": self.accounts["overhead"].id, "name": "Biochar and CCER", "credit": 15.5}),
        ]})
        self.assertEqual(entry.kind, "manual")
        entry.action_post()
        wizard = self._check()
        self.assertRecordValues(wizard, [{"acquired": 20.0, "removals": 12.5, "offsets": 3.0, "inventory": 20.0,
                                          "unallocated_pool": -15.5, "is_balanced": True}])
        self.assertEqual(wizard.incurred, 0.0, "removals never reduce the emissions reported")
        stock_entry = Move.create({"line_ids": [
            (0, 0, {"account_id": self.accounts["inventory"].id, "product_id": self.honey.id, "debit": 1.0}),
            (0, 0, {"account_id": self.accounts["removal"].id, "credit": 1.0}),
        ]})
        with self.assertRaisesRegex(UserError, "manual entry cannot use the inventory"):
            stock_entry.action_post()
