from odoo import fields, models

from .carbon_emission_factor import SCOPE3_CATEGORIES


class CarbonScope3Relevance(models.Model):
    """A company's assessment of a Scope 3 category: relevant or not, and why (GHG Protocol Scope 3
    Standard, ch. 6). A category with no posted lines reads "not relevant" in the GHG inventory only
    when the company says so here; otherwise it reads "not assessed", never a bare zero."""

    _name = "carbon.scope3.relevance"
    _description = "Scope 3 Category Relevance"
    _order = "company_id, id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade",
                                 default=lambda self: self.env.company)
    category = fields.Selection(SCOPE3_CATEGORIES, string="Scope 3 Category", required=True)
    relevant = fields.Boolean(default=False)
    reason = fields.Char(help="Why the category is not relevant (or how it is covered).")

    _category_company_unique = models.Constraint(
        "UNIQUE(company_id, category)", "A Scope 3 category is assessed once per company."
    )
