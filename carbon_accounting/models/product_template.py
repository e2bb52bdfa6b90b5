from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .carbon_emission_factor import USE_FACTOR_DOMAIN, company_factor_field


class ProductTemplate(models.Model):
    _inherit = "product.template"

    carbon_factor_id = company_factor_field(
        "Upstream (cradle-to-gate) kgCO2e of this product when no vendor declares its own carbon: what the "
        "company acquires with it. For storable products it must be a Scope 3 factor: the emissions of "
        "burning or applying the product go in the use factor. Empty: the product category's factor applies."
    )
    carbon_use_factor_id = company_factor_field(
        "Emissions the company itself releases when it uses this product up (fuel burnt, fertiliser "
        "applied, refrigerant leaked): Scope 1, booked as direct emissions when a stock move takes the "
        "product into a consumption location (usage Production), not when it is bought. Empty: the product "
        "category's use factor applies.",
        string="Use Emission Factor", domain=USE_FACTOR_DOMAIN,
    )
    carbon_standard_unit = fields.Float(
        string="Standard Carbon per Unit",
        digits="Carbon Factor",
        company_dependent=True,
        help="Products under standard costing enter and leave inventory at this kgCO2e per unit; the "
        "difference with the carbon actually acquired goes to the overhead pool as a variance. Empty: "
        "inventory is averaged.",
    )

    @api.constrains("carbon_factor_id", "is_storable")
    def _check_carbon_factor_scope(self):
        for product in self.filtered("is_storable"):
            factor = product.carbon_factor_id
            if factor and factor.scope != "3":
                raise ValidationError(self.env._(
                    "%(product)s is stored: what the company acquires with it is its upstream carbon (Scope 3). "
                    "Factor %(code)s is Scope %(scope)s: set it as the product's Use Emission Factor, booked "
                    "as direct emissions when the product is used up, and give the product an upstream "
                    "Scope 3 factor (or a vendor declaration).",
                    product=product.display_name, code=factor.code, scope=factor.scope))

    @api.constrains("carbon_use_factor_id")
    def _check_carbon_use_factor(self):
        for product in self:
            product.carbon_use_factor_id._check_use_factor(product.display_name)
