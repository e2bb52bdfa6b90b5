from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_roles import ROLES, CarbonRolesCommon


class RoleChecks:
    """What a user with only ``role`` (no rights of Purchase, Inventory or Accounting) opens.
    Mixed into one test case per role."""

    role = None
    # The Carbon menus (xml ids without the module) the role must see.
    menus = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, login=f"carbon_{cls.role}", groups=ROLES[cls.role])

    def _xmlids(self, records):
        return {xmlid.split(".", 1)[1] for xmlid in records.get_external_id().values()}

    def test_menus_open(self):
        menus = self._visible_menus(self.user)
        self.assertLessEqual(set(self.menus), self._xmlids(menus))
        for menu in menus:
            with self.subTest(menu=menu.complete_name):
                self._open_action(self.user, menu.action)

    def test_documents_behind_carbon_open(self):
        for record in (self.factor_kg, self.order, self.receipt, self.receipt.move_ids, self.receipt_entry,
                       self.activity, self.allocation, self.removal, self.credit):
            with self.subTest(record=record._name):
                self._open_form(self.user, record)

    def test_buttons_and_links_open(self):
        factor = self.factor_kg.with_user(self.user)
        self._open_action(self.user, factor.action_view_usage())
        self._open_action(self.user, factor.action_view_versions())
        self._open_action(self.user, self.receipt.with_user(self.user).action_view_carbon_entries())
        self._open_action(self.user, self.receipt.move_ids.with_user(self.user).action_view_carbon_entries())
        self._open_action(self.user, self.order.with_user(self.user).action_view_carbon_lines())
        self._open_action(self.user, self.activity.with_user(self.user).action_view_carbon_moves())
        # The Transfer link of an entry.
        self._open_form(self.user, self.receipt_entry.with_user(self.user).picking_id)

    def test_no_buttons_that_change_documents(self):
        """The order's and the receipt's buttons that change them are their departments'."""
        order_form = self.env["purchase.order"].with_user(self.user).get_views([(False, "form")])["views"]["form"]
        for button in ("button_confirm", "button_cancel", "button_draft", "action_rfq_send", "action_acknowledge",
                       "button_lock", "button_unlock", "print_quotation", "action_carbon_recompute",
                       "purchase_file_uploader"):
            with self.subTest(button=button):
                self.assertNotIn(f'name="{button}"', order_form["arch"])
        picking_form = self.env["stock.picking"].with_user(self.user).get_views([(False, "form")])["views"]["form"]
        self.assertNotIn(str(self.env.ref("stock.act_stock_return_picking").id), picking_form["arch"])
        self.assertNotIn('name="button_validate"', picking_form["arch"])

    def test_carbon_buttons_match_the_role(self):
        """Readers see no button that posts, computes or changes carbon; accountants do."""
        accountant = self.user.has_group("carbon_accounting.group_carbon_accountant")
        forms = {
            "carbon.allocation": ("action_compute", "action_post"),
            "carbon.activity": ("action_post", "action_reverse"),
            "carbon.move": ("action_reverse", "action_cancel"),
            "carbon.removal": ("action_mark_verified", "action_retire", "action_sell", "action_reverse"),
            "carbon.credit": ("action_mark_verified", "action_retire", "action_sell", "action_reverse"),
            "carbon.emission.factor": ("action_new_version",),
        }
        for model, buttons in forms.items():
            arch = self.env[model].with_user(self.user).get_views([(False, "form")])["views"]["form"]["arch"]
            for button in buttons:
                with self.subTest(model=model, button=button):
                    self.assertEqual(f'name="{button}"' in arch, accountant)

    def test_documents_are_read_only(self):
        for record in (self.order, self.receipt, self.receipt.move_ids, self.bill, self.bill_line):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(self.user).check_access("write")
        for model in ("purchase.order", "stock.picking", "account.move"):
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(self.user).has_access("create"))


