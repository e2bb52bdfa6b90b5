from odoo import models

from odoo.addons.carbon_accounting.tools import carbon_math


class StockMove(models.Model):
    _inherit = "stock.move"

    def _carbon_consumption_account(self):
        """A production's components (and the emissions of using them up) go into its work in
        progress, which its finished goods take out."""
        if self.raw_material_production_id or self.production_id or self.unbuild_id or self.consume_unbuild_id:
            return "wip"
        return super()._carbon_consumption_account()

    def _carbon_value_in(self):
        # the productions' carbon in progress, read before any move of this batch takes its share
        wip = {production.id: production._carbon_wip() for production in self.production_id}
        unbuilt = self._carbon_unbuilt()
        return super(StockMove, self.with_context(carbon_production_wip=wip, carbon_unbuilt=unbuilt))._carbon_value_in()

    def _carbon_unbuilt(self):
        """{move id: (carbon, state)} of the components unbuilds bring back: the carbon the unbuild
        took out of inventory into production (finished goods and by-products, with the direct
        emissions they took in), spread over the components in proportion to the carbon they went
        in with (the quantity when that is nothing), so that the unbuild leaves nothing in work in
        progress and the components come back with their share of the direct emissions."""
        components = self.filtered(lambda m: m.unbuild_id and m.location_id.usage == "production")
        result = {}
        for unbuild in components.unbuild_id:
            unbuild_moves = unbuild.produce_line_ids  # mrp links both sides of an unbuild by unbuild_id
            taken = unbuild_moves.filtered(
                lambda m: m.state == "done" and m.location_dest_id.usage == "production" and m.carbon_state != "none")
            back = components.filtered(lambda m, unbuild=unbuild: m.unbuild_id == unbuild)
            weights = [max(m.origin_returned_move_id.carbon_unit * m._carbon_qty(), 0.0) for m in back]
            if not sum(weights):
                weights = [m._carbon_qty() for m in back]
            if not sum(weights):
                continue
            state = "unassessed" if "unassessed" in taken.mapped("carbon_state") else "assessed"
            parts = carbon_math.allocate(sum(taken.mapped("carbon_amount")), weights)
            result.update({move.id: (part, state) for move, part in zip(back, parts, strict=True)})
        return result

    def _carbon_in_unit(self, find_version):
        """Finished goods and by-products take the production's carbon in progress: by-products
        their cost share of it, the main product the rest (as mrp_account shares cost). Components
        an unbuild brings back take their share of what it unbuilt (``_carbon_unbuilt``)."""
        unbuilt = self.env.context.get("carbon_unbuilt", {}).get(self.id)
        if unbuilt:
            qty = self._carbon_qty()
            return {
                "unit": unbuilt[0] / qty if qty else 0.0,
                "carbon_state": unbuilt[1],
                "carbon_factor_id": False,
                "carbon_note": self.env._("Share of the carbon unbuilt by %s", self.unbuild_id.name),
            }
        production = self.production_id
        if not production:
            return super()._carbon_in_unit(find_version)
        wip = self.env.context.get("carbon_production_wip", {}).get(production.id)
        if wip is None:
            wip = production._carbon_wip()
        qty = self._carbon_qty()
        byproducts = production.move_byproduct_ids.filtered(lambda m: m.state == "done" and m.cost_share)
        if self.product_id == production.product_id:
            share = 1.0 - sum(byproducts.mapped("cost_share")) / 100.0
        else:
            share = self.cost_share / 100.0
        unknown = production.move_raw_ids.filtered(
            lambda m: m.state == "done" and m.carbon_state in ("unassessed", "pending")
        )
        return {
            "unit": wip * share / qty if qty else 0.0,
            "carbon_state": "unassessed" if unknown else "assessed",
            "carbon_factor_id": False,
            "carbon_note": self.env._("%(share)s%% of the carbon of %(production)s", share=round(share * 100, 2),
                                      production=production.name),
        }
