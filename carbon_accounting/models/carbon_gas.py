from odoo import fields, models


class CarbonGas(models.Model):
    _name = "carbon.gas"
    _description = "Greenhouse Gas"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Code used in factor CSV files and GWP tables, e.g. co2, ch4_fossil, n2o.",
    )
    formula = fields.Char(help="Chemical formula, e.g. CH4.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_unique = models.Constraint("UNIQUE(code)", "A gas code must be unique.")
