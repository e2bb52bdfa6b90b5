from odoo import fields, models

from .carbon_supplier_scorecard import GRADES


class CarbonFinanceProgrammeTier(models.Model):
    """A green tier of a finance programme: the discount off the base rate, in basis points, that a
    vendor's scorecard grade earns."""

    _name = "carbon.finance.programme.tier"
    _description = "Green Finance Programme Tier"
    _order = "programme_id, grade"

    programme_id = fields.Many2one("carbon.finance.programme", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="programme_id.company_id", store=True, index=True)
    grade = fields.Selection(GRADES, required=True)
    discount_bps = fields.Integer(string="Discount (bp)", required=True,
                                  help="Basis points off the base annual rate (100 bp = 1 %).")

    _unique_grade = models.Constraint("UNIQUE(programme_id, grade)", "A programme has one tier a grade.")
    _positive_discount = models.Constraint("CHECK(discount_bps >= 0)", "A green discount is not negative.")
