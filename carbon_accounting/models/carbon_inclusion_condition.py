from odoo import fields, models


class CarbonInclusionCondition(models.Model):
    """One applicability condition of a methodology, answered with evidence by each project."""

    _name = "carbon.inclusion.condition"
    _description = "Carbon Inclusion Applicability Condition"
    _order = "methodology_id, sequence, id"

    methodology_id = fields.Many2one("carbon.inclusion.methodology", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Text(string="Condition", required=True, translate=True)
