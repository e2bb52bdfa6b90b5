import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_stock import StockCarbonCommon

STATEMENT = base64.b64encode(b"Verification statement of the biochar batch")


@tagged("post_install", "-at_install")
class TestOverview(StockCarbonCommon):
    """The overview's figures, built by carbon.overview apart from the client action that shows them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Factor = cls.env["carbon.emission.factor"]
        kwh = cls.env.ref("carbon_accounting.uom_kwh")
        grid = Factor.create({"name": "Grid", "code": "TEST.OV.GRID", "source": "MEE", "basis": "physical",
                              "uom_id": kwh.id, "value": 0.5, "scope": "2"})
        cls.diesel_burnt = Factor.create({"name": "Diesel burnt", "code": "TEST.OV.DIESEL", "source": "IPCC",
                                          "basis": "physical", "uom_id": cls.uom_litre.id, "value": 2.7, "scope": "1"})
        cls.power = cls._product("Electricity", uom=kwh, factor=grid, type="service")
        cls.verifier = cls.env["res.partner"].create({"name": "South China Verification Ltd"})
        cls.today = fields.Date.context_today(cls.env["carbon.move"])
        cls.accountant = new_test_user(
            cls.env, "overview_accountant", groups="carbon_accounting.group_carbon_accountant",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])

    def _bill(self, product, qty, partner):
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": partner.id, "invoice_date": self.today,
            "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": qty, "price_unit": 0.1})],
        })
        bill.action_post()
        return bill

    def _activity(self, litres, company=None):
        activity = self.env["carbon.activity"].with_company(company or self.company).create({
            "name": "Generator diesel", "date": self.today, "quantity": litres, "uom_id": self.uom_litre.id,
            "factor_id": self.diesel_burnt.id,
            "attachment_ids": [Command.create({"name": "reading.pdf", "raw": b"%PDF meter reading"})],
        })
        activity.action_post()
        return activity

    def _removal(self, tonnes, verified=True):
        return self.env["carbon.removal"].create({
            "name": "Biochar kiln batch", "method": "biochar", "tonnes": tonnes, "removal_date": self.today,
            "vintage": self.today.year, "durability_years": 100, "buffer_percent": 20.0,
            **({"verification_statement": STATEMENT, "verification_statement_name": "statement.pdf",
                "verifier_id": self.verifier.id, "verification_state": "verified"} if verified else {}),
        })

    def _overview(self, user=None, date_from=None, date_to=None):
        overview = self.env["carbon.overview"].with_user(user or self.accountant)
        return overview._get_data(self.company, date_from or self.today.replace(day=1), date_to or self.today)

    def test_figures_of_a_small_flow(self):
        """100 kg of honey received at 2 kg/kg: 200 acquired into inventory; 40 kg delivered at the
        average 2: 80 transferred, 120 left. 1000 kWh billed at 0.5: 500 Scope 2, 100 L of diesel burnt
        at 2.7: 270 Scope 1, both into the pool: 770. Taken on: 270 + 500 + 200 = 970. 12.5 t removed,
        verified, 20 % buffer: 10 t held net, apart; 3 t unverified count nowhere. 10 unknown jars
        received at 1 USD: 1 of the 3 valued moves, 10 of the 110 USD bought (9.1 %) unassessed."""
        self._receive(self.honey, 100)
        self._deliver(self.honey, 40)
        self._bill(self.power, 1000, self.vendor_b)
        self._activity(100)
        self._removal(12.5)
        self._removal(3.0, verified=False)
        jars = self._receive(self.unknown, 10)

        data = self._overview()
        self.assertEqual(data["empty"], False)
        self.assertEqual(data["steps"], [])
        self.assertEqual(data["company"], {"id": self.company.id, "name": self.company.name})
        self.assertEqual((data["date_from"], data["date_to"]), (str(self.today.replace(day=1)), str(self.today)))
        self.assertEqual(data["lock_date"], False)
        self.assertEqual(data["scopes"], {"scope1": 270.0, "scope2": 500.0, "acquired": 200.0, "total": 970.0})
        self.assertEqual((data["inventory"], data["wip"], data["overhead"], data["transferred"], data["writeoff"]),
                         (120.0, 0.0, 770.0, 80.0, 0.0))
        self.assertEqual([(r["name"], r["carbon"]) for r in data["top_products"]],
                         [(self.power.display_name, 500.0), (self.honey.display_name, 200.0)])
        self.assertEqual([(r["name"], r["carbon"]) for r in data["top_suppliers"]],
                         [(self.vendor_b.display_name, 500.0), (self.vendor.display_name, 200.0)])
        self.assertEqual([(r["name"], r["carbon"]) for r in data["top_customers"]],
                         [(self.customer.display_name, 80.0)])

        moves = data["unassessed"]["stock_moves"]
        self.assertEqual({k: moves[k] for k in ("count", "total", "share", "quantities")},
                         {"count": 1, "total": 3, "share": 33.3,
                          "quantities": [{"uom": self.uom_unit.name, "quantity": 10.0}]})
        self.assertEqual(self.env["stock.move"].search(moves["link"]["domain"]), jars)
        self.assertEqual(moves["link"]["res_model"], "stock.move")
        purchases = data["unassessed"]["purchase_lines"]
        self.assertEqual({k: purchases[k] for k in ("count", "spend", "total_spend", "share", "currency_id")},
                         {"count": 1, "spend": 10.0, "total_spend": 110.0, "share": 9.1,
                          "currency_id": self.usd.id})
        self.assertEqual(self.env["purchase.order.line"].search(purchases["link"]["domain"]),
                         jars.purchase_line_id)

        self.assertEqual({k: data["integrity"][k] for k in ("checked", "intact", "broken_entry")},
                         {"checked": False, "intact": False, "broken_entry": False})
        self.env["carbon.move"].with_company(self.company).action_check_integrity()
        integrity = self.env["carbon.overview"]._get_data(self.company, self.today, self.today)["integrity"]
        self.assertEqual({k: integrity[k] for k in ("checked", "intact", "broken_entry", "user")},
                         {"checked": True, "intact": True, "broken_entry": False, "user": self.env.user.name})
        removals = data["removals"]
        self.assertEqual({k: removals[k] for k in ("count", "held", "held_net", "unverified_count")},
                         {"count": 1, "held": 12.5, "held_net": 10.0, "unverified_count": 1})

        # The links open the ledger lines behind each figure.
        Line = self.env["carbon.move.line"]
        self.assertEqual(sum(Line.search(data["links"]["scope1"]["domain"]).mapped("balance")), -270.0)
        self.assertEqual(sum(Line.search(data["links"]["inventory"]["domain"]).mapped("balance")), 120.0)
        self.assertEqual(sum(Line.search(data["top_customers"][0]["link"]["domain"]).mapped("balance")), 80.0)

    def test_balances_stand_at_the_end_of_the_period(self):
        """A period that ended yesterday holds none of today's flows, nor today's inventory."""
        self._receive(self.honey, 100)
        self.company.carbon_lock_date = self.today - timedelta(days=40)
        yesterday = self.today - timedelta(days=1)
        data = self._overview(date_from=yesterday - timedelta(days=30), date_to=yesterday)
        self.assertEqual(data["empty"], False)
        self.assertEqual(data["scopes"], {"scope1": 0.0, "scope2": 0.0, "acquired": 0.0, "total": 0.0})
        self.assertEqual((data["inventory"], data["transferred"]), (0.0, 0.0))
        self.assertEqual((data["top_products"], data["top_suppliers"]), ([], []))
        self.assertEqual(data["lock_date"], str(self.today - timedelta(days=40)))
        self.assertEqual(self._overview()["inventory"], 200.0)

    def test_empty_company_is_told_what_to_do_first(self):
        company = self.env["res.company"].create({"name": "Lychee Newcomer Ltd"})
        user = new_test_user(self.env, "newcomer_accountant", groups="carbon_accounting.group_carbon_accountant",
                             company_id=company.id, company_ids=[Command.set(company.ids)])
        data = self.env["carbon.overview"].with_user(user).with_company(company)._get_data(
            company, self.today.replace(day=1), self.today)
        self.assertEqual(data["empty"], True)
        self.assertNotIn("scopes", data)
        self.assertEqual([(s["key"], s["done"]) for s in data["steps"]],
                         [("factors", True), ("products", False), ("activities", False)])
        factors, products, activities = data["steps"]
        self.assertEqual(factors["link"]["res_model"], "carbon.factor.import.wizard")
        self.assertEqual(products["link"]["context"], {"search_default_carbon_without_factor": 1})
        self.assertEqual(activities["link"]["res_model"], "carbon.activity")
        self.assertEqual(self.env["carbon.overview"].with_user(user).with_company(company).get_overview_data(
            str(self.today.replace(day=1)), str(self.today))["empty"], True)

    def test_a_user_of_one_company_does_not_see_another(self):
        """Company B burns 100 L (270 kg); a user of company A sees A's board only."""
        self._activity(10)
        company_b = self.env["res.company"].create({"name": "Other Orchard Ltd"})
        self._activity(100, company=company_b)
        data = self.env["carbon.overview"].with_user(self.accountant).get_overview_data(
            str(self.today.replace(day=1)), str(self.today))
        self.assertEqual(data["company"]["id"], self.company.id)
        self.assertEqual(data["scopes"]["scope1"], 27.0)
        with self.assertRaises(AccessError):
            self.env["carbon.overview"].with_user(self.accountant)._get_data(company_b, self.today, self.today)
        with self.assertRaises(AccessError):
            self.env["carbon.overview"].with_user(self.accountant).with_context(
                allowed_company_ids=company_b.ids).get_overview_data(str(self.today), str(self.today))
        board_b = self.env["carbon.overview"].with_company(company_b)._get_data(company_b, self.today, self.today)
        self.assertEqual(board_b["scopes"]["scope1"], 270.0)

    def test_a_carbon_user_reads_the_board(self):
        """A carbon user reads the ledger figures and the unassessed stock moves and purchase lines
        (the role reads them); the integrity checks, kept for auditors, are left out, not shown empty."""
        self._activity(10)
        user = new_test_user(self.env, "overview_user", groups="carbon_accounting.group_carbon_user",
                             company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        data = self._overview(user=user)
        self.assertEqual(data["scopes"]["scope1"], 27.0)
        self.assertEqual((data["unassessed"]["stock_moves"]["count"], data["unassessed"]["purchase_lines"]["count"]),
                         (0, 0))
        self.assertIsNone(data["integrity"])
