"""19.0.2.0.0 keeps kgCO2e to the milligram (the precision record is noupdate: set it here)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE decimal_precision SET digits = 6
         WHERE id IN (SELECT res_id FROM ir_model_data
                       WHERE module = 'carbon_accounting' AND name = 'decimal_carbon')
    """)
