from odoo import api, fields, models


class CarbonInclusionParameter(models.Model):
    """A fixed parameter of a methodology (an emission factor, a default fraction): its value and
    where the value comes from. A value without a cited source is illustrative."""

    _name = "carbon.inclusion.parameter"
    _inherit = ["carbon.inclusion.parameter.mixin"]
    _description = "Carbon Inclusion Parameter"

    unit = fields.Char(required=True, help="e.g. kgCO2e/kg, t C/t dry matter, fraction.")
    value = fields.Float(digits=(16, 6), required=True)
    source = fields.Char(help="The source of the default value (publication, table, page).")
    illustrative = fields.Boolean(compute="_compute_illustrative", store=True,
                                  help="No cited source: the value illustrates the method and is not to be used as is.")

    _code_unique = models.Constraint("UNIQUE(methodology_id, code)", "A parameter code is used once per methodology.")

    @api.depends("source")
    def _compute_illustrative(self):
        for parameter in self:
            parameter.illustrative = not (parameter.source or "").strip() or \
                (parameter.source or "").lower().startswith("illustrative")
