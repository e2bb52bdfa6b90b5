from odoo import models

from .carbon_emission_factor import company_factor_field


class ProductCategory(models.Model):
    _inherit = "product.category"

    carbon_factor_id = company_factor_field(
        "Used for the products of this category (and of its sub-categories) that have no "
        "factor of their own."
    )

    def _carbon_factor(self):
        """The factor of this category (at most one; may be empty) or, failing that, of its
        nearest parent that has one."""
        category = self
        while category and not category.carbon_factor_id:
            category = category.parent_id
        return category.carbon_factor_id
