import json
from datetime import date, timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common_finance import FinanceCommon


@tagged("post_install", "-at_install")
class TestFinanceRequest(FinanceCommon):

    def test_cost_with_and_without_the_green_discount(self):
        self._scorecard("A")
        request = self._request()
        request.action_submit()
        # 100 000 x 6.5 % x 90 / 360 = 1 625.00; grade A: 6.5 % - 80 bp = 5.7 %: 100 000 x 5.7 % x 90 / 360 = 1 425.00
        self.assertRecordValues(request, [{
            "state": "submitted", "eligible": True, "eligibility_reasons": False, "amount": 100000.0,
            "maturity_date": self.today + timedelta(days=90), "days": 90, "day_count": "act_360",
            "base_rate": 6.5, "discount_bps": 80, "green_rate": 5.7,
            "cost_base": 1625.0, "cost_green": 1425.0, "saving": 200.0, "scorecard_grade": "A",
            "partner_id": self.vendor.id, "pack_state": "none",
        }])
        self.assertTrue(request.name.startswith("GFR/"))

    def test_grade_b_tier_and_30_360(self):
        self._scorecard("B", score=70.0, date_from=date(2026, 12, 1), date_to=date(2026, 12, 30))
        self.programme.day_count = "30_360"
        bill = self._bill()
        bill.invoice_date_due = date(2027, 1, 31)
        # 30/360 from the 31st to the 31st: 30 days (31 actual)
        request = self._request(bill, funding_date=date(2026, 12, 31))
        request.action_submit()
        # 100 000 x 6.5 % x 30 / 360 = 541.666... -> 541.67; grade B, 6.5 % - 50 bp = 6.0 %: 500.00
        self.assertRecordValues(request, [{
            "days": 30, "discount_bps": 50, "green_rate": 6.0, "cost_base": 541.67, "cost_green": 500.0,
            "saving": 41.67}])

    def test_act_365_rounds_half_up_to_the_cent(self):
        self._scorecard("A")
        self.programme.day_count = "act_365"
        request = self._request(self._bill(amount=1000.0, days=73))
        request.action_submit()
        # 1 000 x 6.5 % x 73 / 365 = 13.00; 1 000 x 5.7 % x 73 / 365 = 11.40
        self.assertRecordValues(request, [{"days": 73, "cost_base": 13.0, "cost_green": 11.4}])
        request = self._request(self._bill(amount=1234.0, days=10))
        request.action_submit()
        # 1 234 x 6.5 % x 10 / 365 = 2.19753...: 2.20; 1 234 x 5.7 % x 10 / 365 = 1.92706...: 1.93
        self.assertRecordValues(request, [{"cost_base": 2.2, "cost_green": 1.93, "saving": 0.27}])

    def test_eligibility_is_frozen_at_submission(self):
        card = self._scorecard("A")
        request = self._request()
        request.action_submit()
        card.write({"grade": "E", "score": 10.0, "verified_share": 0.0})
        self.assertRecordValues(request, [{
            "scorecard_id": card.id, "scorecard_grade": "A", "scorecard_score": 85.0,
            "scorecard_verified_share": 0.6, "scorecard_benchmark_ratio": 0.75, "eligible": True}])
        evidence = json.loads(request.evidence_json)
        self.assertEqual(evidence["scorecard"]["grade"], "A")
        self.assertEqual(evidence["scorecard"]["benchmark_ratio"], 0.75)
        self.assertEqual(evidence["rules"], {"min_grade": "B", "max_benchmark_ratio": 1.0,
                                             "published_passport_required": False, "min_verified_share": 0.5})
        # a deleted scorecard leaves the frozen figures
        card.unlink()
        self.assertRecordValues(request, [{"scorecard_id": False, "scorecard_grade": "A"}])

    def test_ineligible_vendor_pays_the_base_rate_and_cannot_be_approved(self):
        self._scorecard("C", score=55.0, verified_share=0.4, benchmark_ratio=1.1)
        request = self._request()
        request.action_submit()
        self.assertRecordValues(request, [{"eligible": False, "discount_bps": 0, "cost_base": 1625.0,
                                           "cost_green": 1625.0, "saving": 0.0}])
        reasons = request.eligibility_reasons
        self.assertIn("Grade C is below the minimum B", reasons)
        self.assertIn("110.0 % of the benchmark exceeds 100.0 %", reasons)
        self.assertIn("Verified data cover 40.0 %", reasons)
        with self.assertRaises(UserError):
            request.action_approve()
        self.assertFalse(json.loads(request.evidence_json)["eligible"])

    def test_no_scorecard_or_unassessed_is_not_eligible(self):
        request = self._request()
        request.action_submit()
        self.assertRecordValues(request, [{"eligible": False, "scorecard_id": False, "scorecard_grade": False,
                                           "scorecard_period": False, "discount_bps": 0}])
        self.assertIn("No scorecard", request.eligibility_reasons)
        self.assertIsNone(json.loads(request.evidence_json)["scorecard"])
        self._scorecard(None, assessed=False, score=0.0, verified_share=0.0, benchmark_known=False)
        request = self._request(self._bill())
        request.action_submit()
        self.assertIn("unassessed", request.eligibility_reasons)
        self.assertIn("No benchmark covers", request.eligibility_reasons)

    def test_benchmark_ratio_at_the_limit_is_eligible(self):
        self._scorecard("A", benchmark_ratio=1.0, verified_share=0.5)
        request = self._request()
        request.action_submit()
        self.assertTrue(request.eligible)

    def test_published_passport_required(self):
        self._flow()
        self.programme.write({"require_passport": True, "min_grade": False, "check_benchmark": False,
                              "require_verified": False})
        request = self._request()
        request.action_submit()
        self.assertFalse(request.eligible)
        self.assertIn("No published passport valid on the funding date for: Lychee honey", request.eligibility_reasons)
        passport = self._passport(verification_statement=b"JVBERiBzdGF0ZW1lbnQ=",
                                  verification_statement_name="statement.pdf")
        passport.action_compute()
        passport.action_publish()
        request = self._request(self._bill())
        request.action_submit()
        self.assertRecordValues(request, [{"eligible": True, "passport_ids": passport.ids,
                                           "discount_bps": 0}])
        frozen = json.loads(request.evidence_json)["passports"]
        self.assertEqual([(p["reference"], p["verified"]) for p in frozen], [(passport.name, True)])
        self.assertAlmostEqual(frozen[0]["per_unit_kg"], passport.per_unit, places=6)
        self.assertIn("statement.pdf", request.evidence_attachment_ids.mapped("name"))

    def test_fund_and_repay_are_ordinary_accounting(self):
        self._scorecard("A")
        bill = self._bill()
        request = self._request(bill)
        request.action_submit()
        request.action_approve()
        request.action_fund()
        payable = bill.line_ids.filtered(lambda line: line.display_type == "payment_term").account_id
        bank_payable = self.bank.property_account_payable_id
        # the bill is settled against the financier, who is owed 100 000 + 1 425 of financing cost
        self.assertRecordValues(request.funding_move_id.line_ids.sorted("id"), [
            {"account_id": payable.id, "partner_id": self.vendor.id, "debit": 100000.0, "credit": 0.0,
             "reconciled": True},
            {"account_id": self.interest_account.id, "partner_id": self.bank.id, "debit": 1425.0, "credit": 0.0,
             "reconciled": False},
            {"account_id": bank_payable.id, "partner_id": self.bank.id, "debit": 0.0, "credit": 101425.0,
             "reconciled": False},
        ])
        self.assertEqual(request.funding_move_id.journal_id, self.misc_journal)
        self.assertEqual(request.funding_move_id.state, "posted")
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.assertEqual(request.state, "funded")
        request.action_repay()
        payment = request.repayment_payment_id
        self.assertRecordValues(payment, [{
            "partner_id": self.bank.id, "amount": 101425.0, "payment_type": "outbound",
            "journal_id": self.bank_journal.id, "date": request.maturity_date}])
        self.assertTrue(request.funding_move_id.line_ids.filtered(
            lambda line: line.partner_id == self.bank and line.account_id == bank_payable).reconciled)
        self.assertEqual(request.state, "repaid")

    def test_fund_refuses_a_bill_paid_meanwhile(self):
        self._scorecard("A")
        bill = self._bill()
        request = self._request(bill)
        request.action_submit()
        request.action_approve()
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=bill.ids).create(
            {"amount": 100.0})._create_payments()
        with self.assertRaises(UserError):
            request.action_fund()

    def test_workflow_rules(self):
        self._scorecard("A")
        request = self._request()
        with self.assertRaises(UserError):
            request.action_approve()
        with self.assertRaises(UserError):
            request.action_refuse()
        request.refusal_reason = "The bank's limit for the vendor is used up."
        request.action_refuse()
        self.assertEqual(request.state, "refused")
        with self.assertRaises(UserError):
            request.unlink()
        # a refused request frees the bill for another one, an open one does not
        second = self._request(request.move_id)
        with self.assertRaises(ValidationError):
            self._request(request.move_id)
        second.action_cancel()
        self.assertEqual(second.state, "cancelled")
        with self.assertRaises(UserError):
            second.action_submit()

    def test_only_posted_vendor_bills(self):
        bill = self._bill()
        bill.button_draft()
        with self.assertRaises(ValidationError):
            self._request(bill)

    def test_bill_due_by_the_funding_date_is_not_financed(self):
        request = self._request(self._bill(days=0))
        with self.assertRaises(UserError):
            request.action_submit()

    def test_programme_rules(self):
        with self.assertRaises(ValidationError):
            self.programme.base_rate = -1
        with self.assertRaises(ValidationError):
            self.programme.endpoint_url = "http://bank.example/packs"
        with self.assertRaises(ValidationError):
            self.programme.endpoint_url = "http://127.0.0.1:9/packs"
        self.env["ir.config_parameter"].sudo().set_param("carbon_supplychain_finance.allow_http_loopback", "1")
        self.programme.endpoint_url = "http://127.0.0.1:9/packs"
        with self.assertRaises(ValidationError):
            self.programme.endpoint_url = "http://127.0.0.1.evil.example/packs"
        self.programme.endpoint_url = "https://bank.example/packs"
