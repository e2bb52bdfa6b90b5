from odoo import api, fields, models
from odoo.exceptions import UserError


class CarbonInclusionMonitoringLine(models.Model):
    """The value of one monitoring parameter in a period: gathered from the ledger (with the domain
    of the records behind it) or read, with the evidence attached."""

    _name = "carbon.inclusion.monitoring.line"
    _description = "Carbon Inclusion Monitoring Data"
    _order = "monitoring_id, sequence, id"

    monitoring_id = fields.Many2one("carbon.inclusion.monitoring", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="monitoring_id.company_id", store=True, index=True)
    monitoring_parameter_id = fields.Many2one("carbon.inclusion.monitoring.parameter", required=True,
                                              ondelete="restrict")
    sequence = fields.Integer(related="monitoring_parameter_id.sequence", store=True)
    code = fields.Char(related="monitoring_parameter_id.code")
    uom_id = fields.Many2one(related="monitoring_parameter_id.uom_id")
    data_source = fields.Selection(related="monitoring_parameter_id.data_source")
    frequency = fields.Selection(related="monitoring_parameter_id.frequency")
    value = fields.Float(digits=(16, 6))
    gathered = fields.Boolean(readonly=True, help="Taken from the ledger.")
    product_id = fields.Many2one("product.product", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True)
    ledger_domain = fields.Json(readonly=True)
    ledger_count = fields.Integer(string="Ledger Records", readonly=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Evidence", copy=False)
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.monitoring_id._check_draft()
        return lines

    def write(self, vals):
        self.monitoring_id._check_draft()
        if "value" in vals and not self.env.context.get("carbon_inclusion_gather"):
            if self.filtered(lambda line: line.data_source != "reading"):
                raise UserError(self.env._("Ledger data is gathered from the ledger, not typed in."))
        result = super().write(vals)
        if {"value", "attachment_ids"} & set(vals):
            self.monitoring_id.write({"computed": False})
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self.monitoring_id._check_draft()

    def action_open_ledger(self):
        self.ensure_one()
        model = "stock.move" if self.data_source == "stock_consumption" else "account.move.line"
        return {"type": "ir.actions.act_window", "res_model": model, "view_mode": "list,form",
                "name": self.monitoring_parameter_id.name, "domain": self.ledger_domain or [("id", "=", False)]}
