import base64

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CarbonSllLoan(models.Model):
    """A sustainability-linked loan: its characteristics (principal, base margin, the ratchet the
    sustainability performance targets drive), the KPIs and their targets per year, and the annual
    verification — the components of the Sustainability-Linked Loan Principles (LMA/APLMA/LSTA):
    selection of KPIs, calibration of SPTs, loan characteristics, reporting, verification."""

    _name = "carbon.sll.loan"
    _description = "Sustainability-Linked Loan"
    _inherit = ["mail.thread"]
    _order = "signing_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    financier_id = fields.Many2one("res.partner", string="Lender", required=True, check_company=True)
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    principal = fields.Monetary(required=True, tracking=True)
    signing_date = fields.Date(required=True, default=fields.Date.context_today)
    maturity_date = fields.Date()
    base_margin_bps = fields.Integer(string="Base Margin (bp)", required=True, tracking=True)
    ratchet_step_bps = fields.Integer(string="Ratchet Step (bp)", required=True, default=5, tracking=True,
                                      help="Basis points each KPI moves the margin by in a year.")
    ratchet_two_way = fields.Boolean(string="Two-way Ratchet", tracking=True,
                                     help="One-way: the margin only falls, by a step for each target met and "
                                     "verified. Two-way: it also rises by a step for each target missed, not "
                                     "reported or not verified.")
    ratchet_cap_bps = fields.Integer(string="Ratchet Cap (bp)",
                                     help="The largest move of the margin in a year, either way. 0: no cap.")
    kpi_rationale = fields.Text(string="KPI Selection",
                                help="Why these KPIs are relevant, core and material to the borrower's business.")
    calibration = fields.Text(string="Target Calibration",
                              help="How the targets were set: baseline, benchmarks, science-based pathways.")
    reporting = fields.Text(default="Annual KPI report to the lender within 120 days of the year end.")
    verifier_id = fields.Many2one("res.partner", string="External Verifier")
    target_ids = fields.One2many("carbon.sll.target", "loan_id", string="Sustainability Performance Targets")

    @api.constrains("base_margin_bps", "ratchet_step_bps", "ratchet_cap_bps", "principal")
    def _check_figures(self):
        for loan in self:
            if min(loan.base_margin_bps, loan.ratchet_step_bps, loan.ratchet_cap_bps) < 0 or loan.principal < 0:
                raise ValidationError(self.env._("%s: margins, steps, caps and principal are not negative.", loan.name))

    def _get_report_data(self):
        self.ensure_one()
        return self.env["carbon.report.sll"]._get_data(self)

    def action_print_pdf(self):
        return self.env.ref("carbon_supplychain_finance.action_report_carbon_sll").report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        content = self.env["carbon.report.sll"]._render_xlsx(self._get_report_data())
        attachment = self.env["ir.attachment"].create({
            "name": f"sll_kpi_report_{self.id}.xlsx", "datas": base64.b64encode(content),
            "res_model": self._name, "res_id": self.id,
            "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })
        return {"type": "ir.actions.act_url", "target": "self", "url": f"/web/content/{attachment.id}?download=true"}
