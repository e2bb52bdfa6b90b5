from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    carbon_move_ids = fields.One2many("carbon.move", "picking_id", string="Carbon Entries")
    carbon_move_count = fields.Integer(compute="_compute_carbon_move_count")

    def _compute_carbon_move_count(self):
        groups = self.env["carbon.move"]._read_group([("picking_id", "in", self.ids)], ["picking_id"], ["__count"])
        counts = {picking.id: count for picking, count in groups}
        for picking in self:
            picking.carbon_move_count = counts.get(picking.id, 0)

    def action_view_carbon_entries(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "carbon.move", "name": self.env._("Carbon Entries"),
            "view_mode": "list,form", "domain": [("picking_id", "=", self.id)],
        }
