from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common_finance import FinanceCommon


@tagged("post_install", "-at_install")
class TestCarbonPaymentTerms(FinanceCommon):
    """Two carbon-linked terms: 2 % within 10 days for grade B or better, 3 % within 15 days for A."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Term = cls.env["account.payment.term"]
        Term.search([("carbon_min_grade", "!=", False)]).active = False
        cls.term_b = Term.create({
            "name": "Green 2/10 net 60", "early_discount": True, "discount_percentage": 2.0, "discount_days": 10,
            "carbon_min_grade": "B", "line_ids": [Command.create({"value": "percent", "value_amount": 100,
                                                                  "nb_days": 60})]})
        cls.term_a = Term.create({
            "name": "Green 3/15 net 60", "early_discount": True, "discount_percentage": 3.0, "discount_days": 15,
            "carbon_min_grade": "A", "line_ids": [Command.create({"value": "percent", "value_amount": 100,
                                                                  "nb_days": 60})]})

    def _draft_bill(self, partner=None):
        return self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": (partner or self.vendor).id, "invoice_date": self.today,
            "invoice_line_ids": [Command.create({"product_id": self.honey.id, "quantity": 100, "price_unit": 1000,
                                                 "tax_ids": [Command.clear()]})],
        })

    def test_grade_a_gets_the_best_term_stated_on_the_bill(self):
        card = self._scorecard("A")
        bill = self._draft_bill()
        bill.action_post()
        self.assertRecordValues(bill, [{
            "invoice_payment_term_id": self.term_a.id, "carbon_term_grade": "A", "carbon_term_scorecard_id": card.id,
            "invoice_date_due": self.today + timedelta(days=60)}])
        self.assertIn("3.0 % discount if paid within 15 days, granted for carbon grade A", bill.carbon_term_note)
        # 100 000 less 3 % = 97 000 if paid by the 15th day
        self.assertRecordValues(bill.line_ids.filtered(lambda line: line.display_type == "payment_term"), [{
            "discount_date": self.today + timedelta(days=15), "discount_amount_currency": -97000.0,
            "amount_currency": -100000.0}])

    def test_grade_b_gets_the_b_term(self):
        self._scorecard("B", score=70.0)
        bill = self._draft_bill()
        self.assertEqual(bill.invoice_payment_term_id, self.term_b)
        self.assertIn("2.0 % discount if paid within 10 days, granted for carbon grade B", bill.carbon_term_note)

    def test_a_vendor_not_qualifying_gets_its_usual_term_and_cannot_be_given_a_green_one(self):
        self._scorecard("C", score=55.0)
        bill = self._draft_bill()
        self.assertFalse(bill.invoice_payment_term_id)
        self.assertFalse(bill.carbon_term_note)
        bill.invoice_payment_term_id = self.term_b
        self.assertFalse(bill.carbon_term_note)
        with self.assertRaises(UserError):
            bill.action_post()
        # no scorecard at all
        bill_b = self._draft_bill(self.vendor_b)
        self.assertFalse(bill_b.invoice_payment_term_id)

    def test_a_carbon_term_grants_an_early_discount(self):
        with self.assertRaises(ValidationError):
            self.term_b.early_discount = False
