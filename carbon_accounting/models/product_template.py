from odoo import models

from .carbon_emission_factor import company_factor_field


class ProductTemplate(models.Model):
    _inherit = "product.template"

    carbon_factor_id = company_factor_field(
        "kgCO2e of this product when no vendor declares its own carbon. Empty: the product "
        "category's factor applies."
    )
