from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import carbon_formula


class CarbonInclusionParameterMixin(models.AbstractModel):
    """What a methodology's fixed and monitored parameters share: the methodology, their place in it
    and the code the formulas know them by."""

    _name = "carbon.inclusion.parameter.mixin"
    _description = "Carbon Inclusion Parameter (shared)"
    _order = "methodology_id, sequence, id"

    methodology_id = fields.Many2one("carbon.inclusion.methodology", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, help="The name the formulas use: letters, digits and _.")
    name = fields.Char(string="Description", required=True, translate=True)

    @api.constrains("code")
    def _check_code(self):
        for parameter in self:
            try:
                carbon_formula.check_name(parameter.code)
            except carbon_formula.FormulaError as error:
                raise ValidationError(str(error)) from None
