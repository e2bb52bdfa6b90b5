from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CarbonScorecardGenerate(models.TransientModel):
    _name = "carbon.scorecard.generate"
    _description = "Generate Supplier Carbon Scorecards"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(required=True, default=lambda self: date(fields.Date.context_today(self).year - 1, 1, 1))
    date_to = fields.Date(required=True, default=lambda self: date(fields.Date.context_today(self).year - 1, 12, 31))

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period ends before it starts."))

    def action_generate(self):
        self.ensure_one()
        cards = self.env["carbon.supplier.scorecard"]._generate(self.company_id, self.date_from, self.date_to)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "carbon_supplychain_finance.carbon_supplier_scorecard_action")
        action["domain"] = [("id", "in", cards.ids)]
        action["context"] = {}
        return action
