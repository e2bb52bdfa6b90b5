from odoo import fields, models

from .carbon_emission_factor import company_factor_field


class ProductTemplate(models.Model):
    _inherit = "product.template"

    carbon_factor_id = company_factor_field(
        "kgCO2e of this product when no vendor declares its own carbon. Empty: the product "
        "category's factor applies."
    )
    carbon_standard_unit = fields.Float(
        string="Standard Carbon per Unit",
        digits="Carbon Factor",
        company_dependent=True,
        help="Products under standard costing enter and leave inventory at this kgCO2e per unit; the "
        "difference with the carbon actually acquired goes to the overhead pool as a variance. Empty: "
        "inventory is averaged.",
    )
