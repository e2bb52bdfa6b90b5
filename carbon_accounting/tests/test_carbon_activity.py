from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CarbonCommon


@tagged("post_install", "-at_install")
class TestCarbonActivity(CarbonCommon):
    """Direct emissions by activity records: carbon from the quantity converted into the factor's
    unit, evidence required, posted Dr overhead pool / Cr direct emissions, reversed as a whole."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Factor = cls.env["carbon.emission.factor"]
        cls.uom_m3 = cls.env.ref("uom.product_uom_cubic_meter")
        cls.factor_r410a = Factor.create({
            "name": "R-410A leak", "code": "TEST.R410A", "source": "IPCC AR5", "basis": "physical",
            "uom_id": cls.uom_kg.id, "value": 2088.0, "scope": "1",
        })
        cls.factor_diesel = Factor.create({
            "name": "Diesel B7, stationary", "code": "TEST.DIESEL.M3", "source": "Test / publisher / 2024",
            "basis": "physical", "uom_id": cls.uom_m3.id, "value": 2680.0, "co2_biogenic": 180.0, "scope": "1",
        })
        cls.accounts = cls.env["carbon.account"]._for_company(cls.company)
        cls.accountant = new_test_user(
            cls.env, "activity_accountant", groups="carbon_accounting.group_carbon_accountant"
        )

    def _activity(self, name, quantity, uom, factor, evidence=True, **vals):
        return self.env["carbon.activity"].create({
            "name": name, "date": date(2024, 6, 10), "quantity": quantity, "uom_id": uom.id, "factor_id": factor.id,
            "attachment_ids": [Command.create({"name": f"{name}.pdf", "raw": b"%PDF reading"})] if evidence else [],
            **vals,
        })

    def test_carbon_and_batch_posting(self):
        top_up = self._activity(
            "R-410A top-up, chiller 2", 120, self.uom_kg, self.factor_r410a, activity_type="fugitive"
        )
        generator = self._activity("Generator diesel", 500, self.uom_litre, self.factor_diesel)
        # 120 kg x 2088 kgCO2e/kg = 250,560 kgCO2e;
        # 500 L = 0.5 m3: 0.5 x 2680 = 1,340 kgCO2e, 0.5 x 180 = 90 kg biogenic
        self.assertRecordValues(top_up + generator, [
            {"factor_quantity": 120.0, "carbon_amount": 250560.0, "co2_biogenic": 0.0, "state": "draft"},
            {"factor_quantity": 0.5, "carbon_amount": 1340.0, "co2_biogenic": 90.0, "state": "draft"},
        ])
        (top_up + generator).action_post()
        self.assertRecordValues(top_up + generator, [{"state": "posted"}, {"state": "posted"}])
        entries = top_up.carbon_move_id + generator.carbon_move_id
        self.assertRecordValues(
            entries,
            [
                {
                    "kind": "activity",
                    "state": "posted",
                    "date": date(2024, 6, 10),
                    "total_carbon": 250560.0,
                    "activity_id": top_up.id,
                },
                {
                    "kind": "activity",
                    "state": "posted",
                    "date": date(2024, 6, 10),
                    "total_carbon": 1340.0,
                    "activity_id": generator.id,
                },
            ],
        )
        self.assertEqual(entries.mapped("secure_sequence_number"), [entries[0].secure_sequence_number,
                                                                    entries[0].secure_sequence_number + 1])
        self.assertRecordValues(
            entries.line_ids.sorted(lambda line: (line.move_id.id, line.id)),
            [
                {
                    "account_id": self.accounts["overhead"].id,
                    "debit": 250560.0,
                    "credit": 0.0,
                    "quantity": 120.0,
                    "product_uom_id": self.uom_kg.id,
                    "unit_carbon": 2088.0,
                    "factor_id": self.factor_r410a.id,
                    "scope": "1",
                },
                {
                    "account_id": self.accounts["direct"].id,
                    "debit": 0.0,
                    "credit": 250560.0,
                    "quantity": -120.0,
                    "product_uom_id": self.uom_kg.id,
                    "unit_carbon": 2088.0,
                    "factor_id": self.factor_r410a.id,
                    "scope": "1",
                },
                {
                    "account_id": self.accounts["overhead"].id,
                    "debit": 1340.0,
                    "credit": 0.0,
                    "quantity": 500.0,
                    "product_uom_id": self.uom_litre.id,
                    "unit_carbon": 2.68,
                    "factor_id": self.factor_diesel.id,
                    "scope": "1",
                },
                {
                    "account_id": self.accounts["direct"].id,
                    "debit": 0.0,
                    "credit": 1340.0,
                    "quantity": -500.0,
                    "product_uom_id": self.uom_litre.id,
                    "unit_carbon": 2.68,
                    "factor_id": self.factor_diesel.id,
                    "scope": "1",
                },
            ],
        )
        self.assertIsNone(self.env["carbon.move"]._check_integrity(self.company))
        with self.assertRaisesRegex(UserError, "reverse"):
            top_up.quantity = 100
        with self.assertRaisesRegex(UserError, "used by confirmed documents"):
            self.factor_r410a.value = 2000.0

    def test_posting_needs_evidence(self):
        activity = self._activity("Boiler gas reading", 10, self.uom_m3, self.factor_diesel, evidence=False)
        with self.assertRaisesRegex(UserError, "evidence"):
            activity.action_post()
        self.assertRecordValues(activity, [{"state": "draft", "carbon_move_id": False}])

    def test_only_per_unit_scope1_factors(self):
        with self.assertRaisesRegex(ValidationError, "not a per-unit Scope 1 factor"):
            self._activity("Fertiliser", 10, self.uom_kg, self.factor_kg)  # Scope 3
        spend_scope1 = self.env["carbon.emission.factor"].create({
            "name": "Fuel spend", "code": "TEST.FUEL.SPEND", "source": "S", "basis": "spend",
            "currency_id": self.usd.id, "value": 0.5, "scope": "1",
        })
        with self.assertRaisesRegex(ValidationError, "not a per-unit Scope 1 factor"):
            self._activity("Fuel", 10, self.uom_unit, spend_scope1)

    def test_incompatible_unit_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be converted"):
            self._activity("Refrigerant", 120, self.uom_litre, self.factor_r410a)

    def test_reversal(self):
        activity = self._activity("Generator diesel", 500, self.uom_litre, self.factor_diesel)
        activity.action_post()
        activity.action_reverse()
        self.assertEqual(activity.state, "reversed")
        entry = activity.carbon_move_id
        reversal = activity.carbon_move_ids - entry
        self.assertRecordValues(reversal, [{"state": "posted", "reversed_entry_id": entry.id, "kind": "activity",
                                            "total_carbon": 1340.0}])
        self.assertRecordValues(reversal.line_ids.sorted("id"), [
            {"account_id": self.accounts["overhead"].id, "debit": 0.0, "credit": 1340.0, "quantity": -500.0},
            {"account_id": self.accounts["direct"].id, "debit": 1340.0, "credit": 0.0, "quantity": 500.0},
        ])
        with self.assertRaises(UserError):
            activity.action_reverse()

    def test_access_and_companies(self):
        auditor = new_test_user(self.env, "activity_auditor", groups="carbon_accounting.group_carbon_auditor")
        user = new_test_user(self.env, "activity_user", groups="carbon_accounting.group_carbon_user")
        Activity = self.env["carbon.activity"].with_user(self.accountant)
        activity = Activity.create({
            "name": "Kiln wood", "quantity": 2, "uom_id": self.uom_ton.id, "factor_id": self.factor_r410a.id,
            "activity_type": "biomass",
            "attachment_ids": [Command.create({"name": "ticket.pdf", "raw": b"%PDF ticket"})],
        })
        activity.action_post()
        self.assertEqual(activity.carbon_amount, 2000 * 2088.0)
        for reader in (auditor, user):
            self.assertEqual(activity.with_user(reader).read(["carbon_amount"])[0]["carbon_amount"], 4176000.0)
            with self.assertRaises(AccessError):
                self.env["carbon.activity"].with_user(reader).create({
                    "name": "x", "quantity": 1, "uom_id": self.uom_kg.id, "factor_id": self.factor_r410a.id})
        other = self.env["res.company"].create({"name": "Other Lychee Farm"})
        elsewhere = self.env["carbon.activity"].create({
            "name": "Other farm's boiler", "company_id": other.id, "quantity": 1, "uom_id": self.uom_kg.id,
            "factor_id": self.factor_r410a.id})
        self.assertFalse(Activity.search([("id", "=", elsewhere.id)]))
        self.assertEqual(Activity.search([("id", "in", (activity | elsewhere).ids)]), activity)
        other_factor = self.env["carbon.emission.factor"].create({
            "name": "Other's refrigerant", "code": "TEST.OTHER", "source": "S", "basis": "physical",
            "uom_id": self.uom_kg.id, "value": 1.0, "scope": "1", "company_id": other.id})
        with self.assertRaises(UserError):
            self._activity("Mixed companies", 1, self.uom_kg, other_factor)
