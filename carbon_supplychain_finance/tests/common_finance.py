from datetime import timedelta

from odoo import Command

from .common import PassportCommon


class FinanceCommon(PassportCommon):
    """A bank's green early-payment programme at 6.5 % a year (Actual/360) with tiers A -80 bp and
    B -50 bp, for vendors graded B or better, at most at their benchmark, with half of their carbon on
    verified data; a posted bill of 100 000 USD of honey from the vendor, due in 90 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = cls.env["res.partner"].create({"name": "Guangzhou Rural Commercial Bank", "is_company": True})
        company = cls.company
        cls.misc_journal = cls.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "general")], limit=1)
        cls.bank_journal = cls.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1)
        cls.interest_account = cls.env["account.account"].create({
            "name": "Supply-chain finance cost", "code": "GF662100", "account_type": "expense"})
        cls.programme = cls.env["carbon.finance.programme"].create({
            "name": "Lychee growers green early payment", "financier_id": cls.bank.id,
            "instrument": "reverse_factoring", "base_rate": 6.5, "day_count": "act_360",
            "currency_id": cls.usd.id, "min_grade": "B", "check_benchmark": True, "max_benchmark_ratio": 1.0,
            "require_verified": True, "min_verified_share": 0.5,
            "tier_ids": [Command.create({"grade": "A", "discount_bps": 80}),
                         Command.create({"grade": "B", "discount_bps": 50})],
            "journal_id": cls.misc_journal.id, "payment_journal_id": cls.bank_journal.id,
            "interest_account_id": cls.interest_account.id,
        })
        cls.Request = cls.env["carbon.finance.request"]

    def _bill(self, amount=100000.0, days=90, partner=None, product=None):
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": (partner or self.vendor).id, "invoice_date": self.today,
            "invoice_payment_term_id": False, "invoice_date_due": self.today + timedelta(days=days),
            "ref": "LYC-2026-001",
            "invoice_line_ids": [Command.create({
                "product_id": (product or self.honey).id, "quantity": 100, "price_unit": amount / 100,
                "tax_ids": [Command.clear()]})],
        })
        bill.action_post()
        return bill

    def _scorecard(self, grade="A", partner=None, **vals):
        return self.env["carbon.supplier.scorecard"].create({
            "company_id": self.company.id, "partner_id": (partner or self.vendor).id,
            "date_from": self.today - timedelta(days=30), "date_to": self.today - timedelta(days=1),
            "assessed": True, "grade": grade, "score": 85.0, "carbon": 1500.0, "primary_share": 1.0,
            "verified_share": 0.6, "benchmark_ratio": 0.75, "benchmark_known": True, **vals,
        })

    def _request(self, bill=None, programme=None, **vals):
        return self.Request.create({
            "programme_id": (programme or self.programme).id, "move_id": (bill or self._bill()).id, **vals})