READ_ONLY_MENUS = (
    "carbon_emission_factor_menu", "carbon_activity_menu", "carbon_move_menu", "carbon_move_line_menu",
    "carbon_allocation_menu", "carbon_removal_menu", "carbon_credit_menu", "carbon_register_movement_menu",
    "carbon_register_reconciliation_menu", "purchase_order_line_carbon_menu",
    "purchase_order_line_carbon_comparison_menu", "stock_move_carbon_menu", "stock_move_carbon_unassessed_menu",
)
AUDIT_MENUS = READ_ONLY_MENUS + (
    "account_move_line_carbon_menu", "carbon_conservation_wizard_menu", "carbon_xlsx_export_menu",
)


@tagged("post_install", "-at_install")
class TestRoleUser(RoleChecks, CarbonRolesCommon):
    role = "user"
    menus = READ_ONLY_MENUS

    def test_user_does_not_open_the_journal(self):
        # An order's form lists its bills, but the bills' forms are for Accounting's readers.
        self.assertFalse(self.env["account.payment"].with_user(self.user).has_access("read"))
        order_form = self.env["purchase.order"].with_user(self.user).get_views([(False, "form")])["views"]["form"]
        self.assertNotIn("action_view_invoice", order_form["arch"])
        self.assertNotIn("action_carbon_recompute", order_form["arch"])
        entry_form = self.env["carbon.move"].with_user(self.user).get_views([(False, "form")])["views"]["form"]
        self.assertNotIn("account_move_id", entry_form["arch"])
        self.assertNotIn(self.env.ref("carbon_accounting.account_move_line_carbon_menu"),
                         self._visible_menus(self.user))
        for model in ("carbon.emission.factor", "carbon.activity", "carbon.allocation", "carbon.removal",
                      "carbon.credit", "carbon.register.movement"):
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(self.user).has_access("create"))


@tagged("post_install", "-at_install")
class TestRoleAuditor(RoleChecks, CarbonRolesCommon):
    role = "auditor"
    menus = AUDIT_MENUS

    def test_auditor_reads_the_journal_behind_carbon(self):
        self._open_form(self.user, self.bill)
        self._open_action(self.user, self.order.with_user(self.user).action_view_invoice())
        self._open_action(self.user, self.env.ref("carbon_accounting.account_move_line_carbon_action"))
        self.assertFalse(self.env["account.move"].with_user(self.user).has_access("write"))
        for model in ("carbon.emission.factor", "carbon.activity", "carbon.allocation", "carbon.removal",
                      "carbon.credit", "carbon.register.movement"):
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(self.user).has_access("create"))
        self.env["carbon.xlsx.export"].with_user(self.user).create({})
        self.receipt_entry.with_user(self.user).action_check_integrity()
        self.env["carbon.conservation.wizard"].with_user(self.user).create({})


@tagged("post_install", "-at_install")
class TestRoleAccountant(RoleChecks, CarbonRolesCommon):
    role = "accountant"
    menus = AUDIT_MENUS + ("carbon_factor_import_wizard_menu",)

    def test_accountant_posts_carbon_not_configuration(self):
        for model in ("carbon.emission.factor", "carbon.activity", "carbon.allocation", "carbon.removal",
                      "carbon.credit"):
            with self.subTest(model=model):
                self.assertTrue(self.env[model].with_user(self.user).has_access("create"))
        self.assertFalse(self.env["carbon.gwp.set"].with_user(self.user).has_access("create"))
        self.assertFalse(self.env["carbon.account"].with_user(self.user).has_access("write"))
        self.assertNotIn(self.env.ref("carbon_accounting.carbon_menu_config"), self._visible_menus(self.user))
        self.assertNotIn(self.env.ref("carbon_accounting.carbon_settings_menu"), self._visible_menus(self.user))


@tagged("post_install", "-at_install")
class TestRoleManager(RoleChecks, CarbonRolesCommon):
    role = "manager"
    menus = AUDIT_MENUS + ("carbon_factor_import_wizard_menu", "carbon_account_menu", "carbon_gwp_set_menu",
                           "carbon_gas_menu")

    def test_manager_configures(self):
        for model in ("carbon.account", "carbon.gwp.set", "carbon.gas", "carbon.emission.factor"):
            with self.subTest(model=model):
                self.assertTrue(self.env[model].with_user(self.user).has_access("unlink"))
        # The company's carbon settings sit in Odoo's Settings, which only administrators open.
        self.assertNotIn(self.env.ref("carbon_accounting.carbon_settings_menu"), self._visible_menus(self.user))
