from odoo import fields, models


class CarbonGwpSet(models.Model):
    _name = "carbon.gwp.set"
    _description = "Global Warming Potential Set"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code used in factor CSV files, e.g. AR6.")
    source = fields.Char(help="Publication the values are taken from.")
    reference_url = fields.Char(string="Reference URL")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    value_ids = fields.One2many("carbon.gwp.value", "gwp_set_id", string="GWP Values", copy=True)

    _code_unique = models.Constraint("UNIQUE(code)", "A GWP set code must be unique.")

    def _gwp_by_gas(self):
        """{gas code: GWP} of this set."""
        self.ensure_one()
        return {v.gas_id.code: v.value for v in self.value_ids}
