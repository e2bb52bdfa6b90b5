import base64
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CarbonCommon

STATEMENT = base64.b64encode(b"Verification statement of the biochar batch")


@tagged("post_install", "-at_install")
class TestRegisters(CarbonCommon):
    """The E-asset (removal) and credit registers: evidence, verification and their reconciliation
    in - retired - sold - reversed = held."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.verifier = cls.env["res.partner"].create({"name": "South China Verification Ltd"})
        cls.buyer = cls.env["res.partner"].create({"name": "Hong Kong Tea House"})

    def _removal(self, tonnes, verified=True, **vals):
        return self.env["carbon.removal"].create({
            "name": "Biochar kiln batch", "method": "biochar", "tonnes": tonnes, "removal_date": date(2026, 3, 1),
            "vintage": 2026, "durability_years": 100, "buffer_percent": 20.0,
            **({"verification_statement": STATEMENT, "verification_statement_name": "statement.pdf",
                "verifier_id": self.verifier.id, "verification_state": "verified"} if verified else {}),
            **vals,
        })

    def _move(self, entry, movement_type, tonnes, **vals):
        field = "removal_id" if entry._name == "carbon.removal" else "credit_id"
        return self.env["carbon.register.movement"].create({
            field: entry.id, "movement_type": movement_type, "tonnes": tonnes, "date": date(2026, 4, 1), **vals})

    def test_removal_register_reconciles(self):
        """12.5 t generated, 4 retired, 2.25 sold, 0.5 reversed: 12.5 - 4 - 2.25 - 0.5 = 5.75 t held;
        net of the 20 % buffer 5.75 x 0.8 = 4.6 t."""
        removal = self._removal(12.5)
        self._move(removal, "retire", 4.0)
        self._move(removal, "sell", 2.25, partner_id=self.buyer.id, reference="Sale contract 2026-07")
        self._move(removal, "reverse", 0.5, reference="Kiln pile fire")
        self.assertRecordValues(removal, [{"retired": 4.0, "sold": 2.25, "reversed_tonnes": 0.5, "held": 5.75,
                                           "held_net_of_buffer": 4.6, "verified_held_net": 4.6}])
        report = self.env["carbon.register.reconciliation"]._read_group(
            [("removal_id", "=", removal.id)], ["flow"], ["tonnes:sum"])
        self.assertEqual(dict(report), {"generated": 12.5, "retire": -4.0, "sell": -2.25, "reverse": -0.5})
        self.assertEqual(sum(tonnes for __, tonnes in report), 5.75)

    def test_credit_register_reconciles_apart(self):
        """Credits: 3 t acquired + 1 t issued, 2.5 retired, 0.5 sold: 4 - 2.5 - 0.5 = 1 t held."""
        Credit = self.env["carbon.credit"]
        vals = {"verification_statement": STATEMENT, "verification_state": "verified", "standard": "VCS",
                "project_name": "Guangxi cookstoves", "registry_name": "Verra", "vintage": 2025}
        acquired = Credit.create({"name": "VCS 2025 A", "origin": "acquired", "partner_id": self.vendor.id,
                                  "tonnes": 3.0, "serial_from": "VCS-1001", "serial_to": "VCS-1003", **vals})
        issued = Credit.create({"name": "CCER 2025 B", "origin": "issued", "tonnes": 1.0, **vals})
        self._move(acquired, "retire", 2.5, reference="Verra retirement 77")
        self._move(issued, "sell", 0.5, partner_id=self.buyer.id)
        self.assertRecordValues(acquired | issued, [{"retired": 2.5, "sold": 0.0, "held": 0.5},
                                                    {"retired": 0.0, "sold": 0.5, "held": 0.5}])
        report = self.env["carbon.register.reconciliation"]._read_group(
            [("credit_id", "in", (acquired | issued).ids)], ["register", "flow"], ["tonnes:sum"])
        self.assertEqual({(register, flow): tonnes for register, flow, tonnes in report},
                         {("credit", "acquired"): 3.0, ("credit", "issued"): 1.0, ("credit", "retire"): -2.5,
                          ("credit", "sell"): -0.5})

    def test_transfer_to_another_holder(self):
        """Carbon-inclusion credits handed to a participant without a sale: 2 t issued, 0.75 t
        transferred, 0.25 t sold: 2 - 0.75 - 0.25 = 1 t held; the transfer is its own flow."""
        credit = self.env["carbon.credit"].create({
            "name": "PHCER 2025 C", "origin": "issued", "tonnes": 2.0, "verification_statement": STATEMENT,
            "verification_state": "verified", "standard": "PHCER", "vintage": 2025})
        self._move(credit, "transfer", 0.75, partner_id=self.buyer.id, reference="Transfer to the cooperative")
        self._move(credit, "sell", 0.25, partner_id=self.buyer.id)
        self.assertRecordValues(credit, [{"transferred": 0.75, "sold": 0.25, "retired": 0.0, "held": 1.0}])
        report = self.env["carbon.register.reconciliation"]._read_group(
            [("credit_id", "=", credit.id)], ["flow"], ["tonnes:sum"])
        self.assertEqual(dict(report), {"issued": 2.0, "transfer": -0.75, "sell": -0.25})
        with (
            self.assertRaisesRegex(ValidationError, "holds 1.000 tCO2e: 1.500 tCO2e cannot go out"),
            self.env.cr.savepoint(),
        ):
            self._move(credit, "transfer", 1.5)

    def test_cannot_take_out_more_than_is_held(self):
        """1 t: 0.75 retired leaves 0.25 held; selling 0.5 more is refused."""
        removal = self._removal(1.0)
        self._move(removal, "retire", 0.75)
        with (
            self.assertRaisesRegex(ValidationError, r"holds 0.250 tCO2e: 0.500 tCO2e cannot go out"),
            self.env.cr.savepoint(),
        ):
            self._move(removal, "sell", 0.5)
        with self.assertRaisesRegex(ValidationError, "holds 0.250"), self.env.cr.savepoint():
            self._move(removal, "reverse", 0.250001)
        self._move(removal, "reverse", 0.25)
        self.assertEqual(removal.held, 0.0)
        with self.assertRaisesRegex(UserError, "cannot be changed"), self.env.cr.savepoint():
            removal.tonnes = 2.0

    def test_unverified_removals_count_nowhere_as_verified(self):
        removal = self._removal(2.0, verified=False)
        self.assertRecordValues(removal, [{"verification_state": "unverified", "held": 2.0,
                                           "held_net_of_buffer": 1.6, "verified_held_net": 0.0}])
        for movement_type in ("retire", "sell", "transfer"):
            with (
                self.assertRaisesRegex(ValidationError, "only verified tonnes can be retired, sold or transferred"),
                self.env.cr.savepoint(),
            ):
                self._move(removal, movement_type, 1.0)
        self._move(removal, "reverse", 0.5)                 # carbon released: it leaves even unverified
        self.assertEqual(removal.held, 1.5)
        report = self.env["carbon.register.reconciliation"]._read_group(
            [("removal_id", "=", removal.id)], ["verification_state"], ["tonnes:sum"])
        self.assertEqual(report, [("unverified", 1.5)])

    def test_verification_needs_a_statement(self):
        removal = self._removal(1.0, verified=False, verifier_id=self.verifier.id)
        with self.assertRaisesRegex(ValidationError, "attach the verifier's statement"), self.env.cr.savepoint():
            removal.action_mark_verified()
        with self.assertRaisesRegex(ValidationError, "attach the verifier's statement"), self.env.cr.savepoint():
            self._removal(1.0, verification_statement=False)
        removal.write({"verification_statement": STATEMENT, "verification_statement_name": "statement.pdf"})
        removal.action_mark_verified()
        self.assertRecordValues(removal, [{"verification_state": "verified", "verification_date": date.today(),
                                           "verified_held_net": 0.8}])
        with self.assertRaisesRegex(UserError, "What a verification attests"), self.env.cr.savepoint():
            removal.buffer_percent = 5.0                   # would count 0.95 t instead of the 0.8 t verified
        removal.action_mark_unverified()
        removal.buffer_percent = 5.0
        self.assertRecordValues(removal, [{"verification_state": "unverified", "verified_held_net": 0.0}])

    def test_acquired_entries_name_their_partner(self):
        with self.assertRaisesRegex(ValidationError, "names the partner"), self.env.cr.savepoint():
            self._removal(1.0, origin="acquired")
        self.assertEqual(self._removal(1.0, origin="acquired", partner_id=self.vendor.id).partner_id, self.vendor)

    def test_access_per_role(self):
        removal = self._removal(1.0)
        auditor = new_test_user(self.env, "reg_auditor", groups="carbon_accounting.group_carbon_auditor")
        user = new_test_user(self.env, "reg_user", groups="carbon_accounting.group_carbon_user")
        accountant = new_test_user(self.env, "reg_accountant", groups="carbon_accounting.group_carbon_accountant")
        for reader in (auditor, user):
            self.assertIn(removal, self.env["carbon.removal"].with_user(reader).search([]))
            self.assertTrue(self.env["carbon.register.reconciliation"].with_user(reader).search(
                [("removal_id", "=", removal.id)]))
            with self.assertRaises(AccessError):
                self.env["carbon.removal"].with_user(reader).create({"name": "X", "method": "other", "tonnes": 1.0})
            with self.assertRaises(AccessError):
                self.env["carbon.credit"].with_user(reader).create({"name": "X", "origin": "issued", "tonnes": 1.0})
            with self.assertRaises(AccessError):
                self.env["carbon.register.movement"].with_user(reader).create(
                    {"removal_id": removal.id, "movement_type": "retire", "tonnes": 0.1})
        with self.assertRaises(AccessError):
            removal.with_user(accountant).action_mark_unverified()
        Removal = self.env["carbon.removal"].with_user(accountant)
        own = Removal.create({"name": "DACCS purchase", "method": "daccs", "origin": "generated", "tonnes": 0.2})
        own.notes = "Delivered with the DAC plant's metering report."
        self._move(removal.with_user(accountant), "retire", 0.5)
        self.assertEqual(removal.held, 0.5)
        with self.assertRaises(AccessError):
            own.unlink()

    def test_company_b_does_not_see_company_a(self):
        removal = self._removal(1.0)
        credit = self.env["carbon.credit"].create({"name": "VCS A", "origin": "issued", "tonnes": 1.0})
        company_b = self.env["res.company"].create({"name": "Lychee Farm B"})
        user_b = new_test_user(self.env, "reg_user_b", groups="carbon_accounting.group_carbon_accountant",
                               company_id=company_b.id, company_ids=[company_b.id])
        self.assertFalse(self.env["carbon.removal"].with_user(user_b).search([]))
        self.assertFalse(self.env["carbon.credit"].with_user(user_b).search([]))
        self.assertFalse(self.env["carbon.register.reconciliation"].with_user(user_b).search([]))
        with self.assertRaises(AccessError):
            removal.with_user(user_b).read(["tonnes"])
        with self.assertRaises(AccessError):
            credit.with_user(user_b).read(["tonnes"])
