import base64

from odoo import Command, fields
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

    def test_registers_are_shown_apart_from_the_identity(self):
        """20 kg acquired, in inventory: the identity 20 = 20 holds whatever the registers hold.
        Removals: 1.1 t verified with a 10 % buffer (0.99 t net), 0.5 t unverified. Credits: 2 t,
        0.75 t retired, 1.25 t held."""
        self._receive(self.honey, 10)
        registers = ["removals_verified_held", "removals_verified_net", "removals_unverified_held",
                     "credits_retired", "credits_held"]
        before = self._check().read(registers)[0]       # what the database holds already
        statement = base64.b64encode(b"Verification statement")
        today = fields.Date.today()
        Removal = self.env["carbon.removal"]
        Removal.create([
            {"name": "Biochar 2026-01", "method": "biochar", "tonnes": 1.1, "buffer_percent": 10.0,
             "verification_statement": statement, "verification_statement_name": "statement.pdf"},
            {"name": "Soil carbon 2026", "method": "soil_carbon", "tonnes": 0.5},
        ])[0].action_mark_verified()
        credit = self.env["carbon.credit"].create({
            "name": "CCER cookstoves", "origin": "issued", "tonnes": 2.0, "date": today,
            "verification_statement": statement, "verification_state": "verified"})
        self.env["carbon.register.movement"].create(
            {"credit_id": credit.id, "movement_type": "retire", "tonnes": 0.75, "date": today})
        wizard = self._check()
        self.assertRecordValues(wizard, [{"incurred": 0.0, "acquired": 20.0, "inventory": 20.0, "unallocated_pool": 0.0,
                                          "difference": 0.0, "is_balanced": True, "legacy_removals_offsets": 0.0}])
        added = {field: round(wizard[field] - before[field], 6) for field in registers}
        self.assertEqual(added, {"removals_verified_held": 1.1, "removals_verified_net": 0.99,
                                 "removals_unverified_held": 0.5, "credits_retired": 0.75, "credits_held": 1.25})

    def test_an_entry_posted_by_hand_before_is_shown_and_reversed(self):
        """An entry of before 19.0.2, Dr removals 12.5 / Cr pool, took 12.5 kg out of the pool: the
        identity is off by 12.5 until its reversal takes it back."""
        self._receive(self.honey, 10)
        removal = self.env["carbon.account"].with_context(active_test=False).search(
            [("company_id", "=", self.company.id), ("account_type", "=", "removal")], limit=1
        ) or self.env["carbon.account"].create({"code": "700", "name": "Removals (E-assets)",
                                                 "account_type": "removal", "company_id": self.company.id})
        entry = self.env["carbon.move"].create({"ref": "Biochar, by hand", "line_ids": [
            Command.create({"account_id": removal.id, "name": "Biochar", "debit": 12.5}),
            Command.create({"account_id": self.accounts["overhead"].id, "name": "Biochar", "credit": 12.5}),
        ]})
        self.env.flush_all()
        self.env.cr.execute("UPDATE carbon_move SET state = 'posted' WHERE id = %s", [entry.id])
        self.env.cr.execute("UPDATE carbon_move_line SET state = 'posted' WHERE move_id = %s", [entry.id])
        self.env.invalidate_all()
        wizard = self._check()
        self.assertRecordValues(wizard, [{"legacy_removals_offsets": 12.5, "unallocated_pool": -12.5,
                                          "difference": 12.5, "is_balanced": False}])
        entry.action_reverse()
        self.assertRecordValues(entry.reversal_ids, [{"kind": "manual", "state": "posted"}])
        wizard = self._check()
        self.assertRecordValues(wizard, [{"legacy_removals_offsets": 0.0, "difference": 0.0, "is_balanced": True}])
