from odoo import models

from .carbon_emission_factor import company_factor_field


class AccountAccount(models.Model):
    _inherit = "account.account"

    carbon_factor_id = company_factor_field(
        "For vendor bill lines booked on this account whose product has no factor of its own "
        "(electricity, fuel, freight, services): usually a spend-based factor."
    )
