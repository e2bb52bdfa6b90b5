from odoo import api, fields, models
from odoo.exceptions import UserError


class CarbonEvidencePackWizard(models.TransientModel):
    """Asks for a company and a period and prints the auditor's evidence pack (an XLSX report)."""

    _name = "carbon.evidence.pack.wizard"
    _description = "Carbon Evidence Pack"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(required=True, default=lambda self: fields.Date.context_today(self).replace(month=1, day=1))
    date_to = fields.Date(required=True, default=fields.Date.context_today)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        if any(wizard.date_from > wizard.date_to for wizard in self):
            raise UserError(self.env._("The period of the evidence pack ends before it starts."))

    def action_print(self):
        self.ensure_one()
        return self.env.ref("carbon_accounting.action_report_evidence_pack").report_action(self, config=False)
