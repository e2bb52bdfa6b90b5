from odoo import fields, models
from odoo.tools import SQL

from ..models.carbon_register_mixin import VERIFICATION_STATES
from ..models.carbon_register_movement import REGISTERS

FLOWS = [
    ("generated", "Generated"),
    ("acquired", "Acquired"),
    ("issued", "Issued"),
    ("retire", "Retired"),
    ("sell", "Sold"),
    ("transfer", "Transferred"),
    ("reverse", "Reversed"),
]


class CarbonRegisterReconciliation(models.Model):
    """The reconciliation of both registers, one row per tonnes in (generated, acquired, issued, as
    positive tonnes) or out (retired, sold, transferred, reversed, as negative tonnes): summed per register, the
    tonnes are what is held. Verified and unverified entries stay apart."""

    _name = "carbon.register.reconciliation"
    _description = "Carbon Register Reconciliation"
    _auto = False
    _order = "date desc"
    _depends = {
        "carbon.removal": ["company_id", "origin", "verification_state", "name", "removal_date", "tonnes"],
        "carbon.credit": ["company_id", "origin", "verification_state", "name", "date", "tonnes"],
        "carbon.register.movement": ["company_id", "register", "movement_type", "removal_id", "credit_id", "date",
                                     "tonnes"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    register = fields.Selection(REGISTERS, readonly=True)
    flow = fields.Selection(FLOWS, readonly=True)
    verification_state = fields.Selection(VERIFICATION_STATES, string="Verification", readonly=True)
    removal_id = fields.Many2one("carbon.removal", readonly=True)
    credit_id = fields.Many2one("carbon.credit", readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    date = fields.Date(readonly=True)
    tonnes = fields.Float(string="Tonnes (tCO2e)", digits="Carbon", readonly=True, aggregator="sum",
                          help="In positive, out negative: their sum is what is held.")

    @property
    def _table_query(self):
        return SQL("""
            SELECT r.id * 4 AS id, r.company_id, 'removal' AS register, r.origin AS flow, r.verification_state,
                   r.id AS removal_id, NULL::integer AS credit_id, r.name, r.removal_date AS date, r.tonnes
              FROM carbon_removal r
             UNION ALL
            SELECT c.id * 4 + 1, c.company_id, 'credit', c.origin, c.verification_state,
                   NULL, c.id, c.name, c.date, c.tonnes
              FROM carbon_credit c
             UNION ALL
            SELECT m.id * 4 + 2, m.company_id, m.register, m.movement_type,
                   COALESCE(r.verification_state, c.verification_state), m.removal_id, m.credit_id,
                   COALESCE(r.name, c.name), m.date, -m.tonnes
              FROM carbon_register_movement m
              LEFT JOIN carbon_removal r ON r.id = m.removal_id
              LEFT JOIN carbon_credit c ON c.id = m.credit_id
        """)
