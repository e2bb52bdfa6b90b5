import base64

from odoo import fields, models
from odoo.exceptions import UserError


class CarbonXlsxExport(models.TransientModel):
    _name = "carbon.xlsx.export"
    _description = "Export Carbon Register to XLSX"

    date_from = fields.Date(help="First order date of the purchases exported. Empty: from the start.")
    date_to = fields.Date(help="Last order date of the purchases exported. Empty: up to today.")
    include_factors = fields.Boolean(string="Emission Factor Register", default=True)
    include_purchases = fields.Boolean(string="Purchase Carbon", default=True)
    include_ledger = fields.Boolean(string="E-liability Ledger", default=True)
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    def _sections(self):
        sections = []
        if self.include_factors:
            sections.append("factors")
        if self.include_purchases:
            sections += ["purchases", "summary"]
        if self.include_ledger:
            sections.append("ledger")
        return sections

    def action_export(self):
        self.ensure_one()
        if not self._sections():
            raise UserError(self.env._("Choose at least one section to export."))
        content, __ = self.env["ir.actions.report"]._render_xlsx("carbon_accounting.register_xlsx", self.ids, {})
        self.write({
            "file": base64.b64encode(content),
            "filename": f"carbon_register_{fields.Date.context_today(self)}.xlsx",
        })
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Export Carbon Register"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
