"""19.0.1.1.0 gives carbon entries a kind. Entries posted before have the default, manual, which
would refuse their reversal (manual entries cannot touch inventory): derive it from what they
link to. Set Carbon adjustments, linked to their stock move, count as stock entries."""


def _table_has_column(cr, table, column):
    cr.execute("SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
               [table, column])
    return bool(cr.fetchone())


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE carbon_move m SET kind = 'allocation'
          FROM carbon_allocation a WHERE a.carbon_move_id = m.id AND m.kind = 'manual'
    """)
    if _table_has_column(cr, "mrp_production", "carbon_direct_move_id"):
        cr.execute("""
            UPDATE carbon_move m SET kind = 'production'
              FROM mrp_production p WHERE p.carbon_direct_move_id = m.id AND m.kind = 'manual'
        """)
    cr.execute("""
        UPDATE carbon_move m SET kind = 'stock'
         WHERE m.kind = 'manual'
           AND EXISTS (SELECT 1 FROM carbon_move_line l WHERE l.move_id = m.id AND l.stock_move_id IS NOT NULL)
    """)
    cr.execute("UPDATE carbon_move SET kind = 'bill' WHERE kind = 'manual' AND account_move_id IS NOT NULL")
    # reversals take the kind of the entry they reverse
    cr.execute("""
        UPDATE carbon_move r SET kind = o.kind
          FROM carbon_move o WHERE r.reversed_entry_id = o.id AND r.kind != o.kind
    """)
