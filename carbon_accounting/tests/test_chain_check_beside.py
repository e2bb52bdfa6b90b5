from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.tests import TransactionCase, tagged

from ..models.carbon_move import CHAIN_TABLES
from ..tools import pg
from .common_bill import BillCarbonCommon
from .common_committed import CommittedCompanyMixin


@tagged("post_install", "-at_install")
class TestChainCheckBeside(CommittedCompanyMixin, TransactionCase):
    """The evidence pack checks the chain on a second connection whose transaction sees the
    snapshot of the pack's own (``pg.start_beside``), while it writes the statements. These tests
    open connections of their own beside the test's transaction, whose changes they never see; what
    the check beside is to read is committed for a company of its own, removed at the end."""

    def _cursor(self):
        cursor = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(cursor.close)
        self.addCleanup(cursor.rollback)
        return cursor

    def test_the_query_beside_sees_this_transactions_snapshot(self):
        cr = self._cursor()
        cr.execute("SELECT pg_current_snapshot()::text, count(*) FROM res_partner")
        snapshot, partners = cr.fetchone()
        # a transaction committed since: a new snapshot would not be this one (it writes no row)
        other = self._cursor()
        other.execute("SELECT pg_current_xact_id()")
        other.commit()
        beside = pg.start_beside(cr, self._cursor, lambda other: (
            other.execute("SELECT pg_current_snapshot()::text, count(*) FROM res_partner"), other.fetchone())[1])
        self.assertEqual(beside(), (snapshot, partners))

    def test_what_this_transaction_changed_is_not_seen_beside_and_is_told(self):
        cr = self._cursor()
        tables = ["ir_config_parameter", "res_company"]
        self.assertEqual(pg.tables_written(cr, tables), [])
        cr.execute("SELECT count(*) FROM ir_config_parameter")
        (parameters,) = cr.fetchone()
        cr.execute("INSERT INTO ir_config_parameter (key, value) VALUES ('carbon_accounting.beside_probe', '1')")
        self.assertIn("ir_config_parameter", pg.tables_written(cr, tables))
        beside = pg.start_beside(cr, self._cursor, lambda other: (
            other.execute("SELECT count(*) FROM ir_config_parameter"), other.fetchone())[1][0])
        self.assertEqual(beside(), parameters)

    def test_what_a_past_transaction_of_the_connection_wrote_is_not_this_ones(self):
        """Odoo's pool gives a connection again: what its transaction before wrote (rolled back
        here) is not this transaction's, although PostgreSQL's per-transaction statistics still
        count it until the connection reports them."""
        cr = self._cursor()
        cr.execute("INSERT INTO ir_config_parameter (key, value) VALUES ('carbon_accounting.beside_probe', '1')")
        cr.rollback()
        self.assertEqual(pg.tables_written(cr, ["ir_config_parameter"]), [])
        cr.execute("UPDATE res_company SET write_date = write_date WHERE id = %s", [self.env.company.id])
        self.assertIn("res_company", pg.tables_written(cr, ["ir_config_parameter", "res_company"]))

    def test_a_postgresql_that_does_not_count_changes_has_every_table_taken_as_written(self):
        cr = self._cursor()
        cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cr.fetchone()[0]:
            self.skipTest("only a superuser sets track_counts (the project's own cluster runs as one)")
        cr.execute("SET LOCAL track_counts = off")
        tables = ["ir_config_parameter", "res_company"]
        self.assertEqual(pg.tables_written(cr, tables), [], "a transaction that has changed no row")
        cr.execute("SELECT 1 FROM res_company WHERE id = %s FOR UPDATE", [self.env.company.id])
        self.assertEqual(pg.tables_written(cr, tables), tables)

    def test_an_error_beside_is_raised_to_the_caller(self):
        cr = self._cursor()

        def work(other):
            other.execute("SELECT 1 / 0")

        beside = pg.start_beside(cr, self._cursor, work)
        with self.assertRaisesRegex(Exception, "division by zero"):
            beside()

    def test_a_committed_chain_is_checked_beside_as_it_is_here_and_a_break_found(self):
        """A transaction that has changed no row checks the chain beside it: over the entries
        committed before its snapshot, with what the check here gives, a broken hash included."""
        company_id, __, overhead_id, direct_id = self._committed_company()
        with self.registry.cursor() as cr:
            entries = api.Environment(cr, SUPERUSER_ID, {})["carbon.move"].create([{
                "company_id": company_id, "kind": "activity", "ref": f"beside #{number}",
                "line_ids": [Command.create({"account_id": overhead_id, "debit": 1.5 + number}),
                             Command.create({"account_id": direct_id, "credit": 1.5 + number})],
            } for number in range(3)])._post().sorted("secure_sequence_number")
            ids, hashes = entries.ids, entries.mapped("inalterable_hash")
            cr.commit()  # pylint: disable=invalid-commit

        def check():
            Move = api.Environment(self._cursor(), SUPERUSER_ID, {})["carbon.move"]
            company = Move.env["res.company"].browse(company_id)
            started = Move._integrity_chain_started(company)
            self.assertEqual(pg.tables_written(Move.env.cr, CHAIN_TABLES), [], "the check ran beside")
            result = started()
            self.assertEqual(result, Move._integrity_chain(company))
            return result[:3] + (result[3].id if result[3] else None,)

        self.assertEqual(check(), (3, hashes[0], hashes[-1], None))
        with self.registry.cursor() as cr:  # a stored hash changed behind the ledger's back
            cr.execute("UPDATE carbon_move SET inalterable_hash = %s WHERE id = %s", ["0" * 64, ids[1]])
            cr.commit()  # pylint: disable=invalid-commit
        self.assertEqual(check(), (3, hashes[0], hashes[-1], ids[1]))


@tagged("post_install", "-at_install")
class TestChainCheckHere(BillCarbonCommon):

    def test_a_transaction_that_changed_the_ledger_checks_it_itself(self):
        """The test's transaction has posted entries another transaction does not see: the check
        runs in it, and finds them."""
        self._receive(self.honey, 10)
        Move = self.env["carbon.move"]
        self.env.flush_all()
        self.assertTrue(pg.tables_written(self.env.cr, CHAIN_TABLES))
        count, first, last, broken = Move._integrity_chain_started(self.company)()
        self.assertGreater(count, 0)
        self.assertIsNone(broken)
        self.assertEqual((count, first, last, broken), Move._integrity_chain(self.company))
