from odoo import fields, models


class CarbonTargetLine(models.Model):
    """A point of a target's graph: the path's figure of a year, or the actual of a year with data.
    Derived rows, rewritten from the ledger each time the graph is opened."""

    _name = "carbon.target.line"
    _description = "Emission Target Path Point"
    _order = "target_id, year, series"

    target_id = fields.Many2one("carbon.target", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="target_id.company_id", store=True, index=True)
    date = fields.Date(required=True, help="The first day of the year.")
    year = fields.Integer(required=True, aggregator=False)
    series = fields.Selection([("target", "Target path"), ("actual", "Actual")], required=True)
    value = fields.Float(string="Figure", digits="Carbon", aggregator="sum",
                         help="In the target's unit: kgCO2e, or kgCO2e per million of revenue or per unit.")
