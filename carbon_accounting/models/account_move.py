from odoo import api, fields, models

from ..tools import carbon_math
from .carbon_move_line import SCOPE_ACCOUNT, pool_pair, with_memo


class AccountMove(models.Model):
    _inherit = "account.move"

    carbon_move_ids = fields.One2many("carbon.move", "account_move_id", string="Carbon Entries")
    carbon_line_ids = fields.Many2many(
        "account.move.line", string="Carbon of the Lines", compute="_compute_carbon_line_ids",
        help="The bill's product lines with their carbon, its source and why it is unassessed.",
    )

    @api.depends("invoice_line_ids.display_type")
    def _compute_carbon_line_ids(self):
        for move in self:
            move.carbon_line_ids = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        bills = posted.filtered(lambda m: m.move_type in ("in_invoice", "in_refund"))
        bills._carbon_post_bills()
        bills._carbon_adjust_receipts()
        return posted

    def button_draft(self):
        """A bill reset to draft takes its carbon back: its posted carbon entries are reversed."""
        entries = self.carbon_move_ids.filtered(lambda e: e.kind == "bill" and e.state == "posted"
                                                and not e.reversal_ids and not e.reversed_entry_id)
        res = super().button_draft()
        entries.sudo()._reverse(date=fields.Date.context_today(self))
        self._carbon_adjust_receipts()
        # what the bill booked for goods or services received before it comes back to the receipts
        self.invoice_line_ids.purchase_line_id._carbon_book_received(fields.Date.context_today(self))
        return res

    def _carbon_receipt_lines(self):
        return self.invoice_line_ids.filtered(lambda line: line.purchase_line_id and line._carbon_is_receipt_line())

    def _carbon_adjust_receipts(self):
        """Bills that declare carbon other than their orders' for stock already received adjust the
        receipts' carbon (never the posted receipt entries): the order lines book what their posted
        bills' differences add up to and is not booked yet, so resetting to draft takes it back."""
        lines = self._carbon_receipt_lines()
        for bill in self:
            lines.filtered(lambda line, bill=bill: line.move_id == bill).purchase_line_id._carbon_sync_bills(bill)

    def _carbon_post_bills(self):
        """The carbon of non-stock expenses on vendor bills: Dr overhead pool / Cr direct emissions,
        purchased energy or acquired carbon by the factor's scope (a credit note or a negative line
        the other way). Energy, fuel and services bought on an order had their carbon booked as
        they were received: the bill books only the difference its own figures make."""
        lines = self.invoice_line_ids.filtered(lambda line: line._carbon_is_expense())
        if not lines:
            return self.env["carbon.move"]
        factors = self.env["carbon.emission.factor"]
        for line in lines:
            company = line.company_id
            factors |= line.purchase_line_id.carbon_factor_id | line.account_id.with_company(company).carbon_factor_id
            factors |= company.carbon_spend_factor_id
            for __, factor in line.product_id._carbon_factor_rules(company) if line.product_id else []:
                factors |= factor
        find_version = factors._version_finder()
        for line in lines:
            result = line._carbon_resolve(find_version)
            line.write({
                "carbon_source": result["source"], "carbon_factor_id": result["factor"].id,
                "carbon_quantity": result["quantity"], "carbon_quantity_uom_id": result["uom"].id,
                "carbon_rate": result["rate"], "carbon_scope": result["scope"], "carbon_note": result["note"],
                "carbon_amount": carbon_math.round_carbon(result["quantity"] * result["rate"]),
            })
        received = lines.purchase_line_id._carbon_received_expenses()
        deltas = received._carbon_expense_deltas()
        Account = self.env["carbon.account"]
        entries = []
        for bill in self:
            accounts = Account._for_company(bill.company_id)
            sign = -1 if bill.move_type == "in_refund" else 1
            vals = []
            for line in lines.filtered(lambda line, bill=bill: line.move_id == bill):
                order_line = line.purchase_line_id & received
                if order_line:  # the difference, once per order line
                    amount, quantity = deltas.pop(order_line, 0.0), 0.0
                elif line.carbon_source != "unassessed":
                    amount, quantity = sign * line.carbon_amount, sign * line.carbon_quantity
                else:
                    continue
                if carbon_math.is_zero(amount):
                    continue
                factor = line.carbon_factor_id or order_line.carbon_factor_id
                scope = line.carbon_scope or factor.scope or "3"
                common = {
                    "name": line.name, "product_id": line.product_id.id, "partner_id": bill.commercial_partner_id.id,
                    "factor_id": factor.id, "scope": scope, "scope3_category": factor.scope3_category,
                    "unit_carbon": line.carbon_rate, "product_uom_id": line.carbon_quantity_uom_id.id,
                    "currency_id": factor.currency_id.id if factor.basis == "spend" else False,
                    "purchase_line_id": order_line.id,
                }
                pair = pool_pair(common, accounts["overhead"], accounts[SCOPE_ACCOUNT[scope]], amount, quantity)
                if scope == "2":
                    pair = with_memo(pair, accounts["energy"], self.env["carbon.move.line"]._location_memo(
                        bill.company_id, quantity, line.carbon_quantity_uom_id, line.product_id))
                vals += pair
            if vals:
                entries.append({
                    "company_id": bill.company_id.id, "kind": "bill", "date": bill.date, "ref": bill.name,
                    "account_move_id": bill.id, "line_ids": [fields.Command.create(v) for v in vals],
                })
        return self.env["carbon.move"].sudo()._create_posted(entries)
