from odoo import fields, models

from odoo.addons.carbon_accounting.models.carbon_emission_factor import SCOPES
from odoo.addons.carbon_accounting.tools import carbon_math


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    carbon_direct_amount = fields.Float(
        string="Direct Emissions (kgCO2e)", digits="Carbon", copy=False,
        help="Emissions of the production itself (kiln fuel, process gases, on-site energy), rolled into "
        "the finished goods with the components' carbon.",
    )
    carbon_direct_scope = fields.Selection(SCOPES[:2], string="Direct Emissions Scope", default="1")
    carbon_direct_move_id = fields.Many2one("carbon.move", string="Direct Emissions Entry", copy=False, readonly=True)

    def _post_inventory(self, cancel_backorder=False):
        self._carbon_post_direct()
        return super()._post_inventory(cancel_backorder=cancel_backorder)

    def _carbon_post_direct(self):
        """Dr work in progress / Cr direct emissions (or purchased energy), once per production."""
        todo = self.filtered(lambda p: not p.carbon_direct_move_id and not carbon_math.is_zero(p.carbon_direct_amount))
        for production in todo:
            accounts = self.env["carbon.account"]._for_company(production.company_id)
            source = accounts["direct" if production.carbon_direct_scope == "1" else "energy"]
            common = {"name": production.name, "scope": production.carbon_direct_scope,
                      "product_id": production.product_id.id}
            amount = carbon_math.round_carbon(production.carbon_direct_amount)
            entry = self.env["carbon.move"].sudo()._create_posted([{
                "company_id": production.company_id.id,
                "kind": "production",
                "ref": production.name,
                "line_ids": [
                    fields.Command.create(dict(common, account_id=accounts["wip"].id, debit=amount, credit=0.0)),
                    fields.Command.create(dict(common, account_id=source.id, debit=0.0, credit=amount)),
                ],
            }])
            production.carbon_direct_move_id = entry

    def _carbon_wip(self):
        """Carbon this production holds in work in progress: components consumed, the emissions of
        using them up (fuel burnt) and direct emissions, less what finished goods and by-products already took out."""
        self.ensure_one()
        consumed = sum(self.move_raw_ids.filtered(lambda m: m.state == "done").mapped(
            lambda m: m.carbon_amount + m.carbon_use_amount))
        taken = sum(self.move_finished_ids.filtered(
            lambda m: m.state == "done" and m.carbon_state != "none").mapped("carbon_amount"))
        direct = carbon_math.round_carbon(self.carbon_direct_amount) if self.carbon_direct_move_id else 0.0
        return consumed + direct - taken
