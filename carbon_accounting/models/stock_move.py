from collections import defaultdict

from odoo import fields, models

from ..tools import carbon_math
from .carbon_move_line import line_pair, with_memo
from .product_product import CarbonNotApplicable

CARBON_STATES = [
    ("none", "Not valued"),
    ("assessed", "Assessed"),
    ("pending", "Awaiting receipt"),
    ("unassessed", "Unassessed"),
]
#: The account facing inventory, by the usage of the location on the other side of the move;
#: consumption (usage production) goes where ``_carbon_consumption_account`` says.
COUNTERPART = {"supplier": "acquired", "customer": "transferred", "inventory": "writeoff"}


class StockMove(models.Model):
    _inherit = "stock.move"

    carbon_unit = fields.Float(
        string="kgCO2e per Unit", digits="Carbon Factor", copy=False, readonly=True, aggregator=None,
        help="Carbon per unit of the product's unit of measure, set when the move is done.",
    )
    carbon_amount = fields.Float(
        string="Carbon (kgCO2e)", digits="Carbon", copy=False, readonly=True, aggregator=None,
        help="Carbon the move brought into or took out of inventory (never added up across moves: receipts "
        "and deliveries both read positive).",
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
        digits="Carbon", copy=False, readonly=True,
        help="Standard costing: carbon acquired less carbon entered at standard, booked to the overhead pool.",
    )
    carbon_pending_qty = fields.Float(
        string="Quantity Awaiting Receipt", digits="Product Unit", copy=False, readonly=True,
        help="Quantity that left stock it did not have (negative stock): its carbon is booked when a receipt "
        "covers it, or by Set Carbon.",
    )
    carbon_use_amount = fields.Float(
        string="Use Emissions (kgCO2e)", digits="Carbon", copy=False, readonly=True,
        help="Direct emissions (Scope 1) released by using the product up: fuel burnt, fertiliser applied, "
        "refrigerant leaked, from the product's use factor. Booked when the move takes the product into a "
        "consumption location; a return from it takes its share back.",
    )
    carbon_use_factor_id = fields.Many2one("carbon.emission.factor", string="Use Emission Factor", copy=False,
                                           readonly=True)
    carbon_state = fields.Selection(
        CARBON_STATES, default="none", copy=False, readonly=True, index=True,
        help="Awaiting receipt: part of the quantity left negative stock; its carbon comes with the receipt "
        "that covers it. Unassessed: part of the carbon is unknown.")
    carbon_note = fields.Char(copy=False, readonly=True)
    carbon_factor_id = fields.Many2one("carbon.emission.factor", string="Emission Factor", copy=False, readonly=True)
    carbon_move_line_ids = fields.One2many("carbon.move.line", "stock_move_id", string="Carbon Lines", readonly=True)

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._carbon_done()
        return moves

    def _carbon_done(self):
        """Carbon's work on the moves a validation did, once stock and stock_account have done
        theirs. Outgoing carbon first: it is taken from inventory as it stood before this
        validation (FIFO stack, average), as stock_account takes outgoing value, and nothing of
        that has changed yet, since the carbon of this validation's receipts comes next and only
        carbon's own steps move it. Then incoming carbon, direct emissions of use, the settlement
        of earlier outflows these receipts cover and one posted entry per company. Only storable
        products carry carbon through stock; the carbon of consumables and services is booked
        from vendor bills."""
        carbon = self.filtered(lambda m: m.product_id.is_storable)
        carbon = carbon.with_context(carbon_qty_cache=carbon._carbon_valued_qtys(),
                                     carbon_validated=frozenset(self.ids))
        carbon.filtered("is_out")._carbon_value_out()
        incoming = carbon.filtered(lambda m: m.is_in or m.is_dropship)
        incoming._carbon_value_in()
        carbon._carbon_value_use()
        settlements = incoming.filtered("is_in")._carbon_settle_pending()
        carbon._carbon_post(settlements)
        # bills posted before the goods came declared carbon that waits for them
        carbon.purchase_line_id.filtered("invoice_lines")._carbon_sync_bills()
        self._carbon_post_consumables()

    # ------------------------------------------------------------------ valuation

    def _carbon_qty(self):
        """The move's valued quantity in the product's unit (computed once per validation)."""
        cache = self.env.context.get("carbon_qty_cache")
        if cache is None:
            return self._get_valued_qty()
        if self.id not in cache:
            cache[self.id] = self._get_valued_qty()
        return cache[self.id]

    def _carbon_valued_qtys(self):
        """{move id: valued quantity in the product's unit} of these done moves: stock_account's
        ``_get_valued_qty``, which walks a move's lines up to three times to find its direction.
        Here the direction is the one stock_account has just stored on the move (``is_in``,
        ``is_out``), so the lines of a move that only enters or only leaves are walked once."""
        qtys = {}
        for move in self:
            if move.is_in and not move.is_out:
                qtys[move.id] = sum(move._get_in_move_lines().mapped("quantity_product_uom"))
            elif move.is_out and not move.is_in:
                qtys[move.id] = sum(move._get_out_move_lines().mapped("quantity_product_uom"))
            else:
                qtys[move.id] = move._get_valued_qty()
        return qtys

    def _carbon_costing(self):
        """{(company id, product id): (cost method, standard carbon per unit under standard costing
        else 0.0)} of these moves' products, read once per company for all of them."""
        costing = {}
        for company, moves in self.grouped("company_id").items():
            for product in moves.product_id.with_company(company):
                method = product.cost_method
                standard = product.carbon_standard_unit if method == "standard" else 0.0
                costing[company.id, product.id] = (method, standard)
        return costing

    def _carbon_is_fifo(self):
        return self._carbon_costing()[self.company_id.id, self.product_id.id][0] == "fifo"

    def _carbon_standard(self):
        """The product's standard carbon per unit when it is under standard costing and has one."""
        return self._carbon_costing()[self.company_id.id, self.product_id.id][1]

    def _carbon_value_in(self):
        """Carbon of receipts, customer returns, found stock and dropships."""
        factors = self.env["carbon.emission.factor"]
        for move in self:
            for __, factor in move.product_id._carbon_factor_rules(move.company_id):
                factors |= factor
        find_version = factors._version_finder()
        costing = self._carbon_costing()
        values_by_move = []
        for move in self:
            qty = move._carbon_qty()
            values = move._carbon_in_unit(find_version)
            unit = values.pop("unit")
            state = values.pop("carbon_state", "assessed")  # a partly known unit stays unassessed
            method, standard = costing[move.company_id.id, move.product_id.id]
            standard = 0.0 if move.origin_returned_move_id or move.is_dropship else standard
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
            if move.is_in and method == "fifo":
                values.update(carbon_remaining_qty=qty, carbon_remaining=values["carbon_amount"])
            values_by_move.append((move, values))
        self._carbon_write_each(values_by_move)

    def _carbon_write_each(self, values_by_move):
        """Write each move's values ([(move, values)]): one write per distinct set of values, as the
        moves of one validation often share them (same product and quantity), instead of one per move."""
        groups = defaultdict(list)
        for move, values in values_by_move:
            groups[tuple(sorted(values.items()))].append(move.id)
        for items, ids in groups.items():
            self.browse(ids).write(dict(items))

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
        """Carbon of deliveries, returns to vendors, consumption, scrap and inventory losses: FIFO
        consumes receipts (a return to a vendor first the receipt it returns); AVCO takes the
        ledger's average, a return to a vendor the returned receipt's unit carbon. What leaves
        stock the company does not have (negative stock) awaits the receipt that covers it."""
        if not self:
            return
        averages = self._carbon_inventory_averages()
        costing = self._carbon_costing()
        fifo = self.filtered(lambda m: costing[m.company_id.id, m.product_id.id][0] == "fifo")
        stacks = fifo._carbon_fifo_stacks()
        values_by_move = []
        for move in self.sorted("id"):  # moves validated together take from the stacks in the order made
            qty = move._carbon_qty()
            origin = move.origin_returned_move_id if move.origin_returned_move_id.carbon_state != "none" else None
            key = (move.company_id.id, move.product_id.id)
            standard = costing[key][1]
            pending = 0.0
            if standard:
                amount, state = carbon_math.round_carbon(standard * qty), "assessed"
                note = self.env._("Standard carbon")
            elif move in fifo:
                stack = ([origin] if origin else []) + [m for m in stacks[key] if m != origin]
                amount, state, note, pending = move._carbon_consume(stack, qty)
            elif origin and move._carbon_is_vendor_return():
                back_qty = move._carbon_vendor_return_qty()
                amount, state = carbon_math.round_carbon(origin.carbon_unit * back_qty), origin.carbon_state
                note = self.env._("Carbon of the returned receipt %s", origin.reference)
                if carbon_math.compare(back_qty, qty, 6) < 0:
                    extra, extra_state, __, pending = move._carbon_average_out(averages[key], qty - back_qty)
                    amount = carbon_math.round_carbon(amount + extra)
                    state = "unassessed" if "unassessed" in (state, extra_state) else state
            elif origin:
                amount, state = carbon_math.round_carbon(origin.carbon_unit * qty), origin.carbon_state
                note = self.env._("Carbon of the returned move %s", origin.reference)
            else:
                amount, state, note, pending = move._carbon_average_out(averages[key], qty)
            if carbon_math.compare(pending, 0.0, 6) > 0:
                state = "unassessed" if state == "unassessed" else "pending"
                note = self.env._("%(note)s; %(qty)s %(uom)s left stock the company did not have: their carbon "
                                  "comes with the receipt that covers them", note=note, qty=pending,
                                  uom=move.product_id.uom_id.name)
            values_by_move.append((move, {
                "carbon_unit": carbon_math.intensity(amount, qty - pending) or 0.0, "carbon_amount": amount,
                "carbon_state": state, "carbon_note": note, "carbon_pending_qty": pending,
            }))
        self._carbon_write_each(values_by_move)

    def _carbon_is_vendor_return(self):
        return self.location_dest_id.usage == "supplier" and self.origin_returned_move_id.is_in

    def _carbon_vendor_return_qty(self):
        """The part of this return to a vendor that the returned receipt covers: its quantity less
        what earlier returns of it took back: those done before, and of those validated with it
        (``carbon_validated``), the ones made first. A vendor never takes back more than it
        delivered."""
        self.ensure_one()
        origin = self.origin_returned_move_id
        validated = self.env.context.get("carbon_validated", frozenset())
        earlier = origin.returned_move_ids.filtered(
            lambda m: m.state == "done" and m != self and (m.id not in validated or m.id < self.id)
            and m._carbon_is_vendor_return())
        returnable = origin._carbon_qty() - sum(m._carbon_qty() for m in earlier)
        return max(min(self._carbon_qty(), returnable), 0.0)

    def _carbon_average_out(self, average, qty):
        """(carbon, state, note, quantity awaiting receipt) of ``qty`` taken at the inventory's
        average carbon; what exceeds the quantity in stock awaits a receipt."""
        balance, ledger_qty, unknown_qty = average
        covered = min(qty, max(ledger_qty, 0.0))
        pending = qty - covered
        if carbon_math.compare(covered, 0.0, 6) <= 0:
            return 0.0, "assessed", self.env._("Nothing in stock"), qty
        amount = carbon_math.round_carbon(balance / ledger_qty * covered)
        if carbon_math.compare(unknown_qty, 0.0, 6) > 0:
            return amount, "unassessed", self.env._(
                "Average of an inventory of which %(unknown)s of %(qty)s units have unknown carbon",
                unknown=unknown_qty, qty=ledger_qty), pending
        return amount, "assessed", self.env._("Average carbon in inventory"), pending
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
        """Take ``qty`` from the FIFO ``stack`` of receipts, consumed in place to the milligram, so
        that what receipts lose is exactly what the move carries.

        :returns: (carbon, state, note, quantity the stack could not cover)
        """
        taken_qty, taken_carbon, unknown = 0.0, 0.0, False
        for receipt in stack:
            if carbon_math.compare(taken_qty, qty, 6) >= 0:
                break
            part, carbon = receipt._carbon_take(qty - taken_qty)
            taken_qty += part
            taken_carbon += carbon
            unknown |= bool(part) and receipt.carbon_state == "unassessed"
        pending = max(qty - taken_qty, 0.0) if carbon_math.compare(qty, taken_qty, 6) > 0 else 0.0
        note = self.env._("FIFO, partly from receipts of unknown carbon") if unknown else self.env._("FIFO")
        return carbon_math.round_carbon(taken_carbon), "unassessed" if unknown else "assessed", note, pending

    def _carbon_take(self, qty):
        """Consume up to ``qty`` of this FIFO receipt's remaining quantity.

        :returns: (quantity taken, carbon taken)
        """
        available = self.carbon_remaining_qty
        if carbon_math.compare(available, 0.0, 6) <= 0:
            return 0.0, 0.0
        part = min(available, qty)
        carbon = self.carbon_remaining if carbon_math.compare(part, available, 6) == 0 \
            else carbon_math.round_carbon(self.carbon_remaining * part / available)
        self.write({"carbon_remaining_qty": available - part,
                    "carbon_remaining": carbon_math.round_carbon(self.carbon_remaining - carbon)})
        return part, carbon

    def _carbon_value_use(self):
        """Direct emissions of products used up: a move into a consumption location releases the
        product's use factor for its quantity; a return from it takes the same share back. Sales,
        returns to vendors and scrap release nothing: the customer burns what it buys, and scrapped
        fuel was not burnt."""
        used = self.filtered(lambda m: m.location_dest_id.usage == "production" and m.is_out)
        unused = self.filtered(lambda m: m.location_id.usage == "production" and m.is_in
                               and m.origin_returned_move_id.carbon_use_amount)
        factors = self.env["carbon.emission.factor"]
        for move in used:
            factors |= move.product_id._carbon_use_factor(move.company_id)
        find_version = factors._version_finder()
        for move in used:
            factor = move.product_id._carbon_use_factor(move.company_id)
            if not factor:
                continue
            qty, product = move._carbon_qty(), move.product_id
            result = product._carbon_from_factors(
                [("use", factor)], qty, product.uom_id, move.company_id, move.date.date(), find_version,
                upstream=False)
            if result["source"] == "unassessed":
                move.write({"carbon_state": "unassessed", "carbon_note": self.env._(
                    "%(note)s; use emissions unknown: %(why)s", note=move.carbon_note, why=result["note"])})
                continue
            move.write({"carbon_use_factor_id": result["factor"].id,
                        "carbon_use_amount": carbon_math.round_carbon(result["quantity"] * result["rate"])})
        for move in unused:
            origin = move.origin_returned_move_id
            share = move._carbon_qty() / origin._carbon_qty() if origin._carbon_qty() else 0.0
            move.write({"carbon_use_factor_id": origin.carbon_use_factor_id.id,
                        "carbon_use_amount": -carbon_math.round_carbon(origin.carbon_use_amount * share)})

    def _carbon_settle_pending(self):
        """Receipts that cover stock that had left before it came (negative stock) book the carbon
        of that outflow: oldest outflows first, at the receipt's carbon (FIFO: consumed from it).

        :returns: {company id: [carbon line values]} to post with the receipts
        """
        settlements = defaultdict(list)
        if not self:
            return settlements
        outflows = self.env["stock.move"].sudo().search([
            ("company_id", "in", self.company_id.ids), ("product_id", "in", self.product_id.ids),
            ("carbon_pending_qty", ">", 0), ("state", "=", "done"),
        ], order="date, id")
        if not outflows:
            return settlements
        Account = self.env["carbon.account"]
        costing = self._carbon_costing()
        for receipt in self.filtered(lambda m: m.carbon_state != "none"):
            left = receipt._carbon_qty()
            fifo = costing[receipt.company_id.id, receipt.product_id.id][0] == "fifo"
            for outflow in outflows.filtered(lambda m, receipt=receipt: m.product_id == receipt.product_id
                                             and m.company_id == receipt.company_id):
                part = min(left, outflow.carbon_pending_qty)
                if carbon_math.compare(part, 0.0, 6) <= 0:
                    continue
                if fifo:
                    part, carbon = receipt._carbon_take(part)
                else:
                    carbon = carbon_math.round_carbon(receipt.carbon_unit * part)
                left -= part
                accounts = Account._for_company(receipt.company_id)
                name = self.env._("%(move)s: carbon of stock it took before %(receipt)s came",
                                  move=outflow.reference, receipt=receipt.reference)
                settlements[receipt.company_id.id] += outflow._carbon_settlement_values(
                    accounts, part, carbon, name, receipt.carbon_factor_id,
                    unknown=receipt.carbon_state == "unassessed")
        return settlements

    def _carbon_settlement_values(self, accounts, qty, carbon, name, factor, unknown=False):
        """Book ``carbon`` for ``qty`` of this outflow's quantity awaiting receipt (covered by a
        receipt, or set by hand): out of inventory into the outflow's counterpart, the quantity moving
        from unknown to known carbon (still unknown when ``unknown``: a receipt of unknown carbon).
        Carbon that comes after a production consumed it waits in the overhead pool, to be allocated.

        :returns: the carbon line values
        """
        self.ensure_one()
        pending = self.carbon_pending_qty - qty
        done = carbon_math.compare(pending, 0.0, 6) <= 0
        state = self.carbon_state
        if unknown:
            state = "unassessed"
        elif done and state == "pending":
            state = "assessed"
        self.sudo().write({
            "carbon_pending_qty": 0.0 if done else pending, "carbon_state": state,
            "carbon_amount": carbon_math.round_carbon(self.carbon_amount + carbon),
            "carbon_unit": carbon_math.intensity(self.carbon_amount + carbon,
                                                 self._carbon_qty() - (0.0 if done else pending)) or 0.0,
        })
        counterpart = self._carbon_counterpart_type(self.location_dest_id)
        counterpart = "overhead" if counterpart == "wip" else counterpart
        common = {"name": name, "product_id": self.product_id.id, "product_uom_id": self.product_id.uom_id.id,
                  "stock_move_id": self.id, "partner_id": self._carbon_partner().id,
                  "unit_carbon": carbon_math.intensity(carbon, qty) or 0.0, "factor_id": factor.id}
        return [
            dict(common, account_id=accounts[counterpart].id, debit=max(carbon, 0.0), credit=max(-carbon, 0.0),
                 quantity=0.0, unassessed=unknown),
            dict(common, account_id=accounts["inventory"].id, debit=max(-carbon, 0.0), credit=max(carbon, 0.0),
                 quantity=-qty, unassessed=unknown),
            dict(common, account_id=accounts["inventory"].id, debit=0.0, credit=0.0, quantity=qty, unassessed=True),
        ]

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
        for move, qty, part in zip(self, qtys, parts, strict=True):
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

    def _carbon_consumption_account(self):
        """The account type that takes the carbon of stock used up (a move into a location of usage
        production): the overhead pool, allocated to products later; the manufacturing bridge sends
        a production's components to its work in progress."""
        return "overhead"

    def _carbon_counterpart_type(self, location):
        """The account type facing inventory for a move from or to ``location``."""
        if location.usage == "production":
            return self._carbon_consumption_account()
        return COUNTERPART.get(location.usage, "writeoff")

    def _carbon_line_values(self, accounts):
        """Debit and credit line values of one valued move."""
        self.ensure_one()
        qty = self._carbon_qty()
        pending = self.carbon_pending_qty
        factor = self.carbon_factor_id
        common = {
            "name": self.reference, "product_id": self.product_id.id, "product_uom_id": self.product_id.uom_id.id,
            "unit_carbon": self.carbon_unit, "factor_id": factor.id, "stock_move_id": self.id,
            "partner_id": self._carbon_partner().id, "unassessed": self.carbon_state == "unassessed",
        }
        if factor:
            common.update(scope=factor.scope, scope3_category=factor.scope3_category)
        elif self.purchase_line_id.carbon_source == "vendor":  # a supplier's cradle-to-gate carbon
            common.update(scope="3", scope3_category="1")
        amount, variance = self.carbon_amount, self.carbon_variance
        if self.is_dropship:
            lines = line_pair(common, accounts["transferred"], accounts["acquired"], amount, qty)
        elif self.is_in:
            counterpart = accounts[self._carbon_counterpart_type(self.location_id)]
            lines = line_pair(common, accounts["inventory"], counterpart, amount + variance, qty)
            lines[0].update(debit=max(amount, 0.0), credit=max(-amount, 0.0))
        elif self._carbon_is_vendor_return():
            # the vendor takes back what it delivered, at the returned receipt's carbon; what the goods
            # carry beyond that (FIFO took later receipts, or more was returned than received) goes to
            # the vendor as carbon transferred with them
            back_qty = self._carbon_vendor_return_qty()
            returned = carbon_math.round_carbon(self.origin_returned_move_id.carbon_unit * back_qty)
            lines = line_pair(common, accounts["acquired"], accounts["inventory"], returned, back_qty)
            lines[1].update(debit=max(-amount, 0.0), credit=max(amount, 0.0), quantity=-(qty - pending))
            extra = carbon_math.round_carbon(amount - returned)
            if not carbon_math.is_zero(extra) or carbon_math.compare(back_qty, qty - pending, 6) < 0:
                lines.append(dict(common, account_id=accounts["transferred"].id, debit=max(extra, 0.0),
                                  credit=max(-extra, 0.0), quantity=qty - pending - back_qty, name=self.env._(
                                      "%s: beyond what the returned receipt delivered", self.reference)))
        else:
            counterpart = accounts[self._carbon_counterpart_type(self.location_dest_id)]
            lines = line_pair(common, counterpart, accounts["inventory"], amount, qty - pending)
        if carbon_math.compare(pending, 0.0, 6) > 0:
            # the quantity that left negative stock: its carbon is unknown until a receipt covers it
            counterpart = accounts[self._carbon_counterpart_type(self.location_dest_id)]
            lines += line_pair(dict(common, unassessed=True, unit_carbon=0.0), counterpart, accounts["inventory"],
                               0.0, pending)
        if not carbon_math.is_zero(variance):  # standard costing: the difference waits in the pool
            lines.append(dict(common, account_id=accounts["overhead"].id, quantity=0.0, name=self.env._(
                "Standard carbon variance: %s", self.reference), debit=max(variance, 0.0), credit=max(-variance, 0.0)))
        if not carbon_math.is_zero(self.carbon_use_amount):
            lines += self._carbon_use_line_values(accounts)
        return lines

    def _carbon_use_line_values(self, accounts):
        """Direct emissions of using the product up: Dr the consumption account (pool or work in
        progress) / Cr direct emissions, with the use factor and the quantity used."""
        qty = self._carbon_qty()
        factor = self.carbon_use_factor_id
        location = self.location_dest_id if self.is_out else self.location_id
        common = {
            "name": self.env._("%s: emissions of using it up", self.reference), "product_id": self.product_id.id,
            "product_uom_id": self.product_id.uom_id.id, "factor_id": factor.id, "stock_move_id": self.id,
            "unit_carbon": carbon_math.intensity(abs(self.carbon_use_amount), qty) or 0.0,
            "partner_id": self._carbon_partner().id, "scope": "1",
        }
        sign = 1 if self.is_out else -1
        pair = line_pair(common, accounts[self._carbon_counterpart_type(location)], accounts["direct"],
                         self.carbon_use_amount, sign * qty)
        return with_memo(pair, accounts["direct"], {"biogenic_co2": self._carbon_use_biogenic(sign * qty)})

    def _carbon_use_biogenic(self, qty):
        """Biogenic CO2 (kg, a memo) of using up ``qty`` of the product's unit: the use factor's
        biogenic CO2 per unit times the quantity in the factor's unit; none when it does not convert."""
        factor = self.carbon_use_factor_id
        if not factor.co2_biogenic:
            return 0.0
        try:
            factor_qty = self.product_id._carbon_convert(qty, self.product_id.uom_id, factor.uom_id)
        except CarbonNotApplicable:
            return 0.0
        return carbon_math.round_carbon(factor_qty * factor.co2_biogenic)

    def _carbon_post(self, settlements=None):
        """One posted carbon entry per company for the valued moves of this validation (with the
        settlements of earlier outflows that these receipts cover), dated as stock_account dates the
        valuation: the inventory's accounting date, else the day the moves were done."""
        settlements = settlements or {}
        valued = self.filtered(lambda m: m.carbon_state != "none")
        if not valued:
            return self.env["carbon.move"]
        Account = self.env["carbon.account"]
        entries = []
        for company, moves in valued.grouped("company_id").items():
            accounts = Account._for_company(company)
            pickings = moves.picking_id
            date = self.env.context.get("force_period_date") or fields.Date.context_today(
                self, max(moves.mapped("date")))
            lines = [vals for move in moves for vals in move._carbon_line_values(accounts)]
            entries.append({
                "company_id": company.id,
                "kind": "stock",
                "date": date,
                "ref": ", ".join(pickings.mapped("name")) or ", ".join(filter(None, moves.mapped("reference"))),
                "picking_id": pickings.id if len(pickings) == 1 else False,
                "account_move_id": moves.account_move_id.id if len(moves.account_move_id) == 1 else False,
                "line_ids": [fields.Command.create(vals) for vals in lines + settlements.get(company.id, [])],
            })
        return self.env["carbon.move"].sudo()._create_posted(entries)

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

    def _carbon_post_consumables(self):
        """Energy and fuel bought on an order as consumables (not kept in stock) bring their
        carbon as they are received, sent back the other way: one entry per company for this
        validation (see ``purchase.order.line._carbon_book_received``), dated the moves' date."""
        moves = self.filtered(lambda m: m.state == "done" and m.purchase_line_id and m.product_id.type == "consu"
                              and not m.product_id.is_storable)
        if not moves:
            return self.env["carbon.move"]
        date = fields.Date.context_today(self, max(moves.mapped("date")))
        return moves.purchase_line_id._carbon_book_received(date, pickings=moves.picking_id)
