from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import PassportCommon


class DeclarationCommon(PassportCommon):
    """The vendor sells honey (declared 1.5 kgCO2e/kg, primary) and has a portal user; vendor B sells
    honey too; a buyer reviews declarations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Info = cls.env["product.supplierinfo"]
        cls.info = Info.create({"partner_id": cls.vendor.id, "product_tmpl_id": cls.honey.product_tmpl_id.id,
                                "carbon_intensity": 1.5, "carbon_data_quality": "primary", "price": 1.0})
        cls.info_b = Info.create({"partner_id": cls.vendor_b.id, "product_tmpl_id": cls.honey.product_tmpl_id.id,
                                  "price": 1.0})
        cls.vendor.is_company = True
        contact = cls.env["res.partner"].create({"name": "Ms Chen", "parent_id": cls.vendor.id,
                                                 "email": "chen@orchard.example"})
        cls.portal_user = new_test_user(cls.env, "orchard_portal", groups="base.group_portal",
                                        partner_id=contact.id)
        cls.portal_user_b = new_test_user(cls.env, "packaging_portal", groups="base.group_portal",
                                          partner_id=cls.vendor_b.id)
        cls.buyer = new_test_user(cls.env, "honey_buyer", groups="purchase.group_purchase_user",
                                  company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.Declaration = cls.env["carbon.supplier.declaration"]

    def _declare(self, info=None, **vals):
        info = info or self.info
        return self.Declaration.create({
            "supplierinfo_id": info.id, "partner_id": info.partner_id.id, "carbon_intensity": 1.2,
            "data_quality": "verified", "fossil_ghg": 1.1, "land_use_change": 0.1, "primary_data_share": 80.0,
            **vals})


@tagged("post_install", "-at_install")
class TestSupplierDeclaration(DeclarationCommon):

    def test_approval_updates_the_price_line_keeping_history(self):
        first = self._declare()
        first.with_user(self.buyer).action_approve()
        self.assertRecordValues(self.info, [{"carbon_intensity": 1.2, "carbon_data_quality": "verified"}])
        self.assertRecordValues(first, [{"state": "approved", "reviewer_id": self.buyer.id,
                                         "previous_intensity": 1.5, "previous_data_quality": "primary"}])
        second = self._declare(carbon_intensity=1.0)
        second.action_approve()
        self.assertEqual(self.info.carbon_intensity, 1.0)
        self.assertEqual(second.previous_intensity, 1.2)
        history = self.Declaration.search([("supplierinfo_id", "=", self.info.id), ("state", "=", "approved")])
        self.assertEqual(history.mapped("carbon_intensity"), [1.0, 1.2])
        with self.assertRaises(UserError):
            first.action_approve()

    def test_refusal_needs_a_reason_and_changes_nothing(self):
        declaration = self._declare()
        with self.assertRaises(UserError):
            declaration.with_user(self.buyer).action_refuse()
        declaration.with_user(self.buyer).write({"refusal_reason": "The EPD covers another orchard."})
        declaration.with_user(self.buyer).action_refuse()
        self.assertEqual(declaration.state, "refused")
        self.assertRecordValues(self.info, [{"carbon_intensity": 1.5, "carbon_data_quality": "primary"}])

    def test_rules(self):
        with self.assertRaises(ValidationError):
            self._declare(carbon_intensity=-1)
        with self.assertRaises(ValidationError):
            self._declare(primary_data_share=120)
        with self.assertRaises(ValidationError):
            self._declare(info=self.info_b, partner_id=self.vendor.id)

    def test_a_vendor_sees_only_its_own(self):
        mine = self._declare()
        theirs = self._declare(info=self.info_b)
        Declaration = self.Declaration.with_user(self.portal_user)
        self.assertEqual(Declaration.search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.portal_user).read(["carbon_intensity"])
        with self.assertRaises(AccessError):
            mine.with_user(self.portal_user).write({"carbon_intensity": 0.1})
        with self.assertRaises(AccessError):
            mine.with_user(self.portal_user).action_approve()
        self.assertEqual(self.Declaration.with_user(self.portal_user_b).search([]), theirs)


@tagged("post_install", "-at_install", "carbon_tour")
class TestSupplierPortalTour(HttpCase, DeclarationCommon):

    def test_submit_and_approve(self):
        self.start_tour("/my/carbon", "carbon_supplier_declare_tour", login="orchard_portal")
        declaration = self.Declaration.search([("partner_id", "=", self.vendor.id)])
        self.assertRecordValues(declaration, [{
            "state": "submitted", "carbon_intensity": 1.2, "fossil_ghg": 1.1, "primary_data_share": 80.0,
            "data_quality": "primary", "supplierinfo_id": self.info.id, "submitted_by_id": self.portal_user.id}])
        self.start_tour("/odoo/action-carbon_supplychain_finance.carbon_supplier_declaration_action",
                        "carbon_supplier_approve_tour", login="honey_buyer")
        self.assertEqual(declaration.state, "approved")
        self.assertRecordValues(self.info, [{"carbon_intensity": 1.2, "carbon_data_quality": "primary"}])

    def test_a_vendor_cannot_open_another_vendors_line(self):
        self.authenticate("orchard_portal", "orchard_portal")
        response = self.url_open(f"/my/carbon/declare/{self.info_b.id}")
        self.assertEqual(response.status_code, 404)
        page = self.url_open("/my/carbon").text
        self.assertIn("Lychee honey", page)
        self.assertEqual(page.count("o_carbon_price_line"), 1)
