from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain

from ..tools import carbon_math


class CarbonConservationWizard(models.TransientModel):
    """Checks, at a date and per company, that carbon is conserved:

    incurred (direct + energy) + acquired - transferred - written off
        = carbon in inventory and in production + carbon left in the unallocated pool,

    and, per product, that the ledger's inventory equals the carbon of its stock moves. Removals
    (E-assets) and retired credits are not in it: their registers' totals are shown apart, in tCO2e,
    never netted.
    """

    _name = "carbon.conservation.wizard"
    _description = "Carbon Conservation Check"

    date = fields.Date(required=True, default=fields.Date.context_today, string="At Date")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    incurred = fields.Float(string="Incurred (Scope 1 + 2)", digits="Carbon", readonly=True)
    acquired = fields.Float(digits="Carbon", readonly=True)
    transferred = fields.Float(string="Transferred to Customers", digits="Carbon", readonly=True)
    written_off = fields.Float(digits="Carbon", readonly=True)
    inventory = fields.Float(string="Carbon in Inventory", digits="Carbon", readonly=True)
    work_in_progress = fields.Float(string="Carbon in Production", digits="Carbon", readonly=True)
    unallocated_pool = fields.Float(digits="Carbon", readonly=True)
    legacy_removals_offsets = fields.Float(
        string="On the Old Removal and Offset Accounts", digits="Carbon", readonly=True,
        help="What entries posted before 19.0.2 left on the removal (700) and offset (800) accounts: it "
        "reduced E-liabilities, so it shows as a difference until those entries are reversed.")
    removals_verified_held = fields.Float(string="Verified Removals Held (tCO2e)", digits="Carbon", readonly=True)
    removals_verified_net = fields.Float(string="Verified Removals Held net of Buffer (tCO2e)", digits="Carbon",
                                         readonly=True)
    removals_unverified_held = fields.Float(string="Unverified Removals Held (tCO2e)", digits="Carbon", readonly=True,
                                            help="Counted nowhere as verified.")
    credits_retired = fields.Float(string="Credits Retired (tCO2e)", digits="Carbon", readonly=True,
                                   help="Avoidance and reduction credits retired: they never reduce E-liabilities.")
    credits_held = fields.Float(string="Credits Held (tCO2e)", digits="Carbon", readonly=True)
    difference = fields.Float(digits="Carbon", readonly=True,
                              help="Sources less uses less what is held: zero when carbon is conserved.")
    is_balanced = fields.Boolean(readonly=True)
    line_ids = fields.One2many("carbon.conservation.line", "wizard_id", readonly=True)
    product_mismatch_count = fields.Integer(readonly=True)
    unassessed_product_count = fields.Integer(
        string="Products of Unknown Carbon", readonly=True,
        help="Products part of whose stock came in without a factor: the ledger holds their quantity with no "
        "carbon, so a balanced check says nothing about it.")

    def action_check(self):
        self.ensure_one()
        totals = self._account_totals()
        self.line_ids.unlink()
        lines = self._product_lines()
        self.write({
            "incurred": -(totals["direct"] + totals["energy"]),
            "acquired": -totals["acquired"],
            "transferred": totals["transferred"],
            "written_off": totals["writeoff"],
            "legacy_removals_offsets": totals["removal"] + totals["offset"],
            "inventory": totals["inventory"],
            "work_in_progress": totals["wip"],
            "unallocated_pool": totals["overhead"],
            "line_ids": [fields.Command.create(vals) for vals in lines],
            **self._register_totals(),
        })
        sources = self.incurred + self.acquired
        uses = self.transferred + self.written_off
        self.difference = carbon_math.round_carbon(
            sources - uses - self.inventory - self.work_in_progress - self.unallocated_pool)
        self.is_balanced = carbon_math.is_zero(self.difference)
        self.product_mismatch_count = len(self.line_ids.filtered(lambda line: not line.is_balanced))
        self.unassessed_product_count = len(self.line_ids.filtered(
            lambda line: carbon_math.compare(line.unassessed_qty, 0.0, 6) > 0))
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "name": self.env._("Conservation Check"), "view_mode": "form", "target": "new"}

    def _ledger_domain(self):
        return Domain([("company_id", "=", self.company_id.id), ("state", "=", "posted"), ("date", "<=", self.date)])

    def _account_totals(self):
        groups = self.env["carbon.move.line"]._read_group(self._ledger_domain(), ["account_type"], ["balance:sum"])
        totals = defaultdict(float)
        for account_type, balance in groups:
            totals[account_type] += balance
        return totals

    def _register_totals(self):
        """tCO2e of the registers at the date: removals held (verified, verified net of the buffer,
        unverified) and credits retired and held."""
        Movement = self.env["carbon.register.movement"]
        out = defaultdict(lambda: defaultdict(float))
        for removal, credit, movement_type, tonnes in Movement._read_group(
                [("company_id", "=", self.company_id.id), ("date", "<=", self.date)],
                ["removal_id", "credit_id", "movement_type"], ["tonnes:sum"]):
            out[removal or credit][movement_type] += tonnes
        totals = defaultdict(float)
        removals = self.env["carbon.removal"].search(
            [("company_id", "=", self.company_id.id), ("removal_date", "<=", self.date)])
        for removal in removals:
            moved = out[removal]
            held = carbon_math.register_held(
                removal.tonnes, moved["retire"], moved["sell"], moved["reverse"], moved["transfer"])
            if removal.verification_state == "verified":
                totals["removals_verified_held"] += held
                totals["removals_verified_net"] += carbon_math.net_of_buffer(held, removal.buffer_percent)
            else:
                totals["removals_unverified_held"] += held
        credits = self.env["carbon.credit"].search([("company_id", "=", self.company_id.id), ("date", "<=", self.date)])
        for credit in credits:
            moved = out[credit]
            totals["credits_retired"] += moved["retire"]
            totals["credits_held"] += carbon_math.register_held(
                credit.tonnes, moved["retire"], moved["sell"], moved["reverse"], moved["transfer"])
        return {field: carbon_math.round_carbon(totals[field]) for field in (
            "removals_verified_held", "removals_verified_net", "removals_unverified_held",
            "credits_retired", "credits_held")}

    def _product_lines(self):
        """Per product: the ledger's inventory against the stock moves it records — their carbon,
        the quantity they put in and took out of stock, and FIFO's remaining carbon and quantity on
        receipts. Moves count by the date of their carbon entry, so that an inventory accounted
        on another day than it was done compares like with like."""
        ledger_domain = self._ledger_domain() & Domain("account_type", "=", "inventory")
        ledger = defaultdict(lambda: (0.0, 0.0, 0.0))
        for product, unassessed, balance, qty in self.env["carbon.move.line"]._read_group(
                ledger_domain & Domain("product_id", "!=", False), ["product_id", "unassessed"],
                ["balance:sum", "quantity:sum"]):
            total_balance, total_qty, unknown_qty = ledger[product]
            ledger[product] = (total_balance + balance, total_qty + qty, unknown_qty + (qty if unassessed else 0.0))
        totals = defaultdict(lambda: {"carbon": 0.0, "qty": 0.0, "remaining": 0.0, "remaining_qty": 0.0})
        for product, uom, is_in, carbon, qty, remaining, remaining_qty in self.env["stock.move"]._read_group([
            ("company_id", "=", self.company_id.id), ("state", "=", "done"), ("carbon_state", "!=", "none"),
            ("is_dropship", "=", False), ("carbon_move_line_ids", "any", ledger_domain),
        ], ["product_id", "product_uom", "is_in"],
                ["carbon_amount:sum", "quantity:sum", "carbon_remaining:sum", "carbon_remaining_qty:sum"]):
            sign = 1 if is_in else -1
            total = totals[product]
            total["carbon"] += sign * carbon
            total["qty"] += sign * uom._compute_quantity(qty, product.uom_id, round=False)
            total["remaining"] += remaining
            total["remaining_qty"] += remaining_qty
        lines = []
        for product in set(ledger) | set(totals):
            balance, qty, unknown_qty = ledger[product]
            total = totals[product]
            fifo = product.with_company(self.company_id).cost_method == "fifo"
            lines.append({
                "product_id": product.id, "ledger_qty": qty, "ledger_carbon": balance, "moves_carbon": total["carbon"],
                "stock_qty": total["qty"], "is_fifo": fifo, "unassessed_qty": max(unknown_qty, 0.0),
                "fifo_remaining": total["remaining"] if fifo else 0.0,
                "fifo_remaining_qty": total["remaining_qty"] if fifo else 0.0,
            })
        return lines


