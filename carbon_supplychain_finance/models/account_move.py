from odoo import api, fields, models
from odoo.exceptions import UserError

from .carbon_finance_programme import GRADE_ORDER
from .carbon_supplier_scorecard import GRADES


def _qualifies(grade, minimum):
    return bool(grade) and GRADE_ORDER.index(grade) <= GRADE_ORDER.index(minimum)


class AccountMove(models.Model):
    _inherit = "account.move"

    carbon_term_scorecard_id = fields.Many2one(
        "carbon.supplier.scorecard", string="Carbon Terms Scorecard", compute="_compute_carbon_term", store=True,
        readonly=True, help="The vendor's scorecard the carbon-linked payment term was granted on.")
    carbon_term_grade = fields.Selection(GRADES, compute="_compute_carbon_term", store=True, readonly=True)
    carbon_term_note = fields.Char(string="Carbon-linked Terms", compute="_compute_carbon_term", store=True,
                                   readonly=True)

    def _carbon_scorecard(self):
        """The vendor's latest scorecard for a period ended by the bill date (today for an undated bill)."""
        self.ensure_one()
        return self.env["carbon.supplier.scorecard"].search([
            ("company_id", "=", self.company_id.id), ("partner_id", "=", self.commercial_partner_id.id),
            ("date_to", "<=", self.invoice_date or fields.Date.context_today(self))],
            order="date_to desc, id desc", limit=1)

    def _carbon_payment_terms(self):
        self.ensure_one()
        return self.env["account.payment.term"].search([
            ("carbon_min_grade", "!=", False), ("early_discount", "=", True),
            ("company_id", "in", (False, self.company_id.id))])

    @api.depends("partner_id")
    def _compute_invoice_payment_term_id(self):
        """A vendor whose grade qualifies for a carbon-linked term gets the one with the largest discount."""
        result = super()._compute_invoice_payment_term_id()
        for move in self.filtered(lambda m: m.move_type == "in_invoice" and m.partner_id):
            terms = move._carbon_payment_terms()
            if not terms:
                continue
            grade = move._carbon_scorecard().grade
            terms = terms.filtered(lambda t, grade=grade: _qualifies(grade, t.carbon_min_grade))
            if terms:
                move.invoice_payment_term_id = max(terms, key=lambda t: (t.discount_percentage, -t.id))
        return result

    @api.depends("invoice_payment_term_id", "partner_id", "invoice_date")
    def _compute_carbon_term(self):
        for move in self:
            term = move.invoice_payment_term_id
            card = move._carbon_scorecard() if term.carbon_min_grade and move.is_purchase_document() else None
            if not card or not _qualifies(card.grade, term.carbon_min_grade):
                move.update({"carbon_term_scorecard_id": False, "carbon_term_grade": False,
                             "carbon_term_note": False})
                continue
            move.update({
                "carbon_term_scorecard_id": card.id, "carbon_term_grade": card.grade,
                "carbon_term_note": self.env._(
                    "Carbon-linked early payment: %(discount)s %% discount if paid within %(days)s days, granted "
                    "for carbon grade %(grade)s (scorecard %(date_from)s to %(date_to)s; %(minimum)s or better "
                    "qualifies).", discount=term.discount_percentage, days=term.discount_days, grade=card.grade,
                    date_from=card.date_from, date_to=card.date_to, minimum=term.carbon_min_grade),
            })

    def _post(self, soft=True):
        for move in self.filtered(lambda m: m.is_purchase_document() and m.invoice_payment_term_id.carbon_min_grade
                                  and not m.carbon_term_note):
            raise UserError(self.env._(
                "%(term)s is granted to vendors graded %(grade)s or better: %(vendor)s does not qualify on its latest "
                "scorecard.", term=move.invoice_payment_term_id.name,
                grade=move.invoice_payment_term_id.carbon_min_grade, vendor=move.commercial_partner_id.display_name))
        return super()._post(soft=soft)
