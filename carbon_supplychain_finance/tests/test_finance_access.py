from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_finance import FinanceCommon


@tagged("post_install", "-at_install")
class TestFinanceAccess(FinanceCommon):
    """Carbon users read programmes, requests and loans; accountants (with invoicing rights) file,
    submit, fund and repay requests and keep loans; managers set programmes up; companies stay apart."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        invoicing = "account.group_account_invoice"
        cls.user = new_test_user(cls.env, "gf_user", groups=f"{invoicing},carbon_accounting.group_carbon_user")
        cls.accountant = new_test_user(cls.env, "gf_accountant",
                                       groups=f"{invoicing},carbon_accounting.group_carbon_accountant")
        cls.manager = new_test_user(cls.env, "gf_manager",
                                    groups=f"{invoicing},carbon_accounting.group_carbon_manager")
        cls.company_b = cls.env["res.company"].create({"name": "Lychee Winery B", "currency_id": cls.usd.id})
        cls.user_b = new_test_user(cls.env, "gf_user_b", groups=f"{invoicing},carbon_accounting.group_carbon_manager",
                                   company_id=cls.company_b.id, company_ids=[Command.set(cls.company_b.ids)])

    def test_roles(self):
        self._scorecard("A")
        bill = self._bill()
        Request = self.env["carbon.finance.request"]
        with self.assertRaises(AccessError):
            Request.with_user(self.user).create({"programme_id": self.programme.id, "move_id": bill.id})
        request = Request.with_user(self.accountant).create({"programme_id": self.programme.id, "move_id": bill.id})
        request.action_submit()
        request.action_approve()
        request.action_fund()
        request.action_repay()
        self.assertEqual(request.state, "repaid")
        self.assertEqual(request.with_user(self.user).cost_green, 1425.0)
        self.assertEqual(request.with_user(self.user).send_log_ids.ids, [])
        with self.assertRaises(AccessError):
            request.with_user(self.user).write({"funding_date": self.today})
        # programmes: managers only
        with self.assertRaises(AccessError):
            self.programme.with_user(self.accountant).write({"base_rate": 1.0})
        self.programme.with_user(self.manager).write({"base_rate": 6.0})
        self.assertEqual(self.programme.with_user(self.user).tier_ids.mapped("discount_bps"), [80, 50])
        # loans: accountants keep them, users read them
        loan = self.env["carbon.sll.loan"].with_user(self.accountant).create({
            "name": "SLL", "financier_id": self.bank.id, "principal": 1000, "base_margin_bps": 100,
            "target_ids": [Command.create({"kpi": "scope12", "year": self.today.year, "target": 10.0})]})
        self.assertEqual(loan.with_user(self.user).target_ids.kpi, "scope12")
        with self.assertRaises(AccessError):
            loan.with_user(self.user).write({"base_margin_bps": 1})

    def test_companies(self):
        self._scorecard("A")
        request = self._request()
        loan = self.env["carbon.sll.loan"].create({
            "name": "SLL", "financier_id": self.bank.id, "principal": 1000, "base_margin_bps": 100})
        for model, record in (("carbon.finance.request", request), ("carbon.finance.programme", self.programme),
                              ("carbon.finance.programme.tier", self.programme.tier_ids),
                              ("carbon.sll.loan", loan)):
            self.assertFalse(self.env[model].with_user(self.user_b).search([("id", "in", record.ids)]), model)
            with self.assertRaises(AccessError):
                record.with_user(self.user_b).read(["company_id"])
