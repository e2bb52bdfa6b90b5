from odoo import models


class CarbonMoveLine(models.Model):
    _inherit = "carbon.move.line"

    def _stock_move_document(self, stock_move):
        """Components consumed and goods made belong to their production, components brought back
        to their unbuild order."""
        return (stock_move.production_id or stock_move.raw_material_production_id or stock_move.unbuild_id
                or stock_move.consume_unbuild_id or super()._stock_move_document(stock_move))
