from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError

from odoo.addons.carbon_accounting.tools import carbon_math


class CarbonAllocation(models.Model):
    """Production allocated production by production: each manufacturing order takes its share by
    its main product's quantity (or weight), shared between main product and by-products by cost
    share, as the components' carbon is (``stock.move._carbon_in_unit``); the goods are followed
    through the productions that consume them and the unbuilds that take them apart."""

    _inherit = "carbon.allocation"

    def _by_production(self):
        return self.target == "production" and self.basis in ("quantity", "weight")

    def _target_moves(self):
        moves = super()._target_moves()
        if self.target == "production":
            moves = moves.filtered("production_id")  # unbuilds bring components back: nothing is made
        return moves

    def _spread(self):
        self.ensure_one()
        if not self._by_production() or not self.line_ids or carbon_math.is_zero(self.pool_amount):
            return super()._spread()
        amounts, note = self._production_amounts()
        by_product = defaultdict(float)
        for move, amount in amounts.items():
            by_product[move.product_id] += amount
        for line in self.line_ids:
            carbon = carbon_math.round_carbon(by_product[line.product_id])
            line.write({"carbon": carbon, "share": 100.0 * carbon / self.pool_amount, "basis_note": note})
        return None

    def _production_amounts(self):
        """({finished-goods move: carbon}, note on the basis): the pool to the period's productions
        in proportion to their main product's quantity (or weight) made in the period, then within
        each production by cost share."""
        moves = self._target_moves()
        productions = moves.production_id
        if not productions:
            return {}, False
        basis, note = self._measure_basis(productions.product_id)
        unit = productions[:1].product_id.uom_id
        weights = []
        for production in productions:
            product = production.product_id
            qty = sum(self._product_qty(m) for m in moves if m.production_id == production and m.product_id == product)
            weights.append(max(qty * product.weight if basis == "weight"
                               else product.uom_id._compute_quantity(qty, unit, round=False), 0.0))
        if not sum(weights):
            return {}, note
        amounts = {}
        for production, part in zip(productions, carbon_math.allocate(self.pool_amount, weights), strict=True):
            amounts.update(
                self._production_split(
                    production, moves.filtered(lambda m, production=production: m.production_id == production), part
                )
            )
        return amounts, note

    def _production_split(self, production, moves, amount):
        """{move: carbon} of ``amount`` over a production's finished-goods ``moves``: each by-product
        its cost share, the main product the rest, each over its moves by quantity."""
        byproducts = moves.filtered(lambda m: m.product_id != production.product_id)
        main = moves - byproducts
        main_part, parts = carbon_math.split_by_cost_share(amount, byproducts.mapped("cost_share"))
        result = dict(zip(byproducts, parts, strict=True))
        if carbon_math.is_zero(main_part):
            return result
        qtys = [self._product_qty(m) for m in main]
        if not any(qty > 0 for qty in qtys):
            raise UserError(self.env._("%(production)s made no %(product)s to carry its share of the pool.",
                                       production=production.name, product=production.product_id.display_name))
        result.update(zip(main, carbon_math.allocate(main_part, qtys), strict=True))
        return result

    def _production_move_amounts(self, lines):
        if not self._by_production():
            return super()._production_move_amounts(lines)
        amounts, __ = self._production_amounts()
        by_product = defaultdict(float)
        for move, amount in amounts.items():
            by_product[move.product_id] += amount
        computed = {line.product_id: line.carbon for line in self.line_ids}
        for product in set(by_product) | set(computed):
            if carbon_math.compare(by_product.get(product, 0.0), computed.get(product, 0.0)):
                raise self._stale(product)
        return amounts

    def _outflow_destination(self, move, accounts):
        if move.raw_material_production_id or move.unbuild_id:
            return None
        return super()._outflow_destination(move, accounts)

    def _follow_consumed(self, consumed):
        """Goods consumed by a production go into what it made (by cost share); goods unbuilt go
        into the components the unbuild brought back, in proportion to their carbon."""
        if not consumed:
            return {}
        moves = self.env["stock.move"].union(*consumed)
        made = self.env["stock.move"].search([
            ("state", "=", "done"), ("carbon_state", "!=", "none"), ("location_id.usage", "=", "production"),
            "|", ("production_id", "in", moves.raw_material_production_id.ids),
            ("unbuild_id", "in", moves.unbuild_id.ids),
        ])
        result = defaultdict(float)
        for move, amount in consumed.items():
            production = move.raw_material_production_id
            if production:
                targets = made.filtered(lambda m, production=production: m.production_id == production)
            else:
                targets = made.filtered(lambda m, move=move: m.unbuild_id == move.unbuild_id)
            if not targets:
                raise UserError(self.env._(
                    "%(product)s went into %(order)s, which brought nothing into stock yet: the allocation "
                    "cannot follow it.", product=move.product_id.display_name,
                    order=(production or move.unbuild_id).name))
            if production:
                parts = self._production_split(production, targets, amount)
            else:
                weights = [max(m.carbon_amount, 0.0) for m in targets]
                if not sum(weights):
                    weights = [self._product_qty(m) for m in targets]
                parts = dict(zip(targets, carbon_math.allocate(amount, weights), strict=True))
            for target, part in parts.items():
                result[target] += part
        return result
