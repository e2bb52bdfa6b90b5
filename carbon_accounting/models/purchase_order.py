from odoo import api, fields, models

from ..tools import carbon_math

CARBON_STATES = [
    ("none", "Nothing to assess"),
    ("assessed", "Assessed"),
    ("partial", "Partly unassessed"),
    ("unassessed", "Unassessed"),
]


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    carbon_amount = fields.Float(
        string="Carbon (kgCO2e)", digits="Carbon", compute="_compute_carbon", store=True,
        help="Carbon of the assessed lines. Unassessed lines count for nothing here: see Carbon Status.",
    )
    carbon_intensity_currency = fields.Float(
        string="kgCO2e per Currency Unit", digits="Carbon Factor", compute="_compute_carbon", store=True,
        aggregator="avg",
        help="Carbon per unit of the company currency spent (untaxed amount converted at the order date).",
    )
    carbon_unassessed_count = fields.Integer(
        string="Unassessed Lines", compute="_compute_carbon", store=True,
    )
    carbon_state = fields.Selection(
        CARBON_STATES, string="Carbon Status", compute="_compute_carbon", store=True, index=True,
    )

    @api.depends(
        "order_line.carbon_amount", "order_line.carbon_source", "amount_untaxed", "currency_id", "date_order",
    )
    def _compute_carbon(self):
        for order in self:
            lines = order.order_line.filtered("carbon_source")
            unassessed = lines.filtered(lambda l: l.carbon_source == "unassessed")
            order.carbon_amount = carbon_math.round_carbon(sum(lines.mapped("carbon_amount")))
            order.carbon_unassessed_count = len(unassessed)
            if not lines:
                order.carbon_state = "none"
            elif not unassessed:
                order.carbon_state = "assessed"
            else:
                order.carbon_state = "partial" if unassessed != lines else "unassessed"
            spent = order.currency_id._convert(
                order.amount_untaxed, order.company_id.currency_id, order.company_id,
                fields.Date.to_date(order.date_order or fields.Date.context_today(order)), round=False,
            ) if order.currency_id else 0.0
            order.carbon_intensity_currency = carbon_math.intensity(order.carbon_amount, spent) or 0.0

    def action_carbon_recompute(self):
        self.order_line.action_carbon_recompute()
        return True

    def action_view_carbon_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Carbon of %s", self.name),
            "res_model": "purchase.order.line",
            "view_mode": "list",
            "views": [(self.env.ref("carbon_accounting.purchase_order_line_view_list_carbon").id, "list")],
            "domain": [("order_id", "=", self.id), ("display_type", "=", False)],
        }
