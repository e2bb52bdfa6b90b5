from odoo import api, fields, models

#: KPIs read from the ledger: (code, label). Units and directions in ``carbon.report.sll``.
KPIS = [
    ("scope12", "Absolute Scope 1+2 emissions (market-based)"),
    ("intensity_revenue", "Scope 1+2 intensity per million of revenue"),
    ("verified_supplier_share", "Share of purchased carbon on verified supplier data"),
    ("verified_removals", "Verified carbon removals, net of buffer"),
]
STATUSES = [("met", "Met"), ("missed", "Missed"), ("not_verified", "Met, not verified"), ("no_data", "No data")]
ASSURANCE = [("limited", "Limited assurance"), ("reasonable", "Reasonable assurance")]


class CarbonSllTarget(models.Model):
    """A sustainability performance target: a KPI's target for a year, the actual read from the ledger,
    and the external verification of that year's figure."""

    _name = "carbon.sll.target"
    _description = "Sustainability Performance Target"
    _order = "loan_id, year, kpi"

    loan_id = fields.Many2one("carbon.sll.loan", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="loan_id.company_id", store=True, index=True)
    kpi = fields.Selection(KPIS, string="KPI", required=True)
    year = fields.Integer(required=True, aggregator=None)
    target = fields.Float(string="Target (SPT)", digits=(16, 6), required=True)
    unit = fields.Char(compute="_compute_actual")
    actual = fields.Float(digits=(16, 6), compute="_compute_actual")
    actual_known = fields.Boolean(compute="_compute_actual")
    status = fields.Selection(STATUSES, compute="_compute_actual")
    verified = fields.Boolean(help="An external verifier assured the year's figure of this KPI.")
    verifier_id = fields.Many2one("res.partner")
    verification_date = fields.Date()
    assurance = fields.Selection(ASSURANCE)
    verified_value = fields.Float(digits=(16, 6), help="The figure the verifier assured.")
    verification_statement = fields.Binary(attachment=True)
    verification_statement_name = fields.Char()

    _unique_kpi_year = models.Constraint("UNIQUE(loan_id, kpi, year)", "A KPI has one target a year.")

    @api.depends("kpi", "year", "target", "verified", "loan_id.company_id")
    def _compute_actual(self):
        Report = self.env["carbon.report.sll"]
        cache = {}
        for spt in self:
            row = Report._target_row(spt, cache)
            spt.update({"unit": row["unit"], "actual": row["actual"] or 0.0,
                        "actual_known": row["actual"] is not None, "status": row["status"]})
