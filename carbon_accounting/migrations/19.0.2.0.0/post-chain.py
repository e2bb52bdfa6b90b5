"""19.0.2.0.0 serializes posting on a chain head per company: start each head at the last entry
of the company's chain."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["carbon.chain.head"]._initialise(env["res.company"].with_context(active_test=False).search([]))
