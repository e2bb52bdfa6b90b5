from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class CarbonFactorVersionWizard(models.TransientModel):
    _name = "carbon.factor.version.wizard"
    _description = "New Version of an Emission Factor"

    factor_id = fields.Many2one("carbon.emission.factor", required=True, readonly=True)
    has_gas_lines = fields.Boolean(compute="_compute_has_gas_lines")
    date_from = fields.Date(
        string="Valid From", required=True, default=fields.Date.context_today,
        help="The current version is closed the day before.",
    )
    value = fields.Float(
        string="New kgCO2e per Unit", digits="Carbon Factor",
        compute="_compute_value", store=True, readonly=False,
        help="For a factor with a gas breakdown, edit the gases on the new version instead.",
    )
    source = fields.Char(compute="_compute_source", store=True, readonly=False)

    @api.depends("factor_id")
    def _compute_has_gas_lines(self):
        for wizard in self:
            wizard.has_gas_lines = bool(wizard.factor_id.gas_line_ids)

    @api.depends("factor_id")
    def _compute_value(self):
        for wizard in self:
            wizard.value = wizard.factor_id.value

    @api.depends("factor_id")
    def _compute_source(self):
        for wizard in self:
            wizard.source = wizard.factor_id.source

    def action_create_version(self):
        self.ensure_one()
        factor = self.factor_id
        if factor.date_from and self.date_from <= factor.date_from:
            raise UserError(self.env._(
                "The new version must start after %(date)s, when version %(version)s starts.",
                date=factor.date_from, version=factor.version,
            ))
        previous_end = factor.date_to
        if not previous_end or previous_end >= self.date_from:
            factor.date_to = self.date_from - timedelta(days=1)
        last = factor.with_context(active_test=False).search(
            [("code", "=", factor.code), ("company_id", "=", factor.company_id.id)], order="version desc", limit=1
        )
        default = {
            "code": factor.code,
            "date_from": self.date_from,
            "date_to": previous_end if previous_end and previous_end >= self.date_from else False,
            "version": last.version + 1,
            "previous_version_id": factor.id,
            "source": self.source,
        }
        if not factor.gas_line_ids:
            default["value"] = self.value
        new_version = factor.copy(default)
        return {
            "type": "ir.actions.act_window",
            "res_model": "carbon.emission.factor",
            "res_id": new_version.id,
            "view_mode": "form",
            "target": "current",
        }
