from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.carbon_accounting.tests.common_roles import ROLES, WebClientMixin

from .common import ProductionCarbonCommon


@tagged("post_install", "-at_install")
class TestProductionRoles(WebClientMixin, ProductionCarbonCommon):
    """Every carbon role, without Manufacturing rights, opens a production behind a carbon figure
    and its entries, and changes none of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {role: new_test_user(cls.env, login=f"mrp_carbon_{role}", groups=group)
                     for role, group in ROLES.items()}

    def test_roles_open_productions_and_their_entries(self):
        self._receive(self.honey, 4)
        self._receive(self.wine, 2)
        production = self._produce(2, direct=1.5)
        entries = production.move_finished_ids.carbon_move_line_ids.move_id | production.carbon_direct_move_id
        self.assertTrue(entries)
        for role, user in self.users.items():
            with self.subTest(role=role):
                self._open_form(user, production)
                for entry in entries:
                    self._open_form(user, entry)
                self._open_action(user, production.move_finished_ids.with_user(user).action_view_carbon_entries())
                self._open_action(user, self.env.ref("carbon_accounting.stock_move_carbon_action"))
                self.assertFalse(self.env["mrp.production"].with_user(user).has_access("create"))
                form = self.env["mrp.production"].with_user(user).get_views([(False, "form")])["views"]["form"]
                self.assertNotIn('name="button_unbuild"', form["arch"])
                with self.assertRaises(AccessError):
                    production.with_user(user).check_access("write")
