from odoo import fields, models

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
    _inherit = ["carbon.inclusion.parameter.mixin"]
    _description = "Carbon Inclusion Monitoring Parameter"

    uom_id = fields.Many2one("uom.uom", string="Unit", required=True)
    frequency = fields.Selection(FREQUENCIES, required=True, default="period")
    data_source = fields.Selection(DATA_SOURCES, required=True, default="reading")
    method = fields.Text(string="Measurement Method", translate=True)

    _code_unique = models.Constraint("UNIQUE(methodology_id, code)",
                                     "A monitoring parameter code is used once per methodology.")
