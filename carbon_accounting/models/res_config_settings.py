from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    carbon_spend_factor_id = fields.Many2one(
        related="company_id.carbon_spend_factor_id", readonly=False
    )
    carbon_lock_date = fields.Date(related="company_id.carbon_lock_date", readonly=False)
