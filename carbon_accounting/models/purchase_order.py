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
        aggregator=None,
        help="Carbon of the assessed lines per unit of the company currency spent on them (untaxed, converted "
        "at the order date). The spend of unassessed lines is left out: see Unassessed Spend.",
    )
    carbon_unassessed_amount = fields.Monetary(
        string="Unassessed Spend", currency_field="company_currency_id", compute="_compute_carbon", store=True,
        aggregator=None,
        help="Untaxed amount of the unassessed lines, in the company currency: left out of the kgCO2e per "
        "currency unit, their carbon being unknown.",
    )
    carbon_unassessed_count = fields.Integer(
        string="Unassessed Lines", compute="_compute_carbon", store=True,
    )
    carbon_unassessed_lines = fields.Char(
        string="Unassessed Products", compute="_compute_carbon_unassessed_lines",
        help="The products of the lines whose carbon is unknown.",
    )
    carbon_state = fields.Selection(
        CARBON_STATES, string="Carbon Status", compute="_compute_carbon", store=True, index=True,
    )

    @api.depends(
        "order_line.carbon_amount", "order_line.carbon_source", "order_line.price_subtotal", "currency_id",
        "date_order",
    )
    def _compute_carbon(self):
        for order in self:
            lines = order.order_line.filtered("carbon_source")
            unassessed = lines.filtered(lambda line: line.carbon_source == "unassessed")
            assessed = lines - unassessed
            order.carbon_amount = carbon_math.round_carbon(sum(assessed.mapped("carbon_amount")))
            order.carbon_unassessed_count = len(unassessed)
            if not lines:
                order.carbon_state = "none"
            elif not unassessed:
                order.carbon_state = "assessed"
            else:
                order.carbon_state = "partial" if unassessed != lines else "unassessed"
            order.carbon_unassessed_amount = order._carbon_spent(unassessed)
            spent = order._carbon_spent(assessed)
            order.carbon_intensity_currency = carbon_math.intensity(order.carbon_amount, spent) or 0.0

    @api.depends("order_line.carbon_source", "order_line.product_id")
    def _compute_carbon_unassessed_lines(self):
        for order in self:
            unassessed = order.order_line.filtered(lambda line: line.carbon_source == "unassessed")
            order.carbon_unassessed_lines = ", ".join(unassessed.product_id.mapped("display_name")) or False

    def _carbon_spent(self, lines):
        """Untaxed amount of ``lines`` in the company currency, at the order date."""
        self.ensure_one()
        if not self.currency_id:
            return 0.0
        return self.currency_id._convert(
            sum(lines.mapped("price_subtotal")), self.company_id.currency_id, self.company_id,
            fields.Date.to_date(self.date_order or fields.Date.context_today(self)), round=False,
        )

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
