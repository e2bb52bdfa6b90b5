from contextlib import suppress

from odoo import api, fields, models

from ..tools import carbon_math
from .carbon_emission_factor import SCOPES
from .product_product import CarbonNotApplicable
from .purchase_order_line import CARBON_SOURCES


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    carbon_source = fields.Selection(
        CARBON_SOURCES + [("account", "Expense account factor")], copy=False, readonly=True,
        help="Which rule gave the carbon of this bill line (non-stock expenses only).",
    )
    carbon_factor_id = fields.Many2one("carbon.emission.factor", string="Emission Factor", copy=False,
                                       readonly=True, ondelete="restrict")
    carbon_quantity = fields.Float(string="Carbon Basis Quantity", digits="Carbon Factor", copy=False, readonly=True,
                                   aggregator=None)
    carbon_quantity_uom_id = fields.Many2one("uom.uom", string="Carbon Basis Unit", copy=False, readonly=True)
    carbon_rate = fields.Float(digits="Carbon Factor", copy=False, readonly=True, aggregator=None)
    carbon_amount = fields.Float(string="Carbon (kgCO2e)", digits="Carbon", copy=False, readonly=True)
    carbon_scope = fields.Selection(SCOPES, copy=False, readonly=True)
    carbon_note = fields.Char(copy=False, readonly=True)
    carbon_declared_quantity = fields.Float(
        string="Declared Carbon Quantity", digits="Carbon Factor", copy=False, aggregator=None,
        compute="_compute_carbon_declared", store=True, readonly=False,
        help="Stock bought on a purchase order: the quantity, in the order's carbon basis unit, the vendor's "
        "bill declares carbon for (the order's by default). Posting a bill that differs from the order adjusts "
        "the carbon of the receipts.",
    )
    carbon_declared_uom_id = fields.Many2one(related="purchase_line_id.carbon_quantity_uom_id",
                                             string="Declared Carbon Unit")
    carbon_declared_rate = fields.Float(
        string="Declared Carbon Rate", digits="Carbon Factor", copy=False, aggregator=None,
        compute="_compute_carbon_declared", store=True, readonly=False,
        help="Stock bought on a purchase order: kgCO2e per declared unit on the vendor's bill (the order's by "
        "default).",
    )
    carbon_adjustment = fields.Float(
        string="Carbon Adjustment (kgCO2e)", digits="Carbon", copy=False,
        compute="_compute_carbon_adjustment", store=True,
        help="What the bill declares less what the order gives for the same quantity, booked onto the "
        "receipts when the bill is posted.",
    )

    @api.depends("purchase_line_id", "quantity", "product_uom_id", "display_type", "price_subtotal", "currency_id")
    def _compute_carbon_declared(self):
        for line in self:
            if not line._carbon_is_receipt_line():
                line.carbon_declared_quantity, line.carbon_declared_rate = 0.0, 0.0
                continue
            quantity, rate = line._carbon_order_declaration()
            order_line = line.purchase_line_id
            if order_line.carbon_factor_id.basis == "spend":  # the bill restates the order's amount by its own
                with suppress(CarbonNotApplicable):  # no amount or rate to restate it by: the order's amount stands
                    quantity = line.product_id._carbon_spend_basis(
                        line.price_subtotal, line.currency_id, order_line.carbon_factor_id, line.company_id,
                        line.move_id.invoice_date or line.move_id.date or fields.Date.context_today(line))
            line.carbon_declared_quantity, line.carbon_declared_rate = quantity, rate

    @api.depends("carbon_declared_quantity", "carbon_declared_rate", "quantity", "product_uom_id",
                 "purchase_line_id.carbon_rate",
                 "purchase_line_id.carbon_quantity_uom_id")
    def _compute_carbon_adjustment(self):
        for line in self:
            if not line._carbon_is_receipt_line():
                line.carbon_adjustment = 0.0
                continue
            quantity, rate = line._carbon_order_declaration()
            line.carbon_adjustment = carbon_math.round_carbon(
                carbon_math.round_carbon(line.carbon_declared_quantity * line.carbon_declared_rate)
                - carbon_math.round_carbon(quantity * rate))

    def _carbon_is_receipt_line(self):
        """A bill line for stock bought on an order whose carbon is known per physical quantity:
        its carbon came in with the receipts, the bill can only adjust it."""
        self.ensure_one()
        return (self.display_type == "product" and self.product_id.is_storable
                and self.purchase_line_id.carbon_source in ("vendor", "product", "category", "spend"))

    def _carbon_order_declaration(self):
        """(quantity in the order's carbon basis unit, rate): what the order gives for this line."""
        self.ensure_one()
        order_line = self.purchase_line_id
        if order_line.carbon_quantity_uom_id:
            with suppress(CarbonNotApplicable):
                return self.product_id._carbon_convert(self.quantity, self.product_uom_id,
                                                       order_line.carbon_quantity_uom_id), order_line.carbon_rate
        # a spend-based basis (an amount) or a basis of the order's own: the order's, pro rata
        quantity = (
            order_line.carbon_quantity * self.quantity / order_line.product_qty if order_line.product_qty else 0.0
        )
        return quantity, order_line.carbon_rate

    def _carbon_is_expense(self):
        """A bill line whose carbon is booked from the bill: not stock, whose carbon comes with receipts."""
        self.ensure_one()
        return self.display_type == "product" and not self.product_id.is_storable

    def _carbon_resolve(self, find_version):
        """The purchase line's rule, else the product's, its category's, the expense account's or
        the company's spend-based factor."""
        self.ensure_one()
        company, date = self.company_id, self.move_id.invoice_date or self.move_id.date
        purchase_line = self.purchase_line_id
        product = self.product_id
        if purchase_line.carbon_source == "vendor":
            with suppress(CarbonNotApplicable):  # the factors below may still apply
                qty = product._carbon_convert(self.quantity, self.product_uom_id, purchase_line.carbon_quantity_uom_id)
                return {"source": "vendor", "factor": self.env["carbon.emission.factor"], "quantity": qty,
                        "uom": purchase_line.carbon_quantity_uom_id, "rate": purchase_line.carbon_rate, "scope": "3",
                        "note": self.env._("Vendor declaration of %s", purchase_line.order_id.name)}
        rules = (
            ([(purchase_line.carbon_source, purchase_line.carbon_factor_id)] if purchase_line.carbon_factor_id else [])
            + (product._carbon_factor_rules(company) if product else [])
            + [
                ("account", self.account_id.with_company(company).carbon_factor_id),
                ("spend", company.carbon_spend_factor_id),
            ]
        )
        # a negative line (a discount, goods sent back) takes carbon back: the factor applies to
        # its size, the sign of its basis (the quantity, or the amount when spend-based) follows
        result = product._carbon_from_factors(
            rules, abs(self.quantity), self.product_uom_id, company, date, find_version,
            amount=abs(self.price_subtotal), currency=self.currency_id,
        )
        basis = self.price_subtotal if result["factor"].basis == "spend" else self.quantity
        if basis < 0:
            result["quantity"] = -result["quantity"]
        result["scope"] = result["factor"].scope or False
        if result["source"] == "unassessed" and not result["note"]:
            result["note"] = self.env._("No emission factor: none on the order line, the product, its category or "
                                        "the expense account, and no spend-based factor for the company.")
        return result
