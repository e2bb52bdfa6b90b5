from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    carbon_spend_factor_id = fields.Many2one(
        related="company_id.carbon_spend_factor_id", readonly=False
    )
    carbon_lock_date = fields.Date(related="company_id.carbon_lock_date", readonly=False)
    carbon_grid_factor_id = fields.Many2one(related="company_id.carbon_grid_factor_id", readonly=False)
    carbon_consolidation_approach = fields.Selection(related="company_id.carbon_consolidation_approach", readonly=False)
    carbon_equity_share = fields.Float(related="company_id.carbon_equity_share", readonly=False)
    carbon_base_year = fields.Integer(related="company_id.carbon_base_year", readonly=False)
