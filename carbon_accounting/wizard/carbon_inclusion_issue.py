from odoo import api, fields, models


class CarbonInclusionIssue(models.TransientModel):
    """Records what the registry issued from a verified monitoring period: whole tonnes, vintage,
    registry and serial range. Reductions become credits; a sink's removals become E-assets."""

    _name = "carbon.inclusion.issue"
    _description = "Record Carbon Inclusion Issuance"

    monitoring_id = fields.Many2one("carbon.inclusion.monitoring", required=True)
    tonnes = fields.Integer(string="Tonnes Issued (tCO2e)", compute="_compute_defaults", store=True, readonly=False)
    vintage = fields.Integer(compute="_compute_defaults", store=True, readonly=False)
    date = fields.Date(string="Issued on", required=True, default=fields.Date.context_today)
    registry = fields.Char(required=True, default=lambda self: self.env._("Guangdong Carbon Inclusion (PHCER)"))
    reference = fields.Char(help="The registry's issuance number.")
    serial_from = fields.Char(string="Serial Numbers From", required=True)
    serial_to = fields.Char(string="Serial Numbers To", required=True)

    @api.depends("monitoring_id")
    def _compute_defaults(self):
        for wizard in self:
            monitoring = wizard.monitoring_id
            wizard.tonnes = max(int(monitoring.issuable_tonnes - monitoring._issued_in_chain()), 0) if monitoring else 0
            wizard.vintage = monitoring.date_to.year if monitoring.date_to else 0

    def action_issue(self):
        self.ensure_one()
        entry = self.monitoring_id._issue(self.tonnes, self.vintage, self.registry, self.serial_from, self.serial_to,
                                          self.date, self.reference)
        return {"type": "ir.actions.act_window", "res_model": entry._name, "res_id": entry.id, "view_mode": "form",
                "name": entry.display_name}
