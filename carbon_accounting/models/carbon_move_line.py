from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import carbon_math
from .carbon_emission_factor import SCOPE3_CATEGORIES, SCOPES

#: The account the carbon of energy, fuel and services is credited to, by the scope of its factor.
SCOPE_ACCOUNT = {"1": "direct", "2": "energy", "3": "acquired"}
#: Accounts carbon comes from (emissions, carbon acquired): their credits read as positive figures.
SOURCE_ACCOUNT_TYPES = ("direct", "energy", "acquired")


def pool_pair(common, pool, source, amount, quantity=0.0):
    """Line values of ``amount`` kgCO2e coming into the ``pool`` account from ``source`` (Dr pool /
    Cr source), or going back when ``amount`` is negative (the sides swapped, never a negative
    debit); ``quantity`` goes with the carbon, the debit line first."""
    amount = carbon_math.round_carbon(amount)
    pool_line = dict(common, account_id=pool.id, debit=max(amount, 0.0), credit=max(-amount, 0.0), quantity=quantity)
    source_line = dict(common, account_id=source.id, debit=max(-amount, 0.0), credit=max(amount, 0.0),
                       quantity=-quantity)
    return [pool_line, source_line] if amount >= 0 else [source_line, pool_line]


class CarbonMoveLine(models.Model):
    _name = "carbon.move.line"
    _description = "Carbon Entry Line"
    _order = "date desc, move_id desc, id"

    move_id = fields.Many2one("carbon.move", string="Entry", required=True, ondelete="cascade", index=True)
    name = fields.Char(string="Label")
    account_id = fields.Many2one("carbon.account", required=True, ondelete="restrict", index=True)
    account_type = fields.Selection(related="account_id.account_type", store=True, index=True)
    debit = fields.Float(string="Debit (kgCO2e)", digits="Carbon", default=0.0)
    credit = fields.Float(string="Credit (kgCO2e)", digits="Carbon", default=0.0)
    balance = fields.Float(string="Balance (kgCO2e)", digits="Carbon", compute="_compute_balance", store=True)
    product_id = fields.Many2one("product.product", index="btree_not_null", ondelete="restrict")
    carbon_amount = fields.Float(
        string="Carbon (kgCO2e)", digits="Carbon", compute="_compute_carbon_amount", store=True,
        help="The balance read in the account's direction: emissions and carbon acquired (credits on the "
        "direct, energy and acquired accounts) count positive, like carbon held in inventory or the pool.",
    )
    quantity = fields.Float(
        digits="Product Unit", aggregator=None,
        help="Quantity in the line's unit (Unit), or the amount spent in its currency for a spend-based "
        "factor: positive on the debit side (into the account), negative on the credit side. Never added "
        "across lines: their units differ.",
    )
    product_uom_id = fields.Many2one("uom.uom", string="Unit of Measure", ondelete="restrict")
    currency_id = fields.Many2one(
        "res.currency", string="Spend Currency", ondelete="restrict",
        help="A spend-based line: its quantity is an amount in this currency.",
    )
    quantity_unit = fields.Char(string="Unit", compute="_compute_quantity_unit",
                                help="The unit of measure of the quantity, or its currency when spend-based.")
    unit_carbon = fields.Float(string="kgCO2e per Unit", digits="Carbon Factor", aggregator=None,
                               help="Carbon per unit used for this line, kept as posted.")
    partner_id = fields.Many2one("res.partner", index="btree_not_null", ondelete="restrict")
    factor_id = fields.Many2one("carbon.emission.factor", string="Emission Factor", ondelete="restrict",
                                help="The factor version the figure comes from, if any.")
    scope = fields.Selection(SCOPES)
    scope3_category = fields.Selection(SCOPE3_CATEGORIES, string="Scope 3 Category")
    stock_move_id = fields.Many2one("stock.move", index="btree_not_null", ondelete="restrict")
    purchase_line_id = fields.Many2one(
        "purchase.order.line", string="Purchase Line", index="btree_not_null", ondelete="restrict",
        help="Energy, fuel and services bought on an order: the order line whose receipts and bills booked this carbon.",
    )
    unassessed = fields.Boolean(
        help="The carbon of this quantity is unknown (no factor applied): it counts for zero here.",
    )
    date = fields.Date(related="move_id.date", store=True, index=True)
    state = fields.Selection(related="move_id.state", store=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)

    _debit_credit = models.Constraint(
        "CHECK(debit >= 0 AND credit >= 0 AND NOT (debit > 0 AND credit > 0))",
        "A carbon line is a debit or a credit, never negative and never both.",
    )

    @api.depends("debit", "credit")
    def _compute_balance(self):
        for line in self:
            line.balance = line.debit - line.credit

    @api.depends("debit", "credit", "account_type")
    def _compute_carbon_amount(self):
        for line in self:
            sign = -1 if line.account_type in SOURCE_ACCOUNT_TYPES else 1
            line.carbon_amount = sign * (line.debit - line.credit)

    @api.depends("product_uom_id", "currency_id")
    def _compute_quantity_unit(self):
        for line in self:
            line.quantity_unit = line.currency_id.name or line.product_uom_id.name or False

    @api.model_create_multi
    def create(self, vals_list):
        moves = self.env["carbon.move"].browse({v.get("move_id") for v in vals_list if v.get("move_id")})
        if moves.filtered(lambda m: m.state == "posted"):
            raise UserError(self.env._("Lines cannot be added to a posted carbon entry."))
        lines = super().create(vals_list)
        lines._check_account_company()
        lines._check_quantity_unit()
        return lines

    def _check_quantity_unit(self):
        """A quantity is never a bare number: it has its unit of measure, or its currency when it is
        an amount spent (a reversal mirrors its entry, even one posted before units were required)."""
        if any(line.quantity and not (line.product_uom_id or line.currency_id or line.move_id.reversed_entry_id)
               for line in self):
            raise UserError(self.env._("A carbon line's quantity needs its unit of measure, or its currency when "
                                       "it is an amount spent."))

    def _check_account_company(self):
        """An entry's lines use accounts of the entry's company (checked once per batch)."""
        if any(line.account_id.company_id != line.move_id.company_id for line in self):
            raise UserError(self.env._("A carbon entry can only use the E-liability accounts of its company."))

    def write(self, vals):
        if self.filtered(lambda l: l.move_id.state == "posted"):
            raise UserError(self.env._("The lines of a posted carbon entry cannot be changed: reverse it instead."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if self.filtered(lambda l: l.move_id.state == "posted"):
            raise UserError(self.env._("The lines of a posted carbon entry cannot be deleted: reverse it instead."))

    def _reversed_values(self):
        return [{
            "name": line.name, "account_id": line.account_id.id, "debit": line.credit, "credit": line.debit,
            "product_id": line.product_id.id, "quantity": -line.quantity, "product_uom_id": line.product_uom_id.id,
            "currency_id": line.currency_id.id,
            "unit_carbon": line.unit_carbon, "partner_id": line.partner_id.id, "factor_id": line.factor_id.id,
            "scope": line.scope, "scope3_category": line.scope3_category, "stock_move_id": line.stock_move_id.id,
            "purchase_line_id": line.purchase_line_id.id, "unassessed": line.unassessed,
        } for line in self]
