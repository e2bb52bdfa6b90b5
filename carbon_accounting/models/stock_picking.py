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
        """The carbon of each line of the transfer, the unassessed lines first with the reason."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "carbon.move.line",
            "name": self.env._("Carbon of %s", self.name),
            "view_mode": "list",
            "domain": [("move_id.picking_id", "=", self.id)],
            "views": [(self.env.ref("carbon_accounting.carbon_move_line_view_list_document").id, "list")],
        }
