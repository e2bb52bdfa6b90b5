"""Ledger lines of spend-based factors posted before 19.0.2 carry an amount spent as their quantity
with no unit: they get the factor's currency (a label outside the entries' hash: posted figures
do not change)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE carbon_move_line line
           SET currency_id = factor.currency_id
          FROM carbon_emission_factor factor
         WHERE line.factor_id = factor.id AND factor.basis = 'spend' AND line.quantity != 0
           AND line.product_uom_id IS NULL AND line.currency_id IS NULL
    """)
