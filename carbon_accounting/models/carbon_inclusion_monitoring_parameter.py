from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import carbon_formula

FREQUENCIES = [("continuous", "Continuous"), ("batch", "Each batch"), ("monthly", "Monthly"),
               ("period", "Once per monitoring period")]
DATA_SOURCES = [
    ("stock_consumption", "Ledger: quantity consumed (done stock moves into production)"),
    ("vendor_bill", "Ledger: quantity billed (posted vendor bills)"),
    ("reading", "Reading entered with evidence"),
]


class CarbonInclusionMonitoringParameter(models.Model):
    """A parameter monitored in each period: its unit, frequency and where its value comes from — the
    ledger (the product each project maps it to) or a reading entered with evidence."""

    _name = "carbon.inclusion.monitoring.parameter"
    _description = "Carbon Inclusion Monitoring Parameter"
    _order = "methodology_id, sequence, id"

    methodology_id = fields.Many2one("carbon.inclusion.methodology", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, help="The name the formulas use: letters, digits and _.")
    name = fields.Char(string="Description", required=True, translate=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", required=True)
    frequency = fields.Selection(FREQUENCIES, required=True, default="period")
    data_source = fields.Selection(DATA_SOURCES, required=True, default="reading")
    method = fields.Text(string="Measurement Method", translate=True)

    _code_unique = models.Constraint("UNIQUE(methodology_id, code)",
                                     "A monitoring parameter code is used once per methodology.")

    @api.constrains("code")
    def _check_code(self):
        for parameter in self:
            try:
                carbon_formula.check_name(parameter.code)
            except carbon_formula.FormulaError as error:
                raise ValidationError(str(error)) from None
