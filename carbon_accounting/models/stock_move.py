from collections import defaultdict

from odoo import fields, models

from ..tools import carbon_math
from .product_product import CarbonNotApplicable

CARBON_STATES = [
    ("none", "Not valued"),
    ("assessed", "Assessed"),
    ("unassessed", "Unassessed"),
]
#: The account facing inventory, by the usage of the location on the other side of the move.
COUNTERPART = {"supplier": "acquired", "customer": "transferred", "inventory": "writeoff", "production": "wip"}


class StockMove(models.Model):
    _inherit = "stock.move"

    carbon_unit = fields.Float(
        string="kgCO2e per Unit", digits="Carbon Factor", copy=False, readonly=True,
        help="Carbon per unit of the product's unit of measure, set when the move is done.",
    )
    carbon_amount = fields.Float(
        string="Carbon (kgCO2e)", digits="Carbon", copy=False, readonly=True,
        help="Carbon the move brought into or took out of inventory.",
    )
    carbon_remaining_qty = fields.Float(
        digits="Product Unit", copy=False, readonly=True,
        help="FIFO: quantity of this receipt not yet consumed, in the product's unit.",
    )
    carbon_remaining = fields.Float(
        string="Remaining Carbon", digits="Carbon", copy=False, readonly=True,
        help="FIFO: carbon of this receipt still in inventory.",
    )
    carbon_variance = fields.Float(
        string="Carbon Variance", digits="Carbon", copy=False, readonly=True,
        help="Standard costing: carbon acquired less carbon entered at standard, booked to the overhead pool.",
    )
    carbon_state = fields.Selection(CARBON_STATES, default="none", copy=False, readonly=True, index=True)
    carbon_note = fields.Char(copy=False, readonly=True)
    carbon_factor_id = fields.Many2one("carbon.emission.factor", string="Emission Factor", copy=False, readonly=True)
    carbon_move_line_ids = fields.One2many("carbon.move.line", "stock_move_id", string="Carbon Lines", readonly=True)

    def _action_done(self, cancel_backorder=False):
        # Only storable products carry carbon through stock; the carbon of consumables and
        # services is booked from vendor bills. Outgoing carbon is taken from inventory as it
        # stands before this validation, as stock_account does for value (FIFO stack, average).
        moves_out = self.filtered(lambda m: m.product_id.is_storable and m._is_out())
        moves_out.with_context(carbon_qty_cache={})._carbon_value_out()
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        carbon = moves.with_context(carbon_qty_cache={}).filtered(lambda m: m.product_id.is_storable)
        carbon.filtered(lambda m: m.is_in or m.is_dropship)._carbon_value_in()
        carbon._carbon_post()
        # bills posted before the goods came declared carbon that waits for them
        carbon.purchase_line_id.filtered("invoice_lines")._carbon_sync_bills()
        return moves

    # ------------------------------------------------------------------ valuation

    def _carbon_qty(self):
        """The move's valued quantity in the product's unit (computed once per validation)."""
        cache = self.env.context.get("carbon_qty_cache")
        if cache is None:
            return self._get_valued_qty()
        if self.id not in cache:
            cache[self.id] = self._get_valued_qty()
        return cache[self.id]

    def _carbon_is_fifo(self):
        return self.product_id.with_company(self.company_id).cost_method == "fifo"

    def _carbon_standard(self):
        """The product's standard carbon per unit when it is under standard costing and has one."""
        product = self.product_id.with_company(self.company_id)
        return product.carbon_standard_unit if product.cost_method == "standard" else 0.0

    def _carbon_value_in(self):
        """Carbon of receipts, customer returns, found stock and dropships."""
        factors = self.env["carbon.emission.factor"]
        for move in self:
            for __, factor in move.product_id._carbon_factor_rules(move.company_id):
                factors |= factor
        find_version = factors._version_finder()
        for move in self:
            qty = move._carbon_qty()
            values = move._carbon_in_unit(find_version)
            unit = values.pop("unit")
            state = values.pop("carbon_state", "assessed")  # a partly known unit stays unassessed
            standard = 0.0 if move.origin_returned_move_id or move.is_dropship else move._carbon_standard()
            if standard and unit is None:
                values.update(carbon_state="unassessed", carbon_unit=standard,
                              carbon_amount=carbon_math.round_carbon(standard * qty),
                              carbon_note=self.env._("At standard carbon: the carbon acquired is unknown (%s)",
                                                     values.get("carbon_note") or ""))
            elif standard:
                at_standard = carbon_math.round_carbon(standard * qty)
                values.update(carbon_state="assessed", carbon_unit=standard, carbon_amount=at_standard,
                              carbon_variance=carbon_math.round_carbon(unit * qty) - at_standard)
            elif unit is None:
                values.update(carbon_state="unassessed", carbon_unit=0.0, carbon_amount=0.0)
            else:
                values.update(carbon_state=state, carbon_unit=unit,
                              carbon_amount=carbon_math.round_carbon(unit * qty))
            if move.is_in and move._carbon_is_fifo():
                values.update(carbon_remaining_qty=qty, carbon_remaining=values["carbon_amount"])
            move.write(values)

    def _carbon_in_unit(self, find_version):
        """kgCO2e per product unit of an incoming move: the returned delivery's, the purchase
        line's (vendor declaration or factor, as resolved on the order), else the product's factor."""
        self.ensure_one()
        origin = self.origin_returned_move_id
        if origin and origin.carbon_state != "none":
            return {"unit": origin.carbon_unit if origin.carbon_state == "assessed" else None,
                    "carbon_factor_id": origin.carbon_factor_id.id,
                    "carbon_note": self.env._("Carbon of the returned move %s", origin.reference)}
        line = self.purchase_line_id
        if line:
            if line.carbon_source in (False, "unassessed"):
                return {"unit": None, "carbon_factor_id": False,
                        "carbon_note": line.carbon_note or self.env._("The purchase line is unassessed.")}
            try:
                line_qty = line._carbon_product_qty()
            except CarbonNotApplicable as exc:
                return {"unit": None, "carbon_factor_id": False, "carbon_note": str(exc)}
            unit = carbon_math.intensity(line.carbon_quantity * line.carbon_rate, line_qty)
            return {"unit": unit or 0.0, "carbon_factor_id": line.carbon_factor_id.id,
                    "carbon_note": self.env._("Carbon of purchase line %(order)s (%(rule)s)",
                                              order=line.order_id.name, rule=line.carbon_source)}
        product = self.product_id
        result = product._carbon_from_factors(
            product._carbon_factor_rules(self.company_id), 1.0, product.uom_id, self.company_id, self.date.date(),
            find_version,
        )
        if result["source"] == "unassessed":
            return {"unit": None, "carbon_factor_id": False,
                    "carbon_note": result["note"] or self.env._("No product or category factor applies.")}
        return {"unit": result["quantity"] * result["rate"], "carbon_factor_id": result["factor"].id,
                "carbon_note": result["note"]}

    def _carbon_value_out(self):
        """Carbon of deliveries, returns to vendors, scrap and inventory losses: FIFO consumes
        receipts (a return to a vendor first the receipt it returns); AVCO takes the ledger's
        average, or the returned receipt's unit carbon for a return to a vendor."""
        if not self:
            return
        averages = self._carbon_inventory_averages()
        fifo = self.filtered(lambda m: m._carbon_is_fifo())
        stacks = fifo._carbon_fifo_stacks()
        for move in self:
            qty = move._carbon_qty()
            origin = move.origin_returned_move_id if move.origin_returned_move_id.carbon_state != "none" else None
            key = (move.company_id.id, move.product_id.id)
            standard = move._carbon_standard()
            if standard:
                amount, state = carbon_math.round_carbon(standard * qty), "assessed"
                note = self.env._("Standard carbon")
            elif move in fifo:
                stack = ([origin] if origin else []) + [m for m in stacks[key] if m != origin]
                amount, state, note = move._carbon_consume(stack, qty)
            elif origin:
                amount, state = carbon_math.round_carbon(origin.carbon_unit * qty), origin.carbon_state
                note = self.env._("Carbon of the returned receipt %s", origin.reference)
            else:
                amount, state, note = move._carbon_average_out(averages[key], qty)
            move.write({
                "carbon_unit": carbon_math.intensity(amount, qty) or 0.0, "carbon_amount": amount,
                "carbon_state": state, "carbon_note": note,
            })

    def _carbon_average_out(self, average, qty):
        """(carbon, state, note) of ``qty`` taken at the inventory's average carbon."""
        balance, ledger_qty, unknown_qty = average
        if carbon_math.compare(ledger_qty, 0.0, 6) <= 0:
            return 0.0, "unassessed", self.env._("No carbon in inventory to average.")
        amount = carbon_math.round_carbon(balance / ledger_qty * qty)
        if carbon_math.compare(unknown_qty, 0.0, 6) > 0:
            return amount, "unassessed", self.env._(
                "Average of an inventory of which %(unknown)s of %(qty)s units have unknown carbon",
                unknown=unknown_qty, qty=ledger_qty)
        return amount, "assessed", self.env._("Average carbon in inventory")

    def _carbon_inventory_averages(self):
        """{(company id, product id): (carbon, quantity, quantity of unknown carbon)} in the
        inventory accounts, one query."""
        groups = self.env["carbon.move.line"].sudo()._read_group(
            [("company_id", "in", self.company_id.ids), ("product_id", "in", self.product_id.ids),
             ("account_type", "=", "inventory"), ("state", "=", "posted")],
            ["company_id", "product_id", "unassessed"], ["balance:sum", "quantity:sum"],
        )
        result = defaultdict(lambda: (0.0, 0.0, 0.0))
        for company, product, unassessed, balance, qty in groups:
            total_balance, total_qty, unknown_qty = result[(company.id, product.id)]
            result[(company.id, product.id)] = (
                total_balance + balance, total_qty + qty, unknown_qty + (qty if unassessed else 0.0))
        return result

    def _carbon_fifo_stacks(self):
        """{(company id, product id): receipts with carbon left, oldest first}, one query."""
        stacks = defaultdict(list)
        if not self:
            return stacks
        receipts = self.sudo().search([
            ("company_id", "in", self.company_id.ids), ("product_id", "in", self.product_id.ids),
            ("carbon_remaining_qty", ">", 0), ("state", "=", "done"),
        ], order="date, id")
        for receipt in receipts:
            stacks[(receipt.company_id.id, receipt.product_id.id)].append(receipt.sudo(False))
        return stacks

    def _carbon_consume(self, stack, qty):
        """Take ``qty`` from the FIFO ``stack`` of receipts, consumed in place to the gram, so that
        what receipts lose is exactly what the move carries.

        :returns: (carbon, state, note) of the quantity taken
        """
        taken_qty, taken_carbon, last_unit, unknown = 0.0, 0.0, None, False
        for receipt in stack:
            if carbon_math.compare(taken_qty, qty, 6) >= 0:
                break
            available = receipt.carbon_remaining_qty
            if carbon_math.compare(available, 0.0, 6) <= 0:
                continue
            part = min(available, qty - taken_qty)
            carbon = receipt.carbon_remaining if carbon_math.compare(part, available, 6) == 0 \
                else carbon_math.round_carbon(receipt.carbon_remaining * part / available)
            receipt.write({"carbon_remaining_qty": available - part,
                           "carbon_remaining": carbon_math.round_carbon(receipt.carbon_remaining - carbon)})
            taken_qty += part
            taken_carbon += carbon
            last_unit = receipt.carbon_unit
            unknown |= receipt.carbon_state == "unassessed"
        missing = qty - taken_qty
        if carbon_math.compare(missing, 0.0, 6) > 0:
            if last_unit is None:
                return 0.0, "unassessed", self.env._("No receipt with carbon left to take from (FIFO).")
            taken_carbon += missing * last_unit
        note = self.env._("FIFO, partly from receipts of unknown carbon") if unknown else self.env._("FIFO")
        return carbon_math.round_carbon(taken_carbon), "unassessed" if unknown else "assessed", note

    def _carbon_split_added(self, amount, parts=None):
        """Carbon added after the fact to these done incoming moves of one product and company
        (a bill's declaration, an adjustment, an allocated pool): spread over the moves by
        quantity, each part split between what is still in stock, which goes into inventory and
        onto the move, and what has left, which the caller books elsewhere. FIFO knows what is
        left of each receipt; AVCO takes the share of the moves' quantity the inventory still
        holds; standard costing keeps inventory at standard, so nothing stays.

        :param parts: the carbon of each move, instead of ``amount`` spread by quantity
        :returns: [(move, carbon kept in inventory, carbon of what has left, quantity still in stock)]
        """
        if not self:
            return []
        product, company = self.product_id.ensure_one(), self.company_id.ensure_one()
        qtys = [move._carbon_qty() for move in self]
        total_qty = sum(qtys)
        cost_method = product.with_company(company).cost_method
        in_stock_ratio = 0.0
        if cost_method == "average" and carbon_math.compare(total_qty, 0.0, 6) > 0:
            __, ledger_qty, __ = self._carbon_inventory_averages()[(company.id, product.id)]
            in_stock_ratio = min(max(ledger_qty, 0.0) / total_qty, 1.0)
        result = []
        parts = parts if parts is not None else carbon_math.allocate(amount, qtys)
        for move, qty, part in zip(self, qtys, parts):
            ratio = in_stock_ratio
            if cost_method == "fifo":
                ratio = move.carbon_remaining_qty / qty if carbon_math.compare(qty, 0.0, 6) > 0 else 0.0
            elif cost_method == "standard":
                ratio = 0.0
            kept = carbon_math.round_carbon(part * ratio)
            if not carbon_math.is_zero(kept):
                values = {"carbon_amount": carbon_math.round_carbon(move.carbon_amount + kept)}
                if cost_method == "fifo":
                    values["carbon_remaining"] = carbon_math.round_carbon(move.carbon_remaining + kept)
                move.sudo().write(values)
            result.append((move, kept, carbon_math.round_carbon(part - kept), qty * ratio))
        return result

    # ------------------------------------------------------------------ posting

    def _carbon_partner(self):
        self.ensure_one()
        return (self.picking_id.partner_id or self.partner_id or self.purchase_line_id.partner_id).commercial_partner_id

    def _carbon_line_values(self, accounts):
        """Debit and credit line values of one valued move."""
        self.ensure_one()
        qty = self._carbon_qty()
        factor = self.carbon_factor_id
        common = {
            "name": self.reference, "product_id": self.product_id.id, "product_uom_id": self.product_id.uom_id.id,
            "unit_carbon": self.carbon_unit, "factor_id": factor.id, "stock_move_id": self.id,
            "partner_id": self._carbon_partner().id, "unassessed": self.carbon_state == "unassessed",
        }
        amount = self.carbon_amount
        if self.is_dropship:
            debit, credit = accounts["transferred"], accounts["acquired"]
        elif self.is_in:
            debit, credit = accounts["inventory"], accounts[COUNTERPART.get(self.location_id.usage, "writeoff")]
        else:
            debit, credit = accounts[COUNTERPART.get(self.location_dest_id.usage, "writeoff")], accounts["inventory"]
        if factor:
            common.update(scope=factor.scope, scope3_category=factor.scope3_category)
        elif self.purchase_line_id.carbon_source == "vendor":  # a supplier's cradle-to-gate carbon
            common.update(scope="3", scope3_category="1")
        variance = self.carbon_variance
        # carbon below zero (a negative pool allocated, a bill declaring less) swaps the sides
        lines = [
            dict(common, account_id=debit.id, debit=max(amount, 0.0), credit=max(-amount, 0.0), quantity=qty),
            dict(common, account_id=credit.id, debit=max(-amount - variance, 0.0), credit=max(amount + variance, 0.0),
                 quantity=-qty),
        ]
        if not carbon_math.is_zero(variance):  # standard costing: the difference waits in the pool
            lines.append(dict(common, account_id=accounts["overhead"].id, quantity=0.0, name=self.env._(
                "Standard carbon variance: %s", self.reference), debit=max(variance, 0.0), credit=max(-variance, 0.0)))
        return lines

    def _carbon_post(self):
        """One posted carbon entry per company for the valued moves of this validation."""
        valued = self.filtered(lambda m: m.carbon_state != "none")
        if not valued:
            return self.env["carbon.move"]
        Account = self.env["carbon.account"]
        entries = []
        for company in valued.company_id:
            moves = valued.filtered(lambda m: m.company_id == company)
            accounts = Account._for_company(company)
            pickings = moves.picking_id
            entries.append({
                "company_id": company.id,
                "kind": "stock",
                "date": fields.Date.context_today(self),
                "ref": ", ".join(pickings.mapped("name")) or ", ".join(filter(None, moves.mapped("reference"))),
                "picking_id": pickings.id if len(pickings) == 1 else False,
                "account_move_id": moves.account_move_id.id if len(moves.account_move_id) == 1 else False,
                "line_ids": [fields.Command.create(vals) for move in moves for vals in move._carbon_line_values(accounts)],
            })
        return self.env["carbon.move"].sudo().create(entries)._post()

    def action_carbon_adjust(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "carbon.stock.adjustment", "view_mode": "form",
            "name": self.env._("Set the Carbon of %s", self.reference), "target": "new",
            "context": {"default_move_id": self.id},
        }

    def action_view_carbon_entries(self):
        return {
            "type": "ir.actions.act_window", "res_model": "carbon.move", "name": self.env._("Carbon Entries"),
            "view_mode": "list,form", "domain": [("line_ids.stock_move_id", "in", self.ids)],
        }
