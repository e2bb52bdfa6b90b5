from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    carbon_factor_id = fields.Many2one(
        "carbon.emission.factor",
        string="Emission Factor",
        company_dependent=True,
        ondelete="restrict",
        domain="[('company_id', 'in', [False, current_company_id])]",
        help="kgCO2e of this product when no vendor declares its own carbon. Empty: the product "
        "category's factor applies.",
    )