class CarbonConservationLine(models.TransientModel):
    _name = "carbon.conservation.line"
    _description = "Carbon Conservation Check per Product"
    _order = "is_balanced, product_id"

    wizard_id = fields.Many2one("carbon.conservation.wizard", required=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", readonly=True)
    ledger_qty = fields.Float(string="Ledger Quantity", digits="Product Unit", readonly=True)
    ledger_carbon = fields.Float(string="Ledger Inventory (kgCO2e)", digits="Carbon", readonly=True)
    moves_carbon = fields.Float(string="Stock Moves (kgCO2e)", digits="Carbon", readonly=True,
                                help="Carbon of valued incoming moves less outgoing ones.")
    stock_qty = fields.Float(string="Stock Quantity", digits="Product Unit", readonly=True,
                             help="Quantity the same moves put into stock less what they took out, in the product's "
                             "unit: what the ledger's quantity must be.")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    unassessed_qty = fields.Float(
        string="Quantity of Unknown Carbon", digits="Product Unit", readonly=True,
        help="Quantity the ledger's inventory holds on lines of unknown carbon (no factor applied), in the "
        "product's unit: counted for no carbon.")
    is_fifo = fields.Boolean(readonly=True)
    fifo_remaining = fields.Float(string="FIFO Remaining (kgCO2e)", digits="Carbon", readonly=True)
    fifo_remaining_qty = fields.Float(string="FIFO Remaining Quantity", digits="Product Unit", readonly=True)
    is_balanced = fields.Boolean(compute="_compute_is_balanced", store=True)

    @api.depends("ledger_carbon", "moves_carbon", "fifo_remaining", "is_fifo", "ledger_qty", "stock_qty",
                 "fifo_remaining_qty")
    def _compute_is_balanced(self):
        for line in self:
            fifo_ok = not line.is_fifo or not (
                carbon_math.compare(line.ledger_carbon, line.fifo_remaining)
                or carbon_math.compare(line.fifo_remaining_qty, max(line.stock_qty, 0.0), 6))
            line.is_balanced = fifo_ok and not (
                carbon_math.compare(line.ledger_carbon, line.moves_carbon)
                or carbon_math.compare(line.ledger_qty, line.stock_qty, 6)
                # carbon left in inventory with nothing in stock is carbon no product carries
                or (carbon_math.compare(line.stock_qty, 0.0, 6) <= 0 and not carbon_math.is_zero(line.ledger_carbon)))
