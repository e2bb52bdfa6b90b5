from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import carbon_math
from .carbon_move_line import SCOPE_ACCOUNT, pool_pair, with_memo
from .product_product import CarbonNotApplicable

CARBON_SOURCES = [
    ("vendor", "Vendor declaration"),
    ("product", "Product factor"),
    ("category", "Category factor"),
    ("spend", "Spend-based factor"),
    ("unassessed", "Unassessed"),
]
CARBON_FIELDS = (
    "carbon_source", "carbon_factor_id", "carbon_supplierinfo_id", "carbon_quantity",
    "carbon_quantity_uom_id", "carbon_rate", "carbon_intensity", "carbon_amount", "carbon_note",
)
CONFIRMED_STATES = ("purchase", "done")


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    carbon_source = fields.Selection(
        CARBON_SOURCES,
        compute="_compute_carbon", store=True, copy=False, index=True,
        help="Which rule gave the line's carbon: the vendor's declared intensity, the product's factor, "
        "its category's, the company's spend-based factor; or none (unassessed).",
    )
    carbon_factor_id = fields.Many2one(
        "carbon.emission.factor", string="Emission Factor",
        compute="_compute_carbon", store=True, copy=False, ondelete="restrict", index="btree_not_null",
        help="The factor version used. It can no longer change once the order is confirmed.",
    )
    carbon_supplierinfo_id = fields.Many2one(
        "product.supplierinfo", string="Vendor Declaration",
        compute="_compute_carbon", store=True, copy=False, ondelete="set null",
    )
    carbon_quantity = fields.Float(
        string="Carbon Basis Quantity", digits="Carbon Factor", aggregator=None,
        compute="_compute_carbon", store=True, copy=False,
        help="The quantity the factor was applied to, in the factor's unit (or the vendor's unit), "
        "or the amount in the factor's currency for spend-based factors.",
    )
    carbon_quantity_uom_id = fields.Many2one(
        "uom.uom", string="Carbon Basis Unit",
        compute="_compute_carbon", store=True, copy=False, ondelete="restrict",
        help="Unit of the basis quantity (empty for a spend-based factor: the factor's currency).",
    )
    carbon_quantity_unit = fields.Char(
        string="Basis Unit", compute="_compute_carbon_quantity_unit",
        help="The unit of the basis quantity, or the factor's currency when spend-based.",
    )
    carbon_intensity_uom_id = fields.Many2one(related="product_id.uom_id", string="Per",
                                              help="The unit the kgCO2e per unit is per: the product's.")
    carbon_rate = fields.Float(
        digits="Carbon Factor", aggregator=None,
        compute="_compute_carbon", store=True, copy=False,
        help="kgCO2e per unit of the basis quantity: the factor's value or the vendor's declared "
        "intensity. Carbon = basis quantity x rate.",
    )
    carbon_intensity = fields.Float(
        string="kgCO2e per Unit", digits="Carbon Factor", aggregator="avg",
        compute="_compute_carbon", store=True, copy=False,
        help="kgCO2e per unit of the product's unit of measure: comparable between vendors and orders. A group "
        "of lines of one product reads its carbon over its quantity (never the mean of its lines); a group of "
        "different products has none. Unassessed lines count in neither.",
    )
    carbon_amount = fields.Float(
        string="Carbon (kgCO2e)", digits="Carbon",
        compute="_compute_carbon", store=True, copy=False,
    )
    carbon_note = fields.Char(
        compute="_compute_carbon", store=True, copy=False,
        help="Why the line is unassessed, or which rules were passed over and why.",
    )

    @api.depends("carbon_quantity_uom_id", "carbon_factor_id.basis", "carbon_factor_id.currency_id")
    def _compute_carbon_quantity_unit(self):
        for line in self:
            spend = line.carbon_factor_id.basis == "spend"
            line.carbon_quantity_unit = (line.carbon_factor_id.currency_id.name if spend
                                         else line.carbon_quantity_uom_id.name) or False

    def _read_group_select(self, aggregate_spec, query):
        """Groups never show unknown carbon as a number: the carbon of a group with no assessed line
        is empty, not 0; a group's kgCO2e per unit is the ratio of its assessed carbon to its assessed
        quantity in the product's unit, for a group of one product (units of different products
        never add up), never the mean of its lines' intensities."""
        if aggregate_spec not in ("carbon_intensity:avg", "carbon_amount:sum"):
            return super()._read_group_select(aggregate_spec, query)
        assessed = SQL("%s NOT IN ('unassessed')", self._field_to_sql(self._table, "carbon_source", query))
        carbon = self._field_to_sql(self._table, "carbon_amount", query)
        if aggregate_spec == "carbon_amount:sum":
            return SQL("SUM(%s) FILTER (WHERE %s)", carbon, assessed)
        return SQL(
            "CASE WHEN COUNT(DISTINCT %(product)s) FILTER (WHERE %(assessed)s) = 1"
            " THEN SUM(%(carbon)s) FILTER (WHERE %(assessed)s)"
            " / NULLIF(SUM(%(qty)s) FILTER (WHERE %(assessed)s), 0.0) END",
            product=self._field_to_sql(self._table, "product_id", query),
            carbon=carbon,
            qty=self._field_to_sql(self._table, "product_uom_qty", query),
            assessed=assessed,
        )

    @api.depends(
        "display_type", "product_id", "product_qty", "product_uom_id", "price_subtotal",
        "company_id", "order_id.partner_id", "order_id.date_order", "order_id.currency_id",
    )
    def _compute_carbon(self):
        lines = self.filtered(lambda line: not line.display_type and line.product_id and line.product_uom_id)
        (self - lines).update(dict.fromkeys(CARBON_FIELDS, False))
        factors = self.env["carbon.emission.factor"]
        for line in lines:
            for __, factor in line.product_id._carbon_factor_rules(line.company_id):
                factors |= factor
            factors |= line.company_id.carbon_spend_factor_id | line.carbon_factor_id
        find_version = factors._version_finder()
        for line in lines:
            if line.state in CONFIRMED_STATES and line.carbon_source not in (False, "unassessed"):
                values = line._carbon_reapply()
            else:
                values = line._carbon_resolve(find_version)
            line.update(line._carbon_values(**values))

    def _carbon_values(self, source, quantity=0.0, rate=0.0, uom=False, factor=False, supplierinfo=False, note=False):
        self.ensure_one()
        carbon = carbon_math.carbon_of_quantity(quantity, rate)
        try:
            intensity = carbon_math.intensity(carbon, self._carbon_product_qty()) or 0.0
        except CarbonNotApplicable as exc:
            intensity = 0.0
            note = "; ".join(filter(None, [note, self.env._("no kgCO2e per product unit: %s", exc)]))
        return {
            "carbon_source": source,
            "carbon_factor_id": factor,
            "carbon_supplierinfo_id": supplierinfo,
            "carbon_quantity": quantity,
            "carbon_quantity_uom_id": uom,
            "carbon_rate": rate,
            "carbon_amount": carbon_math.round_carbon(carbon),
            "carbon_intensity": intensity,
            "carbon_note": note,
        }

    def _carbon_date(self):
        return fields.Date.to_date(self.order_id.date_order or fields.Date.context_today(self))

    def _carbon_product_qty(self):
        """The line's quantity in the product's unit of measure."""
        return self.product_id._carbon_convert(self.product_qty, self.product_uom_id, self.product_id.uom_id)

    def _carbon_resolve(self, find_version):
        """Apply the first rule that covers the line: vendor declaration, product factor, category
        factor, company spend-based factor. Rules passed over are said in the note."""
        self.ensure_one()
        date = self._carbon_date()
        skipped = []
        declaration = self._carbon_vendor_declaration(date)
        if declaration and carbon_math.is_zero(declaration.carbon_intensity, carbon_math.FACTOR_DIGITS):
            skipped.append(self.env._(
                "vendor declaration: %(vendor)s declares zero kgCO2e (%(quality)s), not accepted as a figure",
                vendor=declaration.partner_id.display_name,
                quality=dict(declaration._fields["carbon_data_quality"]._description_selection(self.env))
                .get(declaration.carbon_data_quality)))
        elif declaration:
            try:
                qty = self._carbon_quantity_in(declaration.product_uom_id)
            except CarbonNotApplicable as exc:
                skipped.append(self.env._("vendor declaration: %s", exc))
            else:
                return {
                    "source": "vendor", "supplierinfo": declaration, "quantity": qty,
                    "uom": declaration.product_uom_id, "rate": declaration.carbon_intensity,
                }
        rules = self.product_id._carbon_factor_rules(self.company_id) + [
            ("spend", self.company_id.carbon_spend_factor_id),
        ]
        result = self.product_id._carbon_from_factors(
            rules, self.product_qty, self.product_uom_id, self.company_id, date, find_version,
            amount=self.price_subtotal, currency=self.currency_id,
        )
        notes = skipped + ([result["note"]] if result["note"] else [])
        if result["source"] == "unassessed" and not notes:
            notes = [self.env._("No vendor declaration, product, category or spend-based factor covers this line.")]
        result["note"] = "; ".join(notes) or False
        return result

    def _carbon_reapply(self):
        """Carbon of a confirmed line: the rule, factor version and rate chosen at confirmation,
        applied to the line's current quantity."""
        self.ensure_one()
        kept = {
            "source": self.carbon_source, "factor": self.carbon_factor_id, "uom": self.carbon_quantity_uom_id,
            "supplierinfo": self.carbon_supplierinfo_id, "rate": self.carbon_rate, "note": self.carbon_note,
        }
        if self.carbon_source == "vendor":
            try:
                return dict(kept, quantity=self._carbon_quantity_in(self.carbon_quantity_uom_id))
            except CarbonNotApplicable as exc:
                return {"source": "unassessed", "note": str(exc)}
        result = self.product_id._carbon_from_factors(
            [(self.carbon_source, self.carbon_factor_id)], self.product_qty, self.product_uom_id, self.company_id,
            self._carbon_date(), lambda factor, date: factor, amount=self.price_subtotal, currency=self.currency_id,
        )
        if result["source"] == "unassessed":
            return {"source": "unassessed", "note": result["note"]}
        return dict(kept, quantity=result["quantity"])

    def _carbon_vendor_declaration(self, date):
        """The order vendor's carbon declaration for this product valid on ``date``: the selected
        price line when it declares carbon, else the most specific one."""
        self.ensure_one()
        partner = self.order_id.partner_id
        vendors = partner | partner.commercial_partner_id
        declarations = self.product_id.seller_ids.filtered(
            lambda s: s.carbon_data_quality
            and s.partner_id in vendors
            and s.company_id in (self.company_id, self.env["res.company"])
            and s.product_id in (self.product_id, self.env["product.product"])
            and s._is_valid_on(date)
        )
        if self.selected_seller_id in declarations:
            return self.selected_seller_id
        return declarations.sorted(lambda s: (not s.product_id, s.sequence, s.id))[:1]

    def _carbon_quantity_in(self, uom):
        """The line's quantity in ``uom`` (see ``product.product._carbon_convert``)."""
        return self.product_id._carbon_convert(self.product_qty, self.product_uom_id, uom)

    def _carbon_bill_booked(self):
        """{order line: kgCO2e its bills' adjustments put onto its receipts so far}, from the
        posted ledger (adjustments and their reversals), one query."""
        groups = self.env["carbon.move.line"].sudo()._read_group(
            [("stock_move_id", "in", self.move_ids.ids), ("move_id.kind", "=", "bill_adjustment"),
             ("state", "=", "posted")],
            ["stock_move_id"], ["balance:sum"])
        booked = defaultdict(float)
        for move, balance in groups:
            booked[move.purchase_line_id] += balance
        return booked

    def _carbon_sync_bills(self, bill=None):
        """Book onto the received stock of these lines what their posted bills declare beyond the
        order's carbon and has not been booked yet: the part still in stock into inventory, the part
        that has left into the overhead pool, against the carbon acquired from the vendor. Lines
        with nothing received yet wait for their receipts.

        :returns: the posted carbon entries
        """
        Account = self.env["carbon.account"]
        booked = self._carbon_bill_booked()
        entries = []
        for line in self:
            bill_lines = line.invoice_lines.filtered(lambda line: line.parent_state == "posted")
            target = sum(-line.carbon_adjustment if line.move_id.move_type == "in_refund" else line.carbon_adjustment
                         for line in bill_lines)
            delta = carbon_math.round_carbon(target - booked[line])
            if carbon_math.is_zero(delta):
                continue
            receipts = line.move_ids.filtered(
                lambda m: m.state == "done" and m.is_in and m.carbon_state == "assessed")
            if not receipts:
                continue
            accounts = Account._for_company(line.company_id)
            common = {"name": self.env._("Carbon declared on the bill for %s", line.order_id.name),
                      "product_id": line.product_id.id, "product_uom_id": line.product_id.uom_id.id,
                      "partner_id": line.partner_id.commercial_partner_id.id, "factor_id": line.carbon_factor_id.id,
                      "scope": line.carbon_factor_id.scope or "3",
                      "scope3_category": line.carbon_factor_id.scope3_category or "1", "quantity": 0.0}
            vals = [dict(common, account_id=accounts["acquired"].id, debit=max(-delta, 0.0), credit=max(delta, 0.0))]
            for move, kept, gone, __ in receipts._carbon_split_added(delta):
                for account, amount in ((accounts["inventory"], kept), (accounts["overhead"], gone)):
                    if not carbon_math.is_zero(amount):
                        vals.append(dict(common, account_id=account.id, stock_move_id=move.id,
                                         debit=max(amount, 0.0), credit=max(-amount, 0.0)))
            document = bill or bill_lines.move_id[-1:]
            entries.append({
                "company_id": line.company_id.id, "kind": "bill_adjustment", "account_move_id": document.id,
                "ref": self.env._("%(bill)s: carbon of %(order)s", bill=document.name, order=line.order_id.name),
                "line_ids": [fields.Command.create(v) for v in vals],
            })
        return self.env["carbon.move"].sudo()._create_posted(entries)

    def write(self, vals):
        res = super().write(vals)
        if "qty_received_manual" in vals:  # services (and goods received by hand): booked as received
            self.filtered(lambda line: line.qty_received_method == "manual" and line.state in CONFIRMED_STATES) \
                ._carbon_book_received(fields.Date.context_today(self))
        return res

    def _carbon_received_expenses(self):
        """The lines of energy, fuel and services (products not kept in stock): their carbon is
        booked as they are received, their bills book only the difference."""
        return self.filtered(lambda line: not line.display_type and line.product_id.type in ("consu", "service")
                             and not line.product_id.is_storable)

    def _carbon_expense_booked(self):
        """{order line: (kgCO2e, quantity)} its receipts and bills put into the overhead pool so
        far, from the posted ledger, one query."""
        groups = self.env["carbon.move.line"].sudo()._read_group(
            [("purchase_line_id", "in", self.ids), ("account_type", "=", "overhead"), ("state", "=", "posted")],
            ["purchase_line_id"], ["balance:sum", "quantity:sum"])
        booked = defaultdict(lambda: (0.0, 0.0))
        booked.update({line: (balance, qty) for line, balance, qty in groups})
        return booked

    def _carbon_qty_received(self):
        """{order line: quantity received}, as Odoo computes it, without setting off the received
        quantity's recomputation (and its chatter message) in the middle of a validation: Odoo's own
        computation at a date past every move, which tracks nothing."""
        return self.with_context(accrual_entry_date="9999-12-31")._prepare_qty_received()

    def _carbon_expense_deltas(self, booked=None):
        """{order line: kgCO2e to book now}: what its posted bills declare plus the order's carbon
        of what is received and not billed (``carbon_math.received_expense_carbon``), less what is
        booked already (``booked``, read from the ledger when not given). Bill lines left
        unassessed bill nothing: their quantity keeps the order's carbon."""
        booked = self._carbon_expense_booked() if booked is None else booked
        received = self._carbon_qty_received()
        deltas = {}
        for line in self:
            billed_carbon = billed_qty = 0.0
            for bill_line in line.invoice_lines.filtered(
                    lambda line: line.parent_state == "posted" and line.carbon_source not in (False, "unassessed")):
                sign = -1 if bill_line.move_id.move_type == "in_refund" else 1
                try:
                    qty = line.product_id._carbon_convert(
                        bill_line.quantity, bill_line.product_uom_id, line.product_uom_id
                    )
                except CarbonNotApplicable:
                    qty = bill_line.quantity
                billed_carbon += sign * bill_line.carbon_amount
                billed_qty += sign * qty
            assessed = line.carbon_source not in (False, "unassessed")
            target = carbon_math.received_expense_carbon(
                billed_carbon, line.carbon_quantity * line.carbon_rate if assessed else 0.0,
                line.product_qty, received[line], billed_qty)
            deltas[line] = carbon_math.round_carbon(target - booked[line][0])
        return deltas

    def _carbon_book_received(self, date, pickings=None):
        """Book what the receipts of these lines' energy, fuel and services add (or, once the
        goods are sent back or a bill is reset to draft, take back): Dr overhead pool / Cr direct
        emissions, purchased energy or acquired carbon by the factor's scope, dated ``date``. One
        entry per company and kind: "stock" for goods, "receipt" for services.

        :returns: the posted carbon entries
        """
        lines = self._carbon_received_expenses()
        booked = lines._carbon_expense_booked()
        deltas = lines._carbon_expense_deltas(booked)
        received_qty = lines._carbon_qty_received()
        to_book = lines.filtered(lambda line: not carbon_math.is_zero(deltas[line]))
        charts = {company: self.env["carbon.account"]._for_company(company) for company in to_book.company_id}
        grouped = defaultdict(list)
        orders = defaultdict(lambda: self.env["purchase.order"])
        for line in to_book:
            accounts = charts[line.company_id]
            scope = line.carbon_factor_id.scope or "3"
            received_uom = line.product_id.uom_id
            try:
                received = line.product_id._carbon_convert(received_qty[line], line.product_uom_id, received_uom)
            except CarbonNotApplicable:  # the quantity stays in the order's unit
                received, received_uom = received_qty[line], line.product_uom_id
            common = {
                "name": line.name,
                "product_id": line.product_id.id,
                "product_uom_id": received_uom.id,
                "partner_id": line.partner_id.commercial_partner_id.id,
                "factor_id": line.carbon_factor_id.id,
                "scope": scope,
                "scope3_category": line.carbon_factor_id.scope3_category or ("1" if scope == "3" else False),
                "unit_carbon": line.carbon_intensity,
                "purchase_line_id": line.id,
            }
            kind = "stock" if line.product_id.type == "consu" else "receipt"
            quantity = received - booked[line][1]
            pair = pool_pair(
                common, accounts["overhead"], accounts[SCOPE_ACCOUNT[scope]], deltas[line], quantity=quantity
            )
            if scope == "2":
                pair = with_memo(pair, accounts["energy"], self.env["carbon.move.line"]._location_memo(
                    line.company_id, quantity, received_uom, line.product_id))
            grouped[line.company_id, kind].append(pair)
            orders[line.company_id, kind] |= line.order_id
        pickings = pickings or self.env["stock.picking"]
        entries = [{
            "company_id": company.id, "kind": kind, "date": date,
            "ref": ", ".join(pickings.mapped("name")) or ", ".join(orders[company, kind].mapped("name")),
            "picking_id": pickings.id if len(pickings) == 1 else False,
            "line_ids": [fields.Command.create(vals) for pair in pairs for vals in pair],
        } for (company, kind), pairs in grouped.items()]
        return self.env["carbon.move"].sudo()._create_posted(entries)

    def action_carbon_recompute(self):
        """Resolve the carbon of draft lines again (after a factor or a declaration changed)."""
        lines = self.filtered(lambda line: line.state not in CONFIRMED_STATES)
        for fname in CARBON_FIELDS:
            self.env.add_to_compute(self._fields[fname], lines)
        lines.modified(CARBON_FIELDS)  # the orders' totals depend on them
        lines._recompute_recordset(CARBON_FIELDS)
        return True
