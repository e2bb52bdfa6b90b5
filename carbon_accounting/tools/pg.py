"""PostgreSQL settings for the few large queries of the addon (no Odoo import)."""
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
