"""19.0.2.0.0 takes removals and offsets out of the ledger: they have registers of their own
(carbon.removal, carbon.credit). The removal (700) and offset (800) accounts are archived; what was
posted on them stays readable, and can be reversed."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE carbon_account SET active = FALSE WHERE account_type IN ('removal', 'offset')")
