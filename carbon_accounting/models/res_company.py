from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    carbon_spend_factor_id = fields.Many2one(
        "carbon.emission.factor",
        string="Default Spend-based Factor",
        domain="[('basis', '=', 'spend'), ('company_id', 'in', [False, id])]",
        help="Last resort for purchase lines that no vendor declaration, product or category "
        "factor covers: kgCO2e per currency unit spent.",
    )
