from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_stock import StockCarbonCommon

#: Columns that differ between two lines of the same values: the row, its entry, the access log.
OWN_COLUMNS = {"id", "move_id", "create_date", "write_date"}


@tagged("post_install", "-at_install")
class TestBatchLines(StockCarbonCommon):
    """Entries insert their lines in one statement (``carbon.move.line._create_batch``): every
    column as the ORM's create writes it, the same refusals, the lines posted with their entry."""

    def _values(self):
        """Lines of every kind a validation books: with and without product, unit, partner and
        factor, a figure finer than the milligram, a source account (its carbon reads negated), a
        biogenic memo, an unassessed quantity, fields some lines leave out."""
        acc = self.accounts
        common = {"product_id": self.honey.id, "product_uom_id": self.uom_kg.id, "partner_id": self.vendor.id,
                  "factor_id": self.factor_kg.id, "scope": "3", "scope3_category": "1", "name": "WH/IN/0001"}
        return [
            dict(common, account_id=acc["inventory"].id, debit=12.3456789, quantity=4.5, unit_carbon=2.7434842),
            dict(common, account_id=acc["acquired"].id, credit=12.3456789, quantity=-4.5, unassessed=False),
            dict(common, account_id=acc["inventory"].id, quantity=2.0, unassessed=True),
            dict(common, account_id=acc["acquired"].id, quantity=-2.0, unassessed=True),
            {"account_id": acc["overhead"].id, "debit": 0.5, "name": "Use", "scope": "1"},
            {"account_id": acc["direct"].id, "credit": 0.5, "name": "Use", "scope": "1", "biogenic_co2": 0.25},
        ]

    def _entry(self, lines=()):
        return self.env["carbon.move"].create({
            "kind": "stock", "date": "2024-06-01", "ref": "Batch", "company_id": self.company.id,
            "line_ids": [Command.create(vals) for vals in lines],
        })

    def _rows(self, lines):
        self.env.flush_all()
        self.env.cr.execute("SELECT * FROM carbon_move_line WHERE id IN %s ORDER BY id", [tuple(lines.ids)])
        return [{k: v for k, v in row.items() if k not in OWN_COLUMNS} for row in self.env.cr.dictfetchall()]

    def test_batched_lines_are_the_rows_create_writes(self):
        batched = self._entry(self._values())
        created = self._entry()
        self.env["carbon.move.line"].create([dict(vals, move_id=created.id) for vals in self._values()])
        self.assertEqual(self._rows(batched.line_ids), self._rows(created.line_ids))
        self.assertRecordValues(batched.line_ids, [
            {"debit": 12.345679, "credit": 0.0, "balance": 12.345679, "carbon_amount": 12.345679, "state": "draft",
             "account_type": "inventory", "company_id": self.company.id},
            {"debit": 0.0, "credit": 12.345679, "balance": -12.345679, "carbon_amount": 12.345679, "state": "draft",
             "account_type": "acquired", "company_id": self.company.id},
            {"debit": 0.0, "credit": 0.0, "balance": 0.0, "carbon_amount": 0.0, "state": "draft",
             "account_type": "inventory", "company_id": self.company.id},
            {"debit": 0.0, "credit": 0.0, "balance": 0.0, "carbon_amount": 0.0, "state": "draft",
             "account_type": "acquired", "company_id": self.company.id},
            {"debit": 0.5, "credit": 0.0, "balance": 0.5, "carbon_amount": 0.5, "state": "draft",
             "account_type": "overhead", "company_id": self.company.id},
            {"debit": 0.0, "credit": 0.5, "balance": -0.5, "carbon_amount": 0.5, "state": "draft",
             "account_type": "direct", "company_id": self.company.id},
        ])
        # 12.345679 + 0.5 debited
        self.assertAlmostEqual(batched.total_carbon, 12.845679, places=6)
        self.assertEqual(batched.total_carbon, created.total_carbon)

    def test_posting_posts_the_lines_with_their_entry(self):
        entry = self._entry(self._values())
        entry._post()
        self.assertEqual(set(entry.line_ids.mapped("state")), {"posted"})
        self.assertEqual({row["state"] for row in self._rows(entry.line_ids)}, {"posted"})
        posted = self.env["carbon.move.line"].search([("move_id", "=", entry.id), ("state", "=", "posted")])
        self.assertEqual(posted, entry.line_ids)
        self.assertIsNone(self.env["carbon.move"]._check_integrity(self.company))

    def test_the_batch_refuses_what_create_refuses(self):
        with self.assertRaises(UserError):  # a quantity without its unit
            self._entry([{"account_id": self.accounts["inventory"].id, "debit": 1.0, "quantity": 3.0}])
        other = self.env["res.company"].create({"name": "Other orchard"})
        foreign = self.env["carbon.account"]._for_company(other)["inventory"]
        with self.assertRaises(UserError):  # an account of another company
            self._entry([{"account_id": foreign.id, "debit": 1.0}])
        # a quantity that rounds to nothing in the field's precision is no quantity, as for create
        entry = self._entry([{"account_id": self.accounts["inventory"].id, "debit": 1.0, "quantity": 1e-9},
                             {"account_id": self.accounts["acquired"].id, "credit": 1.0}])
        self.assertEqual(entry.line_ids.mapped("quantity"), [0.0, 0.0])
        with self.assertRaises(ValueError):  # a field the lines do not have
            self._entry([{"account_id": self.accounts["inventory"].id, "debit": 1.0, "no_such_field": 1}])

    def test_the_records_that_have_their_lines_in_cache_see_the_new_ones(self):
        receipt = self._receive(self.honey, 10)
        self.assertEqual(len(receipt.carbon_move_line_ids), 2)         # now in cache
        entry = self._entry([
            {"account_id": self.accounts["inventory"].id, "debit": 1.0, "stock_move_id": receipt.id},
            {"account_id": self.accounts["acquired"].id, "credit": 1.0, "stock_move_id": receipt.id},
        ])
        self.assertEqual(len(entry.line_ids), 2)
        self.assertEqual(receipt.carbon_move_line_ids & entry.line_ids, entry.line_ids)   # without reading again
        self.env.invalidate_all()
        self.assertEqual(len(receipt.carbon_move_line_ids), 4)

    def _lines_updated(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'carbon_move_line'")
        return self.env.cr.fetchone()[0]

    def test_entries_created_posted_have_their_lines_inserted_posted(self):
        """``_create_posted`` writes the rows that create and posting write, without updating any."""
        vals = {"kind": "stock", "date": "2024-06-01", "ref": "Batch", "company_id": self.company.id}
        before = self._lines_updated()
        posted_at_once = self.env["carbon.move"]._create_posted(
            [dict(vals, line_ids=[Command.create(v) for v in self._values()])])
        self.assertEqual(self._lines_updated(), before)
        posted_after = self._entry(self._values())._post()
        self.assertEqual(self._lines_updated(), before + len(self._values()))
        self.assertEqual(posted_at_once.state, "posted")
        self.assertEqual(self._rows(posted_at_once.line_ids), self._rows(posted_after.line_ids))
        self.assertEqual(set(posted_at_once.line_ids.mapped("state")), {"posted"})
        self.assertIsNone(self.env["carbon.move"]._check_integrity(self.company))
        with self.assertRaises(UserError):  # not balanced: refused as posting refuses it
            self.env["carbon.move"]._create_posted([dict(vals, line_ids=[
                Command.create({"account_id": self.accounts["inventory"].id, "debit": 1.0})])])
