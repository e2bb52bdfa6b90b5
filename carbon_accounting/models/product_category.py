from odoo import api, models

from .carbon_emission_factor import USE_FACTOR_DOMAIN, company_factor_field


class ProductCategory(models.Model):
    _inherit = "product.category"

    carbon_factor_id = company_factor_field(
        "Used for the products of this category (and of its sub-categories) that have no "
        "factor of their own. Stored products only take a Scope 3 (upstream) factor from here."
    )
    carbon_use_factor_id = company_factor_field(
        "Emissions released when the company uses up a product of this category (and of its "
        "sub-categories) that has no use factor of its own: Scope 1, booked on consumption.",
        string="Use Emission Factor", domain=USE_FACTOR_DOMAIN,
    )

    def _carbon_factor(self, field="carbon_factor_id"):
        """The factor of this category (at most one; may be empty) in ``field`` or, failing that,
        of its nearest parent that has one."""
        category = self
        while category and not category[field]:
            category = category.parent_id
        return category[field]

    @api.constrains("carbon_use_factor_id")
    def _check_carbon_use_factor(self):
        for category in self:
            category.carbon_use_factor_id._check_use_factor(category.display_name)
