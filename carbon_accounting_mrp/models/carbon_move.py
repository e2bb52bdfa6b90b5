from odoo import api, models


class CarbonMove(models.Model):
    _inherit = "carbon.move"

    @api.model
    def _source_document_models(self):
        return super()._source_document_models() + ["mrp.production", "mrp.unbuild"]

    def _entry_documents(self):
        """A production's direct emissions entry names no document: the production holds it."""
        documents = super()._entry_documents()
        originals = self | self.reversed_entry_id
        productions = self.env["mrp.production"].sudo().search([("carbon_direct_move_id", "in", originals._origin.ids)])
        by_entry = {production.carbon_direct_move_id: production for production in productions}
        for move in self.filtered(lambda m: m.kind == "production"):
            original = (move.reversed_entry_id or move)._origin
            documents[move] = documents[move] or by_entry.get(original, productions.browse())
        return documents
