from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools import carbon_math

BASES = [
    ("quantity", "Quantity"),
    ("weight", "Weight"),
    ("revenue", "Revenue invoiced"),
    ("manual", "Manual shares"),
]
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
                              "Production: it goes into the inventory of the period's finished goods, and "
                              "leaves with them (what has left already is transferred).")
    basis = fields.Selection(BASES, required=True, default="quantity")
    state = fields.Selection([("draft", "Draft"), ("posted", "Posted")], default="draft", required=True, readonly=True)
    pool_amount = fields.Float(string="Pool to Allocate (kgCO2e)", digits="Carbon", readonly=True,
                               help="The unallocated balance of the overhead pool at the period's end.")
    line_ids = fields.One2many("carbon.allocation.line", "allocation_id", string="Products")
    carbon_move_id = fields.Many2one("carbon.move", string="Carbon Entry", readonly=True, copy=False, check_company=True)

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
            bases = allocation._bases()
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
        field = {"quantity": "quantity", "weight": "weight", "revenue": "revenue", "manual": "manual_share"}[self.basis]
        weights = [max(line[field], 0.0) for line in lines]
        if not lines or not sum(weights) or carbon_math.is_zero(self.pool_amount):
            lines.write({"carbon": 0.0, "share": 0.0})
            return
        parts = carbon_math.allocate(self.pool_amount, weights)
        total_weight = sum(weights)
        for line, part, weight in zip(lines, parts, weights):
            line.write({"carbon": part, "share": 100.0 * weight / total_weight})

    def _pool_balance(self):
        groups = self.env["carbon.move.line"]._read_group([
            ("company_id", "=", self.company_id.id), ("account_type", "=", "overhead"),
            ("state", "=", "posted"), ("date", "<=", self.date_to),
        ], [], ["balance:sum"])
        return carbon_math.round_carbon(groups[0][0] or 0.0)

    def _target_moves(self):
        """The period's deliveries to customers, or its finished goods (done moves from production
        into stock, with carbon)."""
        domain = Domain([
            ("company_id", "=", self.company_id.id), ("state", "=", "done"), ("date", ">=", self.date_from),
            ("date", "<", self.date_to + timedelta(days=1)),
        ])
        if self.target == "production":
            domain &= Domain([("location_id.usage", "=", "production"), ("location_dest_id.usage", "=", "internal"),
                              ("carbon_state", "!=", "none")])
        else:
            domain &= Domain([("is_out", "=", True), ("location_dest_id.usage", "=", "customer")])
        return self.env["stock.move"].search(domain)

    def _bases(self):
        """{product: {quantity, weight, revenue}} of the period's target moves."""
        moves = self._target_moves()
        bases = defaultdict(lambda: {"quantity": 0.0, "weight": 0.0, "revenue": 0.0})
        for move in moves:
            qty = move.product_uom._compute_quantity(move.quantity, move.product_id.uom_id, round=False)
            bases[move.product_id]["quantity"] += qty
            bases[move.product_id]["weight"] += qty * move.product_id.weight
        if self.target != "sales":
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
            lines = allocation.line_ids.filtered(lambda l: not carbon_math.is_zero(l.carbon))
            if not lines:
                raise UserError(self.env._("Nothing to allocate: compute the allocation first, with a pool "
                                           "and deliveries or production in the period."))
            if carbon_math.compare(allocation.pool_amount, allocation._pool_balance()):
                raise UserError(self.env._("The pool changed since the allocation was computed: compute it again."))
            accounts = self.env["carbon.account"]._for_company(allocation.company_id)
            if allocation.target == "production":
                vals = allocation._production_line_values(lines, accounts)
            else:
                # a pool can be negative (standard carbon above the carbon acquired): then it flows back
                vals = [{"name": allocation.name, "account_id": accounts["transferred"].id,
                         "product_id": line.product_id.id, "quantity": line.quantity,
                         "product_uom_id": line.product_id.uom_id.id,
                         "debit": max(line.carbon, 0.0), "credit": max(-line.carbon, 0.0)} for line in lines]
            total = carbon_math.round_carbon(sum(lines.mapped("carbon")))
            vals.append({"name": allocation.name, "account_id": accounts["overhead"].id,
                         "debit": max(-total, 0.0), "credit": max(total, 0.0)})
            entry = self.env["carbon.move"].sudo().create({
                "company_id": allocation.company_id.id, "kind": "allocation", "date": allocation.date_to, "ref": allocation.name,
                "line_ids": [fields.Command.create(v) for v in vals],
            })._post()
            allocation.write({"state": "posted", "carbon_move_id": entry.id})
        return True

    def _production_line_values(self, lines, accounts):
        """Each product's share into the inventory of the period's finished goods, onto their moves;
        the part of them that has left stock already goes to the customers it left with."""
        moves = self._target_moves()
        vals = []
        for line in lines:
            product_moves = moves.filtered(lambda m: m.product_id == line.product_id)
            if not product_moves:
                raise UserError(self.env._("%s was not made in the period any more: compute the allocation again.",
                                           line.product_id.display_name))
            common = {"name": self.name, "product_id": line.product_id.id, "quantity": 0.0,
                      "product_uom_id": line.product_id.uom_id.id}
            for move, kept, gone, __ in product_moves._carbon_split_added(line.carbon):
                for account, amount in ((accounts["inventory"], kept), (accounts["transferred"], gone)):
                    if not carbon_math.is_zero(amount):
                        vals.append(dict(common, account_id=account.id, stock_move_id=move.id,
                                         debit=max(amount, 0.0), credit=max(-amount, 0.0)))
        return vals

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
    quantity = fields.Float(digits="Product Unit", readonly=True)
    weight = fields.Float(digits="Stock Weight", readonly=True)
    revenue = fields.Float(readonly=True, help="Untaxed revenue invoiced in the period, company currency.")
    manual_share = fields.Float(help="Weight of this product under the manual basis.")
    share = fields.Float(string="Share (%)", digits=(5, 2), readonly=True)
    carbon = fields.Float(string="Allocated (kgCO2e)", digits="Carbon", readonly=True)
