from odoo import fields, models


class AccountAccount(models.Model):
    _inherit = "account.account"

    carbon_factor_id = fields.Many2one(
        "carbon.emission.factor",
        string="Emission Factor",
        company_dependent=True,
        ondelete="restrict",
        domain="[('company_id', 'in', [False, current_company_id])]",
        help="For vendor bill lines booked on this account whose product has no factor of its own "
        "(electricity, fuel, freight, services): usually a spend-based factor.",
    )
