"""PostgreSQL helpers for the few large queries of the addon (no Odoo import)."""
import threading
from contextlib import contextmanager


@contextmanager
def without_jit(cr):
    """Run the block's queries with PostgreSQL's JIT compilation off, then restore the setting (for
    the current transaction). The evidence pack's rows and the chain check are single queries with
    wide expressions over a million rows: compiling them takes the JIT seconds, more than it saves."""
    cr.execute("SELECT current_setting('jit')")
    jit = cr.fetchone()[0]
    cr.execute("SET LOCAL jit = off")
    try:
        yield
    finally:
        cr.execute("SELECT set_config('jit', %s, true)", [jit])


def tables_written(cr, tables):
    """The names among ``tables`` of the tables the transaction of ``cr`` may have inserted,
    updated or deleted rows of: none if it has changed or locked no row yet (PostgreSQL gives a
    transaction its id at the first, ``pg_current_xact_id_if_assigned``); else those PostgreSQL's
    per-transaction statistics count changes of, which never miss this transaction's changes but
    also count what an earlier transaction of the connection changed until the connection reports
    it (up to a second later); all of them when PostgreSQL does not count (``track_counts`` off)."""
    cr.execute("SELECT pg_current_xact_id_if_assigned() IS NULL, current_setting('track_counts')::boolean")
    unchanged, counting = cr.fetchone()
    if unchanged:
        return []
    if not counting:
        return list(tables)
    cr.execute("""SELECT relname FROM pg_stat_xact_user_tables
                   WHERE relname IN %s AND n_tup_ins + n_tup_upd + n_tup_del > 0""", [tuple(tables)])
    return [row[0] for row in cr.fetchall()]


def start_beside(cr, new_cursor, work):
    """Start ``work(other)`` in a thread, ``other`` being a cursor of ``new_cursor()`` (a connection
    of its own) whose transaction sees the snapshot of the transaction of ``cr``
    (``pg_export_snapshot``): the same rows, except those that ``cr``'s transaction changed itself,
    which no other transaction sees. Returns a function that waits for the thread and returns what
    ``work`` returned, or raises what it raised. ``other``'s transaction is rolled back and closed."""
    cr.execute("SELECT pg_export_snapshot()")
    snapshot = cr.fetchone()[0]
    outcome = {}

    def run():
        try:
            other = new_cursor()
            try:
                # the first statement of its transaction, as SET TRANSACTION SNAPSHOT must be
                other.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
                outcome["result"] = work(other)
            finally:
                other.rollback()
                other.close()
        except Exception as error:  # noqa: BLE001  (raised again by the caller's thread)
            outcome["error"] = error

    thread = threading.Thread(target=run, name="carbon-beside", daemon=True)
    thread.start()

    def result():
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]
    return result
