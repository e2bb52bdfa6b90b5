from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestLedgerWithoutRemovals(StockCarbonCommon):
    """Removals and offsets never reduce E-liabilities: no entry is made by hand, and no entry touches
    the old removal (700) and offset (800) accounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        kwh = cls.env.ref("carbon_accounting.uom_kwh")
        Factor = cls.env["carbon.emission.factor"]
        grid = Factor.create({"name": "Grid", "code": "TEST.GRID", "source": "MEE", "basis": "physical",
                              "uom_id": kwh.id, "value": 0.5, "scope": "2"})
        diesel = Factor.create({"name": "Diesel", "code": "TEST.DIESEL", "source": "IPCC", "basis": "physical",
                                "uom_id": cls.uom_litre.id, "value": 2.7, "scope": "1"})
        cls.power = cls._product("Electricity", uom=kwh, factor=grid, type="service")
        cls.diesel = cls._product("Diesel", uom=cls.uom_litre, factor=diesel, type="service")
        # The chart of a company set up before 19.0.2: it still has the removal and offset accounts.
        cls.old_accounts = cls._old_accounts()

    @classmethod
    def _old_accounts(cls):
        """The removal (700) and offset (800) accounts of a chart set up before 19.0.2 (archived)."""
        Account = cls.env["carbon.account"].with_context(active_test=False)
        old = Account.search([("company_id", "=", cls.company.id), ("account_type", "in", ("removal", "offset"))])
        return old or Account.create([
            {"code": "700", "name": "Removals (E-assets)", "account_type": "removal", "company_id": cls.company.id,
             "active": False},
            {"code": "800", "name": "Offsets retired", "account_type": "offset", "company_id": cls.company.id,
             "active": False},
        ])

    def _bill(self, product, qty):
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.vendor.id, "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": qty, "price_unit": 0.1})],
        })
        bill.action_post()

    def _manual(self, debit_account, credit_account, amount, name):
        return self.env["carbon.move"].create({"ref": name, "line_ids": [
            Command.create({"account_id": debit_account.id, "name": name, "debit": amount}),
            Command.create({"account_id": credit_account.id, "name": name, "credit": amount}),
        ]})

    def _check(self):
        wizard = self.env["carbon.conservation.wizard"].create({"company_id": self.company.id})
        wizard.action_check()
        return wizard

    def test_removals_and_offsets_do_not_cut_what_customers_receive(self):
        """5600 kWh x 0.5 = 2800 kg in the pool, all delivered honey takes it: 2800 transferred.
        A 1000 kg biochar removal and 500 kg of avoidance offsets, booked against the pool, used to
        leave 2800 - 1000 - 500 = 1300 for the customers."""
        self._bill(self.power, 5600)
        self._receive(self.honey, 10)
        self._deliver(self.honey, 10)
        removal_acc, offset_acc = self.old_accounts.sorted("code")
        biochar = self._manual(removal_acc, self.accounts["overhead"], 1000.0, "Biochar from prunings")
        offsets = self._manual(offset_acc, self.accounts["overhead"], 500.0, "Avoidance credits retired")
        for entry in biochar | offsets:
            with self.assertRaisesRegex(UserError, "cannot be entered by hand"), self.env.cr.savepoint():
                entry.action_post()
        self.env["carbon.removal"].create({
            "name": "Biochar 2026-01", "method": "biochar", "origin": "generated", "tonnes": 1.0,
            "removal_date": fields.Date.today(),
        })
        self.env["carbon.credit"].create({
            "name": "Cookstoves VCS 2025", "credit_type": "avoidance", "origin": "acquired",
            "partner_id": self.vendor.id, "tonnes": 0.5, "date": fields.Date.today(),
        })
        today = fields.Date.today()
        allocation = self.env["carbon.allocation"].create({"date_from": today, "date_to": today})
        allocation.action_compute()
        self.assertEqual(allocation.pool_amount, 2800.0)
        allocation.action_post()
        self.assertRecordValues(allocation.carbon_move_id.line_ids.sorted("debit"), [
            {"account_type": "overhead", "debit": 0.0, "credit": 2800.0},
            {"account_type": "transferred", "debit": 2800.0, "credit": 0.0},
        ])

    def test_scope_1_cannot_be_reduced_by_hand(self):
        """1000 l of diesel x 2.7 = 2700 kg Scope 1. Dr direct 1000 / Cr removals and Dr direct 700 /
        Cr acquired used to bring it to 2700 - 1000 - 700 = 1000."""
        self._bill(self.diesel, 1000)
        removal_acc = self.old_accounts.filtered(lambda a: a.account_type == "removal")
        for debit, credit, amount in ((self.accounts["direct"], removal_acc, 1000.0),
                                      (self.accounts["direct"], self.accounts["acquired"], 700.0)):
            entry = self._manual(debit, credit, amount, "Correction")
            with self.assertRaisesRegex(UserError, "cannot be entered by hand"), self.env.cr.savepoint():
                entry.action_post()
        wizard = self._check()
        self.assertRecordValues(wizard, [{"incurred": 2700.0, "unallocated_pool": 2700.0, "is_balanced": True}])

    def test_no_document_entry_touches_removal_or_offset_accounts(self):
        for account in self.old_accounts:
            entry = self.env["carbon.move"].create({"kind": "allocation", "line_ids": [
                Command.create({"account_id": account.id, "debit": 5.0}),
                Command.create({"account_id": self.accounts["overhead"].id, "credit": 5.0}),
            ]})
            with self.assertRaisesRegex(UserError, "registers"), self.env.cr.savepoint():
                entry.action_post()

    def test_new_chart_has_no_removal_or_offset_account(self):
        company = self.env["res.company"].create({"name": "Lychee Farm B"})
        accounts = self.env["carbon.account"]._for_company(company)
        self.assertNotIn("removal", accounts)
        self.assertNotIn("offset", accounts)
        self.assertEqual(len(accounts), 8)
