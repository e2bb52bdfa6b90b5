from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestConservation(StockCarbonCommon):
    """The conservation check: a broken sub-ledger shows, removals and offsets stand apart. Its proof
    over a long random sequence of every flow, productions included, is in carbon_accounting_mrp."""

    def _check(self):
        wizard = self.env["carbon.conservation.wizard"].create({"company_id": self.company.id})
        wizard.action_check()
        return wizard

    def test_a_reversed_stock_entry_shows_as_a_product_mismatch(self):
        receipt = self._receive(self.honey, 10)
        receipt.carbon_move_line_ids.move_id.action_reverse()
        wizard = self._check()
        self.assertTrue(wizard.is_balanced, "the ledger itself stays balanced")
        self.assertEqual(wizard.product_mismatch_count, 1)
        self.assertRecordValues(wizard.line_ids, [
            {"product_id": self.honey.id, "ledger_carbon": 0.0, "moves_carbon": 20.0, "is_balanced": False},
        ])

    def test_ledger_quantity_that_disagrees_with_stock_shows(self):
        """Carbon that balances is not enough: the ledger's quantity must be the stock's."""
        receipt = self._receive(self.honey, 10)
        self.env.flush_all()
        self.env.cr.execute("UPDATE stock_move SET quantity = 8 WHERE id = %s", [receipt.id])
        receipt.invalidate_recordset(["quantity"])
        wizard = self._check()
        self.assertRecordValues(wizard.line_ids, [
            {"product_id": self.honey.id, "ledger_qty": 10.0, "stock_qty": 8.0, "ledger_carbon": 20.0,
             "moves_carbon": 20.0, "is_balanced": False},
        ])

    def test_fifo_remaining_quantity_that_disagrees_with_stock_shows(self):
        receipt = self._receive(self.wine, 10)
        self.env.flush_all()
        self.env.cr.execute("UPDATE stock_move SET carbon_remaining_qty = 5 WHERE id = %s", [receipt.id])
        receipt.invalidate_recordset(["carbon_remaining_qty"])
        wizard = self._check()
        self.assertRecordValues(wizard.line_ids, [
            {"product_id": self.wine.id, "stock_qty": 10.0, "fifo_remaining_qty": 5.0, "is_balanced": False},
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
