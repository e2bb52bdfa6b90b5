from odoo import models
from odoo.fields import Domain

from odoo.addons.carbon_accounting.report.carbon_report_eliability import QUALITY_KEYS
from odoo.addons.carbon_accounting.tools import carbon_math


class CarbonReportEliability(models.AbstractModel):
    _inherit = "carbon.report.eliability"

    def _footprint_parts(self, product, company, date_from, date_to):
        """Adds what was made: the carbon the product's finished-goods moves took out of work in
        progress in the period, split like each production's work in progress into its components'
        carbon (materials acquired) and the emissions of using components up plus the production's
        direct emissions (direct, or energy when the production's direct emissions are Scope 2).
        The components' data quality is not traced through production: it counts as untraced."""
        parts = super()._footprint_parts(product, company, date_from, date_to)
        domain = self._ledger_domain(company, date_from, date_to) & Domain([
            ("product_id", "=", product.id), ("account_type", "=", "inventory"),
            ("move_id.kind", "!=", "allocation"), ("stock_move_id.production_id", "!=", False)])
        part = {"quantity": 0.0, "unassessed_quantity": 0.0, "materials": 0.0, "direct": 0.0, "energy": 0.0,
                "quality": dict.fromkeys(QUALITY_KEYS, 0.0), "domain": list(domain)}
        groups = self.env["carbon.move.line"]._read_group(
            domain, ["stock_move_id.production_id", "unassessed"], ["balance:sum", "quantity:sum"])
        for production, unassessed, balance, quantity in groups:
            if unassessed:
                part["unassessed_quantity"] += quantity
                continue
            raw = production.move_raw_ids.filtered(lambda m: m.state == "done")
            materials = sum(raw.mapped("carbon_amount"))
            used = sum(raw.mapped("carbon_use_amount"))
            direct = (
                carbon_math.round_carbon(production.carbon_direct_amount) if production.carbon_direct_move_id else 0.0
            )
            wip = materials + used + direct
            part["quantity"] += quantity
            if carbon_math.is_zero(wip):
                part["materials"] += balance
                continue
            part["materials"] += balance * materials / wip
            part["direct"] += balance * (used + (direct if production.carbon_direct_scope == "1" else 0.0)) / wip
            part["energy"] += balance * (direct if production.carbon_direct_scope == "2" else 0.0) / wip
        return parts + [part]
