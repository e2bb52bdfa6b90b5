from odoo import models


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
        return super(StockMove, self.with_context(carbon_production_wip=wip))._carbon_value_in()

    def _carbon_in_unit(self, find_version):
        """Finished goods and by-products take the production's carbon in progress: by-products
        their cost share of it, the main product the rest (as mrp_account shares cost)."""
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
        unknown = production.move_raw_ids.filtered(lambda m: m.state == "done" and m.carbon_state in ("unassessed", "pending"))
        return {
            "unit": wip * share / qty if qty else 0.0,
            "carbon_state": "unassessed" if unknown else "assessed",
            "carbon_factor_id": False,
            "carbon_note": self.env._("%(share)s%% of the carbon of %(production)s", share=round(share * 100, 2),
                                      production=production.name),
        }
