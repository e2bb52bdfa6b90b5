import base64
import hashlib
import io
import json
import time
import uuid

import requests
import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from ..tools import finance_math
from .carbon_finance_programme import DAY_COUNTS
from .carbon_supplier_scorecard import GRADES

STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("funded", "Funded"),
    ("repaid", "Repaid"),
    ("refused", "Refused"),
    ("cancelled", "Cancelled"),
]
PACK_STATES = [("none", "No endpoint"), ("pending", "To send"), ("sent", "Sent"), ("error", "Error")]
#: Version of the financier's data pack (``data/finance_pack.schema.json``).
PACK_SCHEMA_VERSION = "1.0"
PACK_SCHEMA_ID = "https://carbon-accounting.example/schemas/finance-pack/1.0"
#: Seconds to connect and, separately, between bytes of the answer; attempts; the first back-off in seconds
#: (doubled after each failure: 1, 2).
HTTP_TIMEOUT = 30
HTTP_ATTEMPTS = 3
HTTP_BACKOFF = 1.0
#: Answers worth another attempt: the server may succeed later (the idempotency key prevents a double).
RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


class CarbonFinanceRequest(models.Model):
    """A request to finance a posted vendor bill under a green programme (reverse factoring: the
    financier pays the vendor early, the company repays the financier at the bill's due date).

    Eligibility is evaluated at submission and frozen with the evidence it used: the vendor's scorecard
    and the products' passports as stored figures and a JSON snapshot. The financing cost is computed
    with and without the green discount. The company bears it: it is booked as a financing cost when
    the bill is funded, with the debt moved from the vendor to the financier; the repayment is an
    ordinary outbound payment to the financier."""

    _name = "carbon.finance.request"
    _description = "Green Finance Request"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    programme_id = fields.Many2one("carbon.finance.programme", required=True, check_company=True, tracking=True,
                                   domain="[('company_id', '=', company_id)]")
    instrument = fields.Selection(related="programme_id.instrument")
    financier_id = fields.Many2one(related="programme_id.financier_id")
    move_id = fields.Many2one("account.move", string="Vendor Bill", required=True, check_company=True,
                              index=True, ondelete="restrict", tracking=True,
                              domain="[('move_type', '=', 'in_invoice'), ('state', '=', 'posted'), "
                              "('company_id', '=', company_id)]")
    partner_id = fields.Many2one("res.partner", string="Vendor", compute="_compute_from_bill", store=True,
                                 index=True)
    currency_id = fields.Many2one("res.currency", compute="_compute_from_bill", store=True)
    state = fields.Selection(STATES, required=True, default="draft", readonly=True, copy=False, index=True,
                             tracking=True)
    refusal_reason = fields.Text(copy=False, help="Why the request is refused: written before refusing it.")
    # the financing, fixed at submission
    amount = fields.Monetary(readonly=True, copy=False, help="Amount still due on the bill at submission.")
    funding_date = fields.Date(default=fields.Date.context_today, required=True,
                               help="The day the financier pays the vendor.")
    maturity_date = fields.Date(readonly=True, copy=False, help="The bill's due date: the company repays then.")
    days = fields.Integer(readonly=True, copy=False, help="Days financed under the programme's day-count convention.")
    day_count = fields.Selection(DAY_COUNTS, readonly=True, copy=False)
    base_rate = fields.Float(string="Base Rate (%)", digits=(16, 4), readonly=True, copy=False)
    discount_bps = fields.Integer(string="Green Discount (bp)", readonly=True, copy=False)
    green_rate = fields.Float(string="Green Rate (%)", digits=(16, 4), readonly=True, copy=False)
    cost_base = fields.Monetary(string="Cost without Discount", readonly=True, copy=False)
    cost_green = fields.Monetary(string="Cost with Green Discount", readonly=True, copy=False)
    saving = fields.Monetary(string="Green Saving", readonly=True, copy=False)
    # eligibility and its evidence, frozen at submission
    submitted_on = fields.Datetime(readonly=True, copy=False)
    eligible = fields.Boolean(readonly=True, copy=False)
    eligibility_reasons = fields.Text(readonly=True, copy=False)
    scorecard_id = fields.Many2one("carbon.supplier.scorecard", readonly=True, copy=False, ondelete="set null")
    scorecard_grade = fields.Selection(GRADES, readonly=True, copy=False)
    scorecard_score = fields.Float(digits=(5, 1), readonly=True, copy=False)
    scorecard_verified_share = fields.Float(readonly=True, copy=False)
    scorecard_benchmark_ratio = fields.Float(readonly=True, copy=False)
    scorecard_benchmark_known = fields.Boolean(readonly=True, copy=False)
    scorecard_period = fields.Char(readonly=True, copy=False)
    passport_ids = fields.Many2many("carbon.passport", string="Passports Used", readonly=True, copy=False)
    evidence_attachment_ids = fields.Many2many("ir.attachment", string="Evidence", readonly=True, copy=False)
    evidence_json = fields.Text(string="Evidence Snapshot (JSON)", readonly=True, copy=False)
    # accounting
    funding_move_id = fields.Many2one("account.move", string="Funding Entry", readonly=True, copy=False,
                                      check_company=True)
    repayment_payment_id = fields.Many2one("account.payment", string="Repayment", readonly=True, copy=False,
                                           check_company=True)
    # the financier's data pack
    idempotency_key = fields.Char(readonly=True, copy=False,
                                  help="Sent as the Idempotency-Key header of every attempt: the financier "
                                  "processes the pack once whatever the number of attempts.")
    pack_state = fields.Selection(PACK_STATES, string="Data Pack", default="none", readonly=True, copy=False)
    pack_error = fields.Text(readonly=True, copy=False)
    pack_json = fields.Binary(string="Data Pack (JSON)", attachment=True, readonly=True, copy=False)
    pack_json_name = fields.Char(readonly=True, copy=False)
    pack_xlsx = fields.Binary(string="Data Pack (XLSX)", attachment=True, readonly=True, copy=False)
    pack_xlsx_name = fields.Char(readonly=True, copy=False)
    send_log_ids = fields.One2many("carbon.finance.send.log", "request_id", string="Sending Log", readonly=True)

    _unique_key = models.Constraint("UNIQUE(idempotency_key)", "An idempotency key belongs to one request.")

    @api.depends("move_id")
    def _compute_from_bill(self):
        for request in self:
            request.partner_id = request.move_id.commercial_partner_id
            request.currency_id = request.move_id.currency_id or request.company_id.currency_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("carbon.finance.request") or "/"
        return super().create(vals_list)

    @api.constrains("move_id")
    def _check_bill(self):
        for request in self:
            bill = request.move_id
            if bill.move_type != "in_invoice" or bill.state != "posted":
                raise ValidationError(self.env._("%s is not a posted vendor bill.", bill.display_name))
        for bill, count in self._read_group([
                ("move_id", "in", self.move_id.ids), ("state", "not in", ("refused", "cancelled"))],
                ["move_id"], ["__count"]):
            if count > 1:
                raise ValidationError(self.env._("%s is financed by one open request at a time.", bill.name))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(request.state != "draft" for request in self):
            raise UserError(self.env._("Only draft finance requests can be deleted; cancel the others."))

    # ------------------------------------------------------------------
    # eligibility
    # ------------------------------------------------------------------

    def _latest_scorecard(self):
        self.ensure_one()
        return self.env["carbon.supplier.scorecard"].search([
            ("company_id", "=", self.company_id.id), ("partner_id", "=", self.partner_id.id),
            ("date_to", "<=", self.funding_date)], order="date_to desc, id desc", limit=1)

    def _bill_products(self):
        self.ensure_one()
        return self.move_id.invoice_line_ids.product_id.filtered(lambda p: p.type != "service")

    def _valid_passports(self, products):
        """The newest published passport of each product, still valid on the funding date."""
        self.ensure_one()
        passports = self.env["carbon.passport"].search(Domain([
            ("company_id", "=", self.company_id.id), ("product_id", "in", products.ids),
            ("state", "=", "published"),
        ]) & (Domain("valid_until", "=", False) | Domain("valid_until", ">=", self.funding_date)),
            order="product_id, date_to desc, id desc")
        newest = {}
        for passport in passports:
            newest.setdefault(passport.product_id, passport)
        return self.env["carbon.passport"].union(*newest.values())

    def _evaluate(self):
        """``(eligible, reasons, scorecard, passports)`` under the programme's rules, today's data."""
        self.ensure_one()
        programme = self.programme_id
        scorecard = self._latest_scorecard()
        products = self._bill_products()
        passports = self._valid_passports(products)
        reasons = []
        needs_card = programme.min_grade or programme.check_benchmark or programme.require_verified
        if needs_card and not scorecard:
            reasons.append(self.env._("No scorecard of the vendor for a period ending by the funding date."))
        if scorecard and not scorecard.assessed and needs_card:
            reasons.append(self.env._("The vendor's scorecard is unassessed: no carbon of it is known."))
        if programme.min_grade and scorecard and not programme._grade_qualifies(scorecard.grade):
            reasons.append(self.env._("Grade %(grade)s is below the minimum %(minimum)s.",
                                      grade=scorecard.grade or "-", minimum=programme.min_grade))
        if programme.check_benchmark and scorecard:
            if not scorecard.benchmark_known:
                reasons.append(self.env._("No benchmark covers the vendor's products: its intensity is unknown."))
            elif finance_math.target_met(scorecard.benchmark_ratio, programme.max_benchmark_ratio) is False:
                reasons.append(self.env._("Intensity at %(ratio).1f %% of the benchmark exceeds %(maximum).1f %%.",
                                          ratio=scorecard.benchmark_ratio * 100,
                                          maximum=programme.max_benchmark_ratio * 100))
        if programme.require_verified and scorecard and finance_math.target_met(
                scorecard.verified_share, programme.min_verified_share, lower_is_better=False) is False:
            reasons.append(self.env._(
                "Verified data cover %(share).1f %% of the vendor's carbon, under %(minimum).1f %%.",
                share=scorecard.verified_share * 100, minimum=programme.min_verified_share * 100))
        if programme.require_passport:
            missing = products - passports.product_id
            if not products:
                reasons.append(self.env._("The bill has no product a passport could cover."))
            elif missing:
                reasons.append(self.env._("No published passport valid on the funding date for: %s.",
                                          ", ".join(missing.mapped("display_name"))))
        return not reasons, reasons, scorecard, passports

    def _copy_evidence(self, passports):
        """Copies, attached to the request, of the evidence files the decision rests on: the passports'
        verification statements, the vendor's carbon declarations of the billed products, the bill's
        own attachments. Copies, so that what was shown to the financier stays as it was."""
        self.ensure_one()
        infos = self.env["product.supplierinfo"].search([
            ("partner_id", "child_of", self.partner_id.id),
            ("product_tmpl_id", "in", self._bill_products().product_tmpl_id.ids)])
        Attachment = self.env["ir.attachment"].sudo()
        sources = Attachment.search(
            Domain([("res_model", "=", "carbon.passport"), ("res_field", "=", "verification_statement"),
                    ("res_id", "in", passports.ids)])
            | Domain([("res_model", "=", "product.supplierinfo"), ("res_field", "=", "carbon_evidence"),
                      ("res_id", "in", infos.ids)])
            | Domain([("res_model", "=", "account.move"), ("res_id", "=", self.move_id.id),
                      ("res_field", "=", False)]), order="id")
        names = {("carbon.passport", p.id): p.verification_statement_name or p.name for p in passports}
        names.update({("product.supplierinfo", i.id): i.carbon_evidence_filename or i.display_name for i in infos})
        return Attachment.create([{
            "name": names.get((source.res_model, source.res_id), source.name) if source.res_field else source.name,
            "raw": source.raw, "mimetype": source.mimetype,
            "res_model": self._name, "res_id": self.id,
            "description": self.env._("Evidence from %(model)s %(id)s", model=source.res_model, id=source.res_id),
        } for source in sources])

    @staticmethod
    def _money(value, currency):
        return str(finance_math.round_money(value, currency.decimal_places))

    def _snapshot(self, eligible, reasons, scorecard, passports):
        """The evidence of the decision as plain data (the JSON frozen on the request)."""
        self.ensure_one()
        programme = self.programme_id
        card = None
        if scorecard:
            card = {
                "id": scorecard.id, "date_from": str(scorecard.date_from), "date_to": str(scorecard.date_to),
                "assessed": scorecard.assessed, "grade": scorecard.grade or None, "score": scorecard.score,
                "carbon_kg": scorecard.carbon, "primary_share": scorecard.primary_share,
                "verified_share": scorecard.verified_share,
                "benchmark_ratio": scorecard.benchmark_ratio if scorecard.benchmark_known else None,
                "intensity_per_currency": scorecard.intensity_currency if scorecard.spend > 0 else None,
                "pact_connected": scorecard.pact_connected,
            }
        return {
            "eligible": eligible, "reasons": reasons,
            "rules": {
                "min_grade": programme.min_grade or None,
                "max_benchmark_ratio": programme.max_benchmark_ratio if programme.check_benchmark else None,
                "published_passport_required": programme.require_passport,
                "min_verified_share": programme.min_verified_share if programme.require_verified else None,
            },
            "scorecard": card,
            "passports": [{
                "id": passport.id, "reference": passport.name, "product": passport.product_id.display_name,
                "per_unit_kg": passport.per_unit if passport.assessed else None,
                "declared_unit": passport.uom_id.name or passport.product_id.uom_id.name,
                "reference_period": [str(passport.date_from), str(passport.date_to)],
                "published_date": str(passport.published_date) if passport.published_date else None,
                "valid_until": str(passport.valid_until) if passport.valid_until else None,
                "label_grade": passport.label_grade or None,
                "verified": bool(passport.verification_statement),
            } for passport in passports],
        }

    # ------------------------------------------------------------------
    # workflow
    # ------------------------------------------------------------------

    def _ensure_state(self, *states):
        for request in self:
            if request.state not in states:
                raise UserError(self.env._("%(request)s is %(state)s: this step needs it %(states)s.",
                                           request=request.name, state=request.state, states=" or ".join(states)))

    def action_submit(self):
        self._ensure_state("draft")
        for request in self:
            bill, programme = request.move_id, request.programme_id
            if bill.currency_id != programme.currency_id:
                raise UserError(self.env._("%(bill)s is in %(bill_currency)s, the programme lends in %(currency)s.",
                                           bill=bill.name, bill_currency=bill.currency_id.name,
                                           currency=programme.currency_id.name))
            if bill.currency_id.is_zero(bill.amount_residual):
                raise UserError(self.env._("%s has nothing left to pay.", bill.name))
            maturity = bill.invoice_date_due
            if not maturity or maturity <= request.funding_date:
                raise UserError(self.env._("%s falls due by the funding date: there is nothing to finance.",
                                           bill.name))
            eligible, reasons, scorecard, passports = request._evaluate()
            days = finance_math.day_count(request.funding_date, maturity, programme.day_count)
            discount = finance_math.tier_discount_bps(scorecard.grade, programme._tiers()) if eligible else 0
            cost_base, base_rate = programme._cost(bill.amount_residual, days)
            cost_green, green_rate = programme._cost(bill.amount_residual, days, discount)
            snapshot = request._snapshot(eligible, reasons, scorecard, passports)
            request.write({
                "state": "submitted", "submitted_on": fields.Datetime.now(),
                "amount": bill.amount_residual, "maturity_date": maturity, "days": days,
                "day_count": programme.day_count, "base_rate": base_rate, "discount_bps": discount,
                "green_rate": green_rate, "cost_base": cost_base, "cost_green": cost_green,
                "saving": cost_base - cost_green,
                "eligible": eligible, "eligibility_reasons": "\n".join(reasons) or False,
                "scorecard_id": scorecard.id, "scorecard_grade": scorecard.grade,
                "scorecard_score": scorecard.score, "scorecard_verified_share": scorecard.verified_share,
                "scorecard_benchmark_ratio": scorecard.benchmark_ratio,
                "scorecard_benchmark_known": scorecard.benchmark_known,
                "scorecard_period": f"{scorecard.date_from} - {scorecard.date_to}" if scorecard else False,
                "passport_ids": [fields.Command.set(passports.ids)],
                "evidence_attachment_ids": [fields.Command.set(request._copy_evidence(passports).ids)],
                "evidence_json": json.dumps(snapshot, indent=1, sort_keys=True),
                "idempotency_key": str(uuid.uuid4()),
                "pack_state": "pending" if programme.endpoint_url else "none",
            })
            request._attach_pack()
        for request in self.filtered(lambda r: r.pack_state == "pending"):
            request.with_delay(description=self.env._("Send the data pack of %s", request.name),
                               identity_key=f"carbon.finance.request:{request.id}:pack")._send_pack()
        return True

    def action_approve(self):
        self._ensure_state("submitted")
        for request in self:
            if not request.eligible:
                raise UserError(self.env._("%(request)s is not eligible: %(reasons)s",
                                           request=request.name, reasons=request.eligibility_reasons))
        self.state = "approved"

    def action_refuse(self):
        self._ensure_state("draft", "submitted", "approved")
        if any(not (request.refusal_reason or "").strip() for request in self):
            raise UserError(self.env._("Write why the request is refused first."))
        self.state = "refused"

    def action_cancel(self):
        self._ensure_state("draft", "submitted", "approved")
        self.state = "cancelled"

    def _check_accounting(self):
        programme = self.programme_id
        if not (programme.journal_id and programme.payment_journal_id and programme.interest_account_id):
            raise UserError(self.env._("Set the financing journal, repayment journal and financing cost account "
                                       "on %s.", programme.name))

    def action_fund(self):
        """The financier paid the vendor: the bill is settled against the financier, who is now owed the
        amount plus the financing cost (booked as a cost)."""
        self._ensure_state("approved")
        for request in self:
            request._check_accounting()
            bill, programme, currency = request.move_id, request.programme_id, request.currency_id
            payable = bill.line_ids.filtered(lambda line: line.display_type == "payment_term" and not line.reconciled)
            if currency.compare_amounts(sum(payable.mapped("amount_residual_currency")), -request.amount):
                raise UserError(self.env._("%s was paid (partly) since the request was submitted.", bill.name))
            cost = request.cost_green if request.eligible else request.cost_base
            financier = programme.financier_id
            entry = self.env["account.move"].create({
                "move_type": "entry", "journal_id": programme.journal_id.id, "date": request.funding_date,
                "ref": self.env._("%(request)s: %(bill)s funded by %(financier)s", request=request.name,
                                  bill=bill.name, financier=financier.name),
                "line_ids": [
                    request._funding_line(payable[0].account_id, bill.commercial_partner_id, request.amount,
                                          bill.name),
                    request._funding_line(programme.interest_account_id, financier, cost, self.env._(
                        "Financing cost %(days)s days at %(rate)s %%", days=request.days,
                        rate=request.green_rate if request.eligible else request.base_rate)),
                    request._funding_line(financier.property_account_payable_id, financier,
                                          -(request.amount + cost), request.name),
                ],
            })
            entry.action_post()
            (payable | entry.line_ids.filtered(
                lambda line, payable=payable, bill=bill: line.account_id == payable[0].account_id
                and line.partner_id == bill.commercial_partner_id)).reconcile()
            request.write({"state": "funded", "funding_move_id": entry.id})

    def _funding_line(self, account, partner, amount_currency, name):
        """A line of the funding entry in the request's currency, its balance at the funding date's rate."""
        company = self.company_id
        return fields.Command.create({
            "account_id": account.id, "partner_id": partner.id, "name": name,
            "currency_id": self.currency_id.id, "amount_currency": amount_currency,
            "balance": self.currency_id._convert(amount_currency, company.currency_id, company, self.funding_date),
        })

    def action_repay(self):
        """The company repays the financier: an outbound payment of the amount and the cost."""
        self._ensure_state("funded")
        for request in self:
            programme = request.programme_id
            owed = request.funding_move_id.line_ids.filtered(
                lambda line, programme=programme: line.partner_id == programme.financier_id
                and line.account_id == programme.financier_id.property_account_payable_id)
            payment = self.env["account.payment"].create({
                "payment_type": "outbound", "partner_type": "supplier", "partner_id": programme.financier_id.id,
                "amount": -sum(owed.mapped("amount_currency")), "currency_id": request.currency_id.id,
                "journal_id": programme.payment_journal_id.id, "date": request.maturity_date,
                "memo": request.name,
            })
            payment.action_post()
            counterpart = payment.move_id.line_ids.filtered(
                lambda line, owed=owed: line.account_id == owed.account_id)
            (owed | counterpart).reconcile()
            request.write({"state": "repaid", "repayment_payment_id": payment.id})

    # ------------------------------------------------------------------
    # the financier's data pack
    # ------------------------------------------------------------------

    def _pack_data(self):
        """The data pack under schema ``PACK_SCHEMA_VERSION`` (``data/finance_pack.schema.json``), from
        the figures frozen at submission. Money is a decimal string in the currency's decimal places."""
        self.ensure_one()
        bill, programme, currency = self.move_id, self.programme_id, self.currency_id
        evidence = json.loads(self.evidence_json or "{}")

        def party(partner):
            return {"name": partner.name, "vat": partner.vat or None,
                    "country": partner.country_id.code or None}

        return {
            "$schema": PACK_SCHEMA_ID, "schema_version": PACK_SCHEMA_VERSION,
            "request": {
                "reference": self.name, "idempotency_key": self.idempotency_key,
                "submitted_on": fields.Datetime.to_string(self.submitted_on),
                "currency": currency.name, "amount": self._money(self.amount, currency),
                "funding_date": str(self.funding_date), "maturity_date": str(self.maturity_date),
                "days": self.days, "day_count": self.day_count,
            },
            "buyer": party(self.company_id.partner_id),
            "supplier": party(self.partner_id),
            "bill": {
                "reference": bill.name, "vendor_reference": bill.ref or None,
                "date": str(bill.invoice_date), "due_date": str(bill.invoice_date_due),
                "amount_total": self._money(bill.amount_total, currency), "currency": currency.name,
            },
            "programme": {
                "name": programme.name, "instrument": programme.instrument, "financier": party(programme.financier_id),
            },
            "pricing": {
                "base_rate_percent": f"{self.base_rate:.4f}", "discount_bps": self.discount_bps,
                "green_rate_percent": f"{self.green_rate:.4f}",
                "cost_without_discount": self._money(self.cost_base, currency),
                "cost_with_discount": self._money(self.cost_green, currency),
                "saving": self._money(self.saving, currency),
            },
            "eligibility": {"eligible": evidence.get("eligible", False), "reasons": evidence.get("reasons", []),
                            "rules": evidence.get("rules", {})},
            "scorecard": evidence.get("scorecard"),
            "passports": evidence.get("passports", []),
            "files": [{
                "name": attachment.name, "mimetype": attachment.mimetype,
                "sha256": hashlib.sha256(attachment.raw or b"").hexdigest(), "size": len(attachment.raw or b""),
            } for attachment in self.evidence_attachment_ids.sudo()],
        }

    def _pack_xlsx(self, data):
        """The data pack as a workbook: the request, pricing and eligibility, the scorecard, passports."""
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        sheet = workbook.add_worksheet(self.env._("Request"))
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, 1, 48)
        row = 0
        for section in ("request", "bill", "pricing"):
            sheet.write(row, 0, section.title(), bold)
            row += 1
            for key, value in data[section].items():
                sheet.write(row, 0, key)
                sheet.write(row, 1, value)
                row += 1
            row += 1
        sheet.write(row, 0, self.env._("Eligible"), bold)
        sheet.write(row, 1, self.env._("yes") if data["eligibility"]["eligible"] else self.env._("no"))
        for reason in data["eligibility"]["reasons"]:
            row += 1
            sheet.write(row, 1, reason)
        card = workbook.add_worksheet(self.env._("Scorecard"))
        card.set_column(0, 1, 28)
        for row, (key, value) in enumerate((data["scorecard"] or {}).items()):
            card.write(row, 0, key)
            card.write(row, 1, value)
        passports = workbook.add_worksheet(self.env._("Passports"))
        columns = ("reference", "product", "per_unit_kg", "declared_unit", "published_date", "valid_until",
                   "label_grade", "verified")
        passports.write_row(0, 0, columns, bold)
        for row, passport in enumerate(data["passports"], start=1):
            passports.write_row(row, 0, [passport[column] for column in columns])
        files = workbook.add_worksheet(self.env._("Evidence"))
        files.write_row(0, 0, ("name", "mimetype", "sha256", "size"), bold)
        for row, item in enumerate(data["files"], start=1):
            files.write_row(row, 0, [item["name"], item["mimetype"], item["sha256"], item["size"]])
        workbook.close()
        return output.getvalue()

    def _attach_pack(self):
        for request in self:
            data = request._pack_data()
            request.write({
                "pack_json": base64.b64encode(json.dumps(data, indent=1, sort_keys=True).encode()),
                "pack_json_name": f"{request.name.replace('/', '-')}.json",
                "pack_xlsx": base64.b64encode(request._pack_xlsx(data)),
                "pack_xlsx_name": f"{request.name.replace('/', '-')}.xlsx",
            })

    def _pack_body(self):
        """What is posted: the pack, with the XLSX and the evidence files inlined in base64."""
        self.ensure_one()
        data = json.loads(base64.b64decode(self.pack_json))
        contents = {attachment.name: attachment.raw or b"" for attachment in self.evidence_attachment_ids.sudo()}
        for item in data["files"]:
            item["content_base64"] = base64.b64encode(contents.get(item["name"], b"")).decode()
        data["workbook_base64"] = self.pack_xlsx.decode() if isinstance(self.pack_xlsx, bytes) else self.pack_xlsx
        return json.dumps(data, sort_keys=True)

    def action_send_pack(self):
        """Send again, at once, a pack left in error, under the same idempotency key."""
        self.filtered(lambda r: r.pack_state == "error")._send_pack()
        return True

    def _send_pack(self):
        """Post the pack to the programme's endpoint: ``HTTP_ATTEMPTS`` attempts with exponential back-off
        on network errors and retryable answers, every answer logged. Sent, a pack is never sent again;
        failed, the request shows the error and keeps its idempotency key for the next try.

        Submission runs this as a queue job, after the transaction that created the idempotency key has
        committed: a key is never sent before it is stored, so a retry always reuses it."""
        Log = self.env["carbon.finance.send.log"]
        self.flush_recordset(["pack_state"])
        for request in self:
            self.env.cr.execute("SELECT pack_state FROM carbon_finance_request WHERE id = %s FOR UPDATE NOWAIT",
                                [request.id])
            if self.env.cr.fetchone()[0] == "sent":
                continue
            url = request.programme_id.endpoint_url
            if not url or not request.programme_id._endpoint_allowed(url):
                request.write({"pack_state": "error",
                               "pack_error": self.env._("The programme has no allowed HTTPS endpoint.")})
                continue
            body = request._pack_body()
            headers = {"Content-Type": "application/json", "Idempotency-Key": request.idempotency_key,
                       "X-Carbon-Pack-Schema": PACK_SCHEMA_VERSION}
            log_vals, error = [], None
            for attempt in range(1, HTTP_ATTEMPTS + 1):
                started = time.monotonic()
                vals = {"request_id": request.id, "attempt": attempt, "url": url,
                        "idempotency_key": request.idempotency_key}
                retry = False
                try:
                    response = requests.post(url, data=body, headers=headers, timeout=HTTP_TIMEOUT)
                    vals.update(status_code=response.status_code, response_body=response.text[:4000])
                    if response.ok:
                        error = None
                    else:
                        error = self.env._("HTTP %(status)s: %(body)s", status=response.status_code,
                                           body=response.text[:500])
                        retry = response.status_code in RETRY_STATUS
                except requests.RequestException as exc:
                    error = self.env._("%(kind)s: %(message)s", kind=type(exc).__name__, message=exc)
                    retry = True
                vals.update(duration_ms=int((time.monotonic() - started) * 1000), error=error or False)
                log_vals.append(vals)
                if not error or not retry or attempt == HTTP_ATTEMPTS:
                    break
                time.sleep(HTTP_BACKOFF * 2 ** (attempt - 1))
            Log.create(log_vals)
            request.write({"pack_state": "error" if error else "sent", "pack_error": error or False})
