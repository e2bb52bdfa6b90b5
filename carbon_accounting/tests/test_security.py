from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CarbonCommon

PURCHASE = "purchase.group_purchase_user"


@tagged("post_install", "-at_install")
class TestCarbonSecurity(CarbonCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_purchase = new_test_user(cls.env, "buyer", groups=PURCHASE)
        cls.user_carbon = new_test_user(
            cls.env, "carbon_user", groups=f"{PURCHASE},carbon_accounting.group_carbon_user"
        )
        cls.user_auditor = new_test_user(cls.env, "carbon_auditor", groups="carbon_accounting.group_carbon_auditor")
        cls.user_accountant = new_test_user(
            cls.env, "carbon_accountant", groups="carbon_accounting.group_carbon_accountant"
        )
        cls.user_manager = new_test_user(cls.env, "carbon_manager", groups="carbon_accounting.group_carbon_manager")
        cls.factor_vals = {"name": "New", "code": "SEC.NEW", "source": "S", "basis": "physical",
                           "uom_id": cls.uom_kg.id, "value": 1.0}

    def test_buyer_without_carbon_rights_still_gets_carbon_on_orders(self):
        Order = self.env["purchase.order"].with_user(self.user_purchase)
        order = Order.create({"partner_id": self.vendor.id, "order_line": [
            (0, 0, {"product_id": self.fertiliser.id, "product_qty": 3, "price_unit": 1.0}),
        ]})
        order.button_confirm()
        self.assertEqual(order.carbon_amount, 6.0)
        with self.assertRaises(AccessError):
            self.env["carbon.emission.factor"].with_user(self.user_purchase).search([])

    def test_user_reads_but_does_not_manage(self):
        Factor = self.env["carbon.emission.factor"].with_user(self.user_carbon)
        self.assertIn(self.factor_kg, Factor.search([]))
        with self.assertRaises(AccessError):
            Factor.create(self.factor_vals)
        with self.assertRaises(AccessError):
            self.factor_kg.with_user(self.user_carbon).value = 3.0
        with self.assertRaises(AccessError):
            self.env["carbon.factor.import.wizard"].with_user(self.user_carbon).create({})
        with self.assertRaises(AccessError):
            self.env["carbon.xlsx.export"].with_user(self.user_carbon).create({})

    def test_auditor_reads_and_exports(self):
        self.assertTrue(self.env["carbon.emission.factor"].with_user(self.user_auditor).search([]))
        export = self.env["carbon.xlsx.export"].with_user(self.user_auditor).create({})
        export.action_export()
        self.assertTrue(export.file)
        with self.assertRaises(AccessError):
            self.env["carbon.emission.factor"].with_user(self.user_auditor).create(self.factor_vals)

    def test_accountant_manages_factors_not_configuration(self):
        Factor = self.env["carbon.emission.factor"].with_user(self.user_accountant)
        factor = Factor.create(self.factor_vals)
        factor.value = 1.5
        self.env["carbon.factor.import.wizard"].with_user(self.user_accountant).create({})
        with self.assertRaises(AccessError):
            factor.unlink()
        with self.assertRaises(AccessError):
            self.ar6.with_user(self.user_accountant).name = "Changed"

    def test_manager_configures(self):
        factor = self.env["carbon.emission.factor"].with_user(self.user_manager).create(self.factor_vals)
        factor.unlink()
        self.ar6.with_user(self.user_manager).sequence = 5


@tagged("post_install", "-at_install")
class TestCarbonMultiCompany(CarbonCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create({"name": "Lychee Winery B", "currency_id": cls.usd.id})
        cls.factor_b = cls.env["carbon.emission.factor"].create({
            "name": "B's own fertiliser factor", "code": "B.FERT", "source": "B's supplier survey",
            "basis": "physical", "uom_id": cls.uom_kg.id, "value": 9.0, "company_id": cls.company_b.id,
        })
        groups = f"{PURCHASE},carbon_accounting.group_carbon_auditor"
        cls.user_a = new_test_user(cls.env, "user_a", groups=groups, company_id=cls.company_a.id,
                                   company_ids=[(6, 0, cls.company_a.ids)])
        cls.user_b = new_test_user(cls.env, "user_b", groups=groups, company_id=cls.company_b.id,
                                   company_ids=[(6, 0, cls.company_b.ids)])
        # one shared product, a factor per company
        cls.fertiliser.product_tmpl_id.with_company(cls.company_b).carbon_factor_id = cls.factor_b
        cls.order_b = cls.env["purchase.order"].with_company(cls.company_b).create({
            "partner_id": cls.vendor.id, "company_id": cls.company_b.id,
            "order_line": [(0, 0, {"product_id": cls.fertiliser.id, "product_qty": 10, "price_unit": 1.0})],
        })
        cls.order_b.button_confirm()
        cls.order_a = cls._po([(cls.fertiliser, 10, cls.uom_kg, 1.0)], confirm=True)

    def test_each_company_uses_its_own_product_factor(self):
        self.assertRecordValues(self.order_a.order_line + self.order_b.order_line, [
            {"carbon_factor_id": self.factor_kg.id, "carbon_amount": 20.0},
            {"carbon_factor_id": self.factor_b.id, "carbon_amount": 90.0},
        ])

    def test_user_of_a_sees_nothing_of_b(self):
        Factor = self.env["carbon.emission.factor"].with_user(self.user_a)
        self.assertNotIn(self.factor_b, Factor.search([]))
        self.assertIn(self.factor_kg, Factor.search([]), "shared factors are visible to every company")
        with self.assertRaises(AccessError):
            self.factor_b.with_user(self.user_a).read(["value"])
        lines = self.env["purchase.order.line"].with_user(self.user_a).search([("carbon_source", "!=", False)])
        self.assertIn(self.order_a.order_line, lines)
        self.assertNotIn(self.order_b.order_line, lines)
        self.assertEqual(
            self.env["purchase.order"].with_user(self.user_a).search_count([("id", "=", self.order_b.id)]), 0
        )
        # nor in the auditors' export
        report = self.env["carbon.register.report"].with_user(self.user_a)
        codes = [row[0] for row in report._sheet_factors()["rows"]]
        self.assertIn("TEST.FERT", codes)
        self.assertNotIn("B.FERT", codes)
        orders = {row[0] for row in report._sheet_purchases()["rows"]}
        self.assertEqual(orders, {self.order_a.name})

    def test_user_of_b_sees_its_factor(self):
        self.assertIn(self.factor_b, self.env["carbon.emission.factor"].with_user(self.user_b).search([]))

    def test_factor_of_another_company_never_applies(self):
        self.crate.product_tmpl_id.with_company(self.company_a).sudo().carbon_factor_id = self.factor_b
        line = self._po([(self.crate, 1, self.uom_unit, 1.0)]).order_line
        self.assertEqual(line.carbon_source, "unassessed")
        self.assertIn("another company", line.carbon_note)
