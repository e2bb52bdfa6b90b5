import base64

from odoo import fields, models


class CarbonInclusionSummaryWizard(models.TransientModel):
    """The carbon-inclusion summary of a company and period as XLSX (figures from
    ``carbon.inclusion.report._get_summary_data``)."""

    _name = "carbon.inclusion.summary.wizard"
    _description = "Carbon Inclusion Summary"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(required=True, default=lambda self: fields.Date.context_today(self).replace(month=1, day=1))
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    def action_export_xlsx(self):
        self.ensure_one()
        content = self.env["carbon.inclusion.report.xlsx"]._render_summary_xlsx(
            self.company_id, self.date_from, self.date_to)
        self.write({"file": base64.b64encode(content),
                    "filename": f"carbon_inclusion_{self.company_id.name}_{self.date_from}_{self.date_to}.xlsx"})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
                "target": "new", "name": self.env._("Carbon Inclusion Summary")}
