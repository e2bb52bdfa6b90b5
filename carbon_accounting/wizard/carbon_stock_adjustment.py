from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import carbon_math


class CarbonStockAdjustment(models.TransientModel):
    """Gives a stock move its carbon after the fact, by an adjustment entry (the posted entry
    stays): an unassessed incoming move gets the carbon it brought in; an outgoing move that left
    negative stock gets the carbon of its quantity awaiting receipt. The quantity moves from
    unknown to known carbon in inventory."""

    _name = "carbon.stock.adjustment"
    _description = "Carbon Adjustment of a Stock Move"

    move_id = fields.Many2one("stock.move", required=True, readonly=True)
    product_id = fields.Many2one(related="move_id.product_id")
    quantity = fields.Float(compute="_compute_quantity", digits="Product Unit")
    factor_id = fields.Many2one(
        "carbon.emission.factor", domain="[('basis', '=', 'physical')]",
        help="A per-unit factor to compute the carbon per unit from; or type it in.",
    )
    unit_carbon = fields.Float(string="kgCO2e per Unit", digits="Carbon Factor", required=True,
                               compute="_compute_unit_carbon", store=True, readonly=False)
    reason = fields.Char(required=True, help="Why the carbon is set now, kept on the entry.")

    @api.depends("move_id")
    def _compute_quantity(self):
        for wizard in self:
            move = wizard.move_id
            wizard.quantity = (move.carbon_pending_qty if move.is_out else move._get_valued_qty()) if move else 0.0

    @api.depends("factor_id")
    def _compute_unit_carbon(self):
        for wizard in self:
            if wizard.factor_id:
                product = wizard.product_id
                wizard.unit_carbon = product._carbon_convert(1.0, product.uom_id, wizard.factor_id.uom_id) \
                    * wizard.factor_id.value
            else:
                wizard.unit_carbon = wizard.unit_carbon

    def action_adjust(self):
        self.ensure_one()
        move = self.move_id
        if self.unit_carbon < 0:
            raise UserError(self.env._("Carbon per unit cannot be negative."))
        if move.is_out and carbon_math.compare(move.carbon_pending_qty, 0.0, 6) > 0:
            return self._settle_outflow()
        if move.carbon_state != "unassessed" or not move.is_in:
            raise UserError(self.env._("Only unassessed incoming stock moves and outgoing moves awaiting a "
                                       "receipt can be given their carbon here."))
        if move.location_id.usage == "production":
            raise UserError(self.env._(
                "%s was made from components of unknown carbon: set the carbon of those components' receipts "
                "instead.", move.reference))
        # under standard costing, inventory already holds the standard: only the difference is new
        standard = move._carbon_standard()
        amount = carbon_math.round_carbon(self.unit_carbon * self.quantity - move.carbon_amount)
        # what has left stock already (delivered or scrapped at unknown carbon) is booked as
        # transferred: the carbon left with it, it no longer sits in inventory; a standard
        # product's difference waits in the pool, as its variances do
        [(__, kept, gone, kept_qty)] = move._carbon_split_added(amount)
        accounts = self.env["carbon.account"]._for_company(move.company_id)
        common = {"name": self.reason, "product_id": move.product_id.id, "product_uom_id": move.product_id.uom_id.id,
                  "unit_carbon": self.unit_carbon, "factor_id": self.factor_id.id, "stock_move_id": move.id,
                  "partner_id": move._carbon_partner().id, "scope": self.factor_id.scope or False,
                  "scope3_category": self.factor_id.scope3_category or False}
        counterpart = accounts[move._carbon_counterpart_type(move.location_id)]
        gone_account = accounts["overhead" if standard else "transferred"]

        def line(account, carbon, **values):
            return dict(common, **{"account_id": account.id, "debit": max(carbon, 0.0), "credit": max(-carbon, 0.0),
                                   "quantity": 0.0, **values})

        lines = [
            # the quantity still in stock moves from unknown to known carbon
            line(accounts["inventory"], kept, quantity=kept_qty),
            line(accounts["inventory"], 0.0, quantity=-kept_qty, unassessed=True),
            line(counterpart, -amount),
        ]
        if not carbon_math.is_zero(gone):
            lines.append(line(gone_account, gone,
                              name=self.env._("%s: carbon of the quantity that has left stock", self.reason)))
        entry = self._post_entry(lines)
        values = {"carbon_state": "assessed", "carbon_factor_id": self.factor_id.id,
                  "carbon_note": self.env._("Adjusted by %s", entry.name)}
        values.update({"carbon_variance": move.carbon_variance + amount} if standard else
                      {"carbon_unit": self.unit_carbon})
        move.sudo().write(values)
        return {"type": "ir.actions.act_window", "res_model": "carbon.move", "res_id": entry.id, "view_mode": "form"}

    def _post_entry(self, lines):
        move = self.move_id
        return self.env["carbon.move"].sudo()._create_posted([{
            "company_id": move.company_id.id, "kind": "adjustment", "picking_id": move.picking_id.id,
            "ref": self.env._("Adjustment of %(move)s: %(reason)s", move=move.reference, reason=self.reason),
            "line_ids": [fields.Command.create(vals) for vals in lines],
        }])

    def _settle_outflow(self):
        """The quantity an outgoing move took from negative stock, at the carbon per unit given."""
        move = self.move_id
        accounts = self.env["carbon.account"]._for_company(move.company_id)
        qty = move.carbon_pending_qty
        lines = move._carbon_settlement_values(
            accounts, qty, carbon_math.round_carbon(self.unit_carbon * qty), self.reason, self.factor_id)
        entry = self._post_entry(lines)
        move.sudo().carbon_note = self.env._("%(note)s; set by %(entry)s", note=move.carbon_note, entry=entry.name)
        return {"type": "ir.actions.act_window", "res_model": "carbon.move", "res_id": entry.id, "view_mode": "form"}
