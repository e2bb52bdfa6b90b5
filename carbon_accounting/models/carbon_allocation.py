from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_date

from ..tools import carbon_math

BASES = [
    ("quantity", "Quantity"),
    ("weight", "Weight"),
    ("revenue", "Revenue invoiced"),
    ("manual", "Manual shares"),
]
#: Productions goods are followed through at most, one into the next (a product made from itself
#: would be followed for ever).
FOLLOW_DEPTH = 20
TARGETS = [
    ("sales", "Sales: products delivered to customers"),
    ("production", "Production: products made"),
]


class CarbonAllocation(models.Model):
    """A period's allocation of the overhead pool (direct emissions, purchased energy, services)
    to the products delivered to customers or to the products made, as activity-based costing
    does: computed and recomputed in draft, with a per-product preview, posted once."""

    _name = "carbon.allocation"
    _description = "Carbon Pool Allocation"
    _order = "date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    date_from = fields.Date(required=True, default=lambda self: fields.Date.context_today(self).replace(day=1))
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    target = fields.Selection(TARGETS, required=True, default="sales",
                              help="Sales: the pool is transferred to customers with the period's deliveries. "
                              "Production: it goes into the inventory of the period's finished goods and follows "
                              "what has left already: to customers, into products made from them, to scrap.")
    basis = fields.Selection(BASES, required=True, default="quantity")
    state = fields.Selection([("draft", "Draft"), ("posted", "Posted")], default="draft", required=True, readonly=True)
    pool_amount = fields.Float(string="Pool to Allocate (kgCO2e)", digits="Carbon", readonly=True,
                               help="The unallocated balance of the overhead pool at the period's end.")
    line_ids = fields.One2many("carbon.allocation.line", "allocation_id", string="Products")
    carbon_move_id = fields.Many2one(
        "carbon.move", string="Carbon Entry", readonly=True, copy=False, check_company=True
    )

    _dates_ordered = models.Constraint("CHECK(date_to >= date_from)", "The period cannot end before it starts.")

    @api.depends("date_from", "date_to")
    def _compute_name(self):
        for allocation in self:
            if allocation.date_from and allocation.date_to:
                allocation.name = self.env._("Allocation %(start)s to %(end)s",
                                             start=allocation.date_from, end=allocation.date_to)
            else:
                allocation.name = self.env._("New Allocation")

    def action_compute(self):
        """(Re)compute the pool and each delivered product's share of it."""
        for allocation in self:
            if allocation.state != "draft":
                raise UserError(self.env._("A posted allocation cannot be recomputed."))
            if allocation.target == "production" and allocation.basis == "revenue":
                raise UserError(self.env._("Production is allocated by quantity, weight or manual shares, not "
                                           "revenue."))
            pool = allocation._pool_balance()
            if carbon_math.is_zero(pool):
                raise UserError(self.env._(
                    "Nothing to allocate: there is no balance in the overhead pool on %(date)s. Vendor bills of "
                    "energy, fuel and services and direct emission activities fill it when they are posted.",
                    date=format_date(self.env, allocation.date_to)))
            bases = allocation._bases()
            if not bases:
                start, end = format_date(self.env, allocation.date_from), format_date(self.env, allocation.date_to)
                if allocation.target == "production":
                    message = self.env._("Nothing to allocate the pool to: no product was made from %(start)s to "
                                         "%(end)s.", start=start, end=end)
                else:
                    message = self.env._("Nothing to allocate the pool to: there are no deliveries to customers "
                                         "from %(start)s to %(end)s.", start=start, end=end)
                raise UserError(message)
            manual = {line.product_id: line.manual_share for line in allocation.line_ids}
            lines = [{"product_id": product.id, "quantity": values["quantity"], "weight": values["weight"],
                      "revenue": values["revenue"], "manual_share": manual.get(product, 0.0)}
                     for product, values in bases.items()]
            allocation.line_ids = [fields.Command.clear()] + [fields.Command.create(v) for v in lines]
            allocation.pool_amount = pool
            allocation._spread()
        return True

    def _spread(self):
        self.ensure_one()
        lines = self.line_ids
        if not lines or carbon_math.is_zero(self.pool_amount):
            lines.write({"carbon": 0.0, "share": 0.0, "basis_note": False})
            return
        weights, note = self._line_weights(lines)
        if not sum(weights):
            lines.write({"carbon": 0.0, "share": 0.0, "basis_note": note})
            return
        parts = carbon_math.allocate(self.pool_amount, weights)
        total_weight = sum(weights)
        for line, part, weight in zip(lines, parts, weights, strict=True):
            line.write({"carbon": part, "share": 100.0 * weight / total_weight, "basis_note": note})

    def _line_weights(self, lines):
        """([each line's weight under the basis], note on the basis actually used)."""
        if self.basis == "manual":
            return [max(line.manual_share, 0.0) for line in lines], False
        if self.basis == "revenue":
            return [max(line.revenue, 0.0) for line in lines], False
        basis, note = self._measure_basis(lines.product_id)
        if basis == "weight":
            return [max(line.weight, 0.0) for line in lines], note
        unit = lines[:1].product_id.uom_id
        return [max(line.product_id.uom_id._compute_quantity(line.quantity, unit, round=False), 0.0)
                for line in lines], note

    def _measure_basis(self, products):
        """("quantity" or "weight", note) for adding up quantities of ``products``: quantities when
        their units share a reference unit (converted to one unit), weights when they do not and
        every product has one.

        :raises UserError: naming the products and units that cannot be added up
        """
        def described(items):
            return ", ".join(f"{p.display_name} ({p.uom_id.name})" for p in items)

        if self.basis == "quantity":
            first = products[:1].uom_id
            if all(first._has_common_reference(product.uom_id) for product in products):
                return "quantity", False
            if all(product.weight > 0 for product in products):
                return "weight", self.env._("By weight: the units of the products share no reference unit")
            raise UserError(self.env._(
                "The quantity basis cannot add up %(products)s: their units share no reference unit. Give "
                "every product a weight (the allocation then goes by weight) or choose another basis.",
                products=described(products)))
        weightless = products.filtered(lambda p: p.weight <= 0)
        if weightless:
            raise UserError(self.env._("The weight basis needs the weight of %(products)s.",
                                       products=described(weightless)))
        return "weight", False

    def _pool_balance(self):
        groups = self.env["carbon.move.line"]._read_group([
            ("company_id", "=", self.company_id.id), ("account_type", "=", "overhead"),
            ("state", "=", "posted"), ("date", "<=", self.date_to),
        ], [], ["balance:sum"])
        return carbon_math.round_carbon(groups[0][0] or 0.0)

    def _period_domain(self):
        return Domain([
            ("company_id", "=", self.company_id.id), ("state", "=", "done"), ("date", ">=", self.date_from),
            ("date", "<", self.date_to + timedelta(days=1)),
        ])

    def _target_moves(self):
        """The period's deliveries to customers, or its finished goods (done moves from production
        into stock, with carbon)."""
        domain = self._period_domain()
        if self.target == "production":
            domain &= Domain([("location_id.usage", "=", "production"), ("location_dest_id.usage", "=", "internal"),
                              ("carbon_state", "!=", "none")])
        else:
            domain &= Domain([("is_out", "=", True), ("location_dest_id.usage", "=", "customer")])
        return self.env["stock.move"].search(domain, order="date, id")

    @api.model
    def _product_qty(self, move):
        return move.product_uom._compute_quantity(move.quantity, move.product_id.uom_id, round=False)

    def _returned_qtys(self, moves, in_period=False):
        """({move: quantity that came back of it (done returns, in the product's unit)}, the
        returns), one search; only the returns of the period when ``in_period``."""
        domain = Domain([("origin_returned_move_id", "in", moves.ids), ("state", "=", "done")])
        if in_period:
            domain &= self._period_domain()
        returned = defaultdict(float)
        backs = self.env["stock.move"].search(domain, order="date, id")
        for back in backs:
            returned[back.origin_returned_move_id] += self._product_qty(back)
        return returned, backs

    def _deliveries(self):
        """{product: [(delivery, quantity delivered, quantity the customer returned in the period)]}."""
        moves = self._target_moves()
        returned, __ = self._returned_qtys(moves, in_period=True)
        deliveries = defaultdict(list)
        for move in moves:
            deliveries[move.product_id].append((move, self._product_qty(move), returned[move]))
        return deliveries

    def _bases(self):
        """{product: {quantity, weight, revenue}} of the period's target moves (deliveries net of the
        period's customer returns)."""
        bases = defaultdict(lambda: {"quantity": 0.0, "weight": 0.0, "revenue": 0.0})
        if self.target == "sales":
            for product, deliveries in self._deliveries().items():
                qty = sum(carbon_math.net_quantities([d[1] for d in deliveries], [d[2] for d in deliveries]))
                bases[product]["quantity"] += qty
                bases[product]["weight"] += qty * product.weight
        else:
            for move in self._target_moves():
                qty = self._product_qty(move)
                bases[move.product_id]["quantity"] += qty
                bases[move.product_id]["weight"] += qty * move.product_id.weight
            return bases
        revenue = self.env["account.move.line"]._read_group(Domain([
            ("company_id", "=", self.company_id.id), ("parent_state", "=", "posted"),
            ("move_id.move_type", "in", ("out_invoice", "out_refund")), ("display_type", "=", "product"),
            ("product_id", "in", [p.id for p in bases]), ("date", ">=", self.date_from), ("date", "<=", self.date_to),
        ]), ["product_id"], ["balance:sum"])
        for product, balance in revenue:
            bases[product]["revenue"] = -balance
        return bases

    def action_post(self):
        for allocation in self:
            if allocation.state != "draft":
                continue
            lines = allocation.line_ids.filtered(lambda line: not carbon_math.is_zero(line.carbon))
            if not lines:
                raise UserError(self.env._("Nothing to allocate: compute the allocation first, with a pool "
                                           "and deliveries or production in the period."))
            if carbon_math.compare(allocation.pool_amount, allocation._pool_balance()):
                raise UserError(self.env._("The pool changed since the allocation was computed: compute it again."))
            accounts = self.env["carbon.account"]._for_company(allocation.company_id)
            if allocation.target == "production":
                vals = allocation._production_line_values(lines, accounts)
            else:
                vals = allocation._sales_line_values(lines, accounts)
            total = carbon_math.round_carbon(sum(lines.mapped("carbon")))
            vals.append({"name": allocation.name, "account_id": accounts["overhead"].id,
                         "debit": max(-total, 0.0), "credit": max(total, 0.0)})
            entry = self.env["carbon.move"].sudo()._create_posted([{
                "company_id": allocation.company_id.id,
                "kind": "allocation",
                "date": allocation.date_to,
                "ref": allocation.name,
                "line_ids": [fields.Command.create(v) for v in vals],
            }])
            allocation.write({"state": "posted", "carbon_move_id": entry.id})
        return True

    def _stale(self, product):
        return UserError(self.env._("The deliveries or production of %s changed since the allocation was "
                                    "computed: compute it again.", product.display_name))

    def _sales_line_values(self, lines, accounts):
        """Each product's share to the customers, one line per delivery in proportion to what the
        customer kept of it (net of the period's returns). A pool can be negative (standard carbon
        above the carbon acquired): then it flows back."""
        deliveries = self._deliveries()
        vals = []
        for line in lines:
            moves = deliveries.get(line.product_id, [])
            try:
                parts = carbon_math.split_over_outflows(line.carbon, [d[1] for d in moves], [d[2] for d in moves])
            except ValueError:
                raise self._stale(line.product_id) from None
            nets = carbon_math.net_quantities([d[1] for d in moves], [d[2] for d in moves])
            for (move, __, __), net, part in zip(moves, nets, parts, strict=True):
                if not carbon_math.is_zero(part):
                    vals.append({
                        "name": self.name, "account_id": accounts["transferred"].id, "product_id": move.product_id.id,
                        "quantity": net, "product_uom_id": move.product_id.uom_id.id, "stock_move_id": move.id,
                        "partner_id": move._carbon_partner().id, "debit": max(part, 0.0), "credit": max(-part, 0.0),
                    })
        return vals

    def _production_move_amounts(self, lines):
        """{finished-goods move: carbon}: each product's share over its moves of the period by quantity."""
        moves = self._target_moves()
        amounts = {}
        for line in lines:
            product_moves = moves.filtered(lambda m, line=line: m.product_id == line.product_id)
            if not product_moves:
                raise self._stale(line.product_id)
            parts = carbon_math.allocate(line.carbon, [self._product_qty(m) for m in product_moves])
            amounts.update(zip(product_moves, parts, strict=True))
        return amounts

    def _production_line_values(self, lines, accounts):
        return self._follow_goods(self._production_move_amounts(lines), accounts)

    def _follow_goods(self, amounts, accounts):
        """Line values that put carbon added to finished-goods moves ({move: carbon}) where the
        goods went.

        What of a move is still in stock goes into inventory on the move (as
        ``stock.move._carbon_split_added`` decides: FIFO what is left of it, AVCO the share of its
        quantity inventory still holds, standard costing nothing). Which units left is not
        recorded, so the rest of a product is spread over every outflow of the product since its
        first move here (moves out of stock, later by date then id than that move), in proportion
        to the quantity each kept out: what left less what came back of it (customer returns,
        unbuilds). Under FIFO what came back is held by the returns, which take its share and are
        followed like the moves here; under average costing it is in the inventory's quantity
        already, hence in what stays. Each outflow books its part where it went (``_outflow_destination``):
        customers and vendors Dr transferred with the partner and the move, scrap and inventory
        losses Dr written off; goods consumed by a production follow it into its products
        (``_follow_consumed``), which are followed the same way, product by product, until every
        part sits in inventory or has left the company. The lines of one account, move and
        partner are added up. Reads are batched a product group at a time.
        """
        booked = defaultdict(float)
        depth = 0
        while amounts:
            gone_by_product, since = defaultdict(float), {}
            groups = defaultdict(lambda: self.env["stock.move"])
            for move in amounts:
                groups[move.product_id] |= move
            for product, moves in groups.items():
                for move, kept, gone, __ in moves._carbon_split_added(None, [amounts[m] for m in moves]):
                    booked[(accounts["inventory"].id, move.id, False, product.id)] += kept
                    gone_by_product[product] += gone
                since[product] = min((m.date, m.id) for m in moves)
            outflows = self._outflows(since)
            consumed, came_back = defaultdict(float), defaultdict(float)
            for product, gone in gone_by_product.items():
                if carbon_math.is_zero(gone):
                    continue
                outs = outflows[product]
                try:
                    parts = carbon_math.split_over_outflows(gone, [o[1] for o in outs], [o[2] for o in outs])
                except ValueError:
                    raise UserError(self.env._(
                        "%(product)s has left stock, but no move out of stock since it was made carries it: "
                        "the allocation cannot follow it.", product=product.display_name)) from None
                for (out, __, __), part in zip(outs, parts, strict=True):
                    if carbon_math.is_zero(part):
                        continue
                    if out.location_dest_id.usage in ("internal", "transit"):
                        came_back[out] += part
                        continue
                    destination = self._outflow_destination(out, accounts)
                    if destination:
                        booked[(destination[0].id, out.id, destination[1].id, product.id)] += part
                    else:
                        consumed[out] += part
            amounts = defaultdict(float, came_back)
            for move, amount in self._follow_consumed(consumed).items():
                amounts[move] += amount
            depth += 1
            if amounts and depth >= FOLLOW_DEPTH:
                raise UserError(self.env._(
                    "%(product)s goes through more than %(depth)s productions, or is made from itself: the "
                    "allocation cannot follow it.",
                    product=self.env["stock.move"].union(*amounts)[0].product_id.display_name, depth=FOLLOW_DEPTH))
        vals = []
        for (account_id, move_id, partner_id, product_id), amount in booked.items():
            amount = carbon_math.round_carbon(amount)
            if not carbon_math.is_zero(amount):
                vals.append({"name": self.name, "account_id": account_id, "stock_move_id": move_id,
                             "partner_id": partner_id, "product_id": product_id, "quantity": 0.0,
                             "product_uom_id": self.env["product.product"].browse(product_id).uom_id.id,
                             "debit": max(amount, 0.0), "credit": max(-amount, 0.0)})
        return vals

    def _outflows(self, since):
        """{product: [(move out of stock, quantity, quantity returned of it)]} of the done moves of
        each product out of the company's stock after ``since[product]`` ((date, id)), and under
        FIFO the returns of these moves, two searches."""
        result = defaultdict(list)
        if not since:
            return result
        moves = self.env["stock.move"].search([
            ("company_id", "=", self.company_id.id), ("state", "=", "done"),
            ("product_id", "in", [p.id for p in since]), ("date", ">=", min(s[0] for s in since.values())),
            ("location_id.usage", "in", ("internal", "transit")),
            ("location_dest_id.usage", "not in", ("internal", "transit")),
        ], order="date, id")
        moves = moves.filtered(lambda m: (m.date, m.id) > since[m.product_id])
        returned, backs = self._returned_qtys(moves)
        for move in moves:
            result[move.product_id].append((move, self._product_qty(move), returned[move]))
        # FIFO holds goods that came back on their returns (receipts of their own), not on the
        # moves they came from: the returns take the share of what came back, and are followed
        for back in backs:
            if back.location_dest_id.usage in ("internal", "transit") and back._carbon_is_fifo():
                result[back.product_id].append((back, self._product_qty(back), 0.0))
        return result

    def _outflow_destination(self, move, accounts):
        """(account, partner) where carbon leaving stock with ``move`` goes, or None when it
        follows the goods further (see ``_follow_consumed``)."""
        if move.location_dest_id.usage in ("customer", "supplier"):
            return accounts["transferred"], move._carbon_partner()
        return accounts["writeoff"], self.env["res.partner"]

    def _follow_consumed(self, consumed):
        """{finished-goods move: carbon} that goods consumed ({consuming move: carbon}) went into."""
        return {}

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda a: a.state == "posted"):
            raise UserError(self.env._("A posted allocation cannot be deleted: reverse its carbon entry."))


class CarbonAllocationLine(models.Model):
    _name = "carbon.allocation.line"
    _description = "Carbon Pool Allocation per Product"
    _order = "carbon desc, id"

    allocation_id = fields.Many2one("carbon.allocation", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    quantity = fields.Float(digits="Product Unit", readonly=True, aggregator=None)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    weight = fields.Float(digits="Stock Weight", readonly=True)
    revenue = fields.Float(readonly=True, help="Untaxed revenue invoiced in the period, company currency.")
    manual_share = fields.Float(help="Weight of this product under the manual basis.")
    share = fields.Float(string="Share (%)", digits=(5, 2), readonly=True)
    basis_note = fields.Char(string="Basis", readonly=True,
                             help="How the basis was measured, when it is not what its name says.")
    carbon = fields.Float(string="Allocated (kgCO2e)", digits="Carbon", readonly=True)
