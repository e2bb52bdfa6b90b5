from datetime import date

from psycopg2.errors import CheckViolation

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CarbonCommon


@tagged("post_install", "-at_install")
class TestEmissionFactor(CarbonCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gas = {g.code: g for g in cls.env["carbon.gas"].search([])}

    def _gas_factor(self, gases, gwp_set=None, **vals):
        return self.env["carbon.emission.factor"].create({
            "name": "Diesel", "code": "TEST.DIESEL", "source": "IPCC 2006", "basis": "physical",
            "uom_id": self.uom_kg.id, "scope": "1", "gwp_set_id": (gwp_set or self.ar6).id,
            "gas_line_ids": [Command.create({"gas_id": self.gas[g].id, "amount": a}) for g, a in gases.items()],
            **vals,
        })

    def test_value_from_gas_breakdown_and_gwp_set(self):
        factor = self._gas_factor({"co2": 3.0, "ch4_fossil": 0.001, "n2o": 0.0001})
        # AR6: CH4 fossil 29.8, N2O 273
        self.assertAlmostEqual(factor.value, 3.0 + 0.0298 + 0.0273, places=6)
        factor.gwp_set_id = self.env.ref("carbon_accounting.gwp_set_ar5")
        # AR5: CH4 fossil 30, N2O 265
        self.assertAlmostEqual(factor.value, 3.0 + 0.030 + 0.0265, places=6)
        self.assertAlmostEqual(
            factor.gas_line_ids.filtered(lambda line: line.gas_id.code == "n2o").co2e, 0.0265, places=6
        )

    def test_gas_without_gwp_in_the_set_is_refused(self):
        partial = self.env["carbon.gwp.set"].create({
            "name": "CO2 only", "code": "CO2ONLY",
            "value_ids": [Command.create({"gas_id": self.gas["co2"].id, "value": 1.0})],
        })
        with self.assertRaisesRegex(ValidationError, "n2o"):
            self._gas_factor({"co2": 1.0, "n2o": 0.1}, gwp_set=partial)

    def test_shipped_gwp_values(self):
        ar6 = self.ar6._gwp_by_gas()
        self.assertEqual((ar6["co2"], ar6["ch4_fossil"], ar6["ch4_biogenic"], ar6["n2o"]), (1.0, 29.8, 27.0, 273.0))
        ar5 = self.env.ref("carbon_accounting.gwp_set_ar5")._gwp_by_gas()
        self.assertEqual((ar5["ch4_biogenic"], ar5["n2o"], ar5["sf6"]), (28.0, 265.0, 23500.0))

    def test_basis_needs_its_unit_or_currency(self):
        Factor = self.env["carbon.emission.factor"]
        base = {"name": "X", "code": "X", "source": "S"}
        with self.assertRaisesRegex(ValidationError, "unit"):
            Factor.create(dict(base, basis="physical", value=1.0))
        with self.assertRaisesRegex(ValidationError, "currency"):
            Factor.create(dict(base, basis="spend", value=1.0))

    @mute_logger("odoo.sql_db")
    def test_negative_factor_is_refused(self):
        with self.assertRaises(CheckViolation), self.cr.savepoint():
            self.factor_kg.value = -1.0
            self.env.flush_all()

    def test_scope3_category_only_for_scope3(self):
        with self.assertRaises(ValidationError):
            self.factor_kg.write({"scope": "1"})

    def test_used_factor_is_locked(self):
        self.assertFalse(self.factor_kg.is_locked)
        self.factor_kg.value = 2.5  # not used yet: free to correct
        order = self._po([(self.fertiliser, 1, self.uom_kg, 1.0)])
        order.order_line.mapped("carbon_amount")
        self.assertFalse(self.factor_kg.is_locked, "an RFQ does not lock a factor")
        order.button_confirm()
        self.factor_kg.invalidate_recordset(["is_locked", "usage_count"])
        self.assertTrue(self.factor_kg.is_locked)
        self.assertEqual(self.factor_kg.usage_count, 1)
        with self.assertRaisesRegex(UserError, "new version"):
            self.factor_kg.value = 3.0
        with self.assertRaisesRegex(UserError, "new version"):
            self.factor_kg.uom_id = self.uom_g
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            self.factor_kg.unlink()
        # what does not change its meaning stays editable
        self.factor_kg.write({"name": "Organic fertiliser (renamed)", "uncertainty": 30.0, "notes": "checked"})
        self.factor_kg.active = False

    def test_used_factor_gases_are_locked(self):
        factor = self._gas_factor({"co2": 3.0})
        self.fertiliser.carbon_factor_id = factor
        self._po([(self.fertiliser, 1, self.uom_kg, 1.0)], confirm=True).order_line.mapped("carbon_amount")
        factor.invalidate_recordset(["is_locked"])
        with self.assertRaisesRegex(UserError, "new version"):
            factor.gas_line_ids.amount = 2.0
        with self.assertRaisesRegex(UserError, "new version"):
            factor.gas_line_ids = [Command.create({"gas_id": self.gas["n2o"].id, "amount": 0.1})]

    def test_new_version_keeps_history(self):
        self.factor_kg.date_from = date(2024, 1, 1)
        order = self._po([(self.fertiliser, 10, self.uom_kg, 1.0)], confirm=True)
        self.assertEqual(order.order_line.carbon_amount, 20.0)
        action = self.factor_kg.action_new_version()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.date_from = date(2025, 1, 1)
        wizard.value = 1.5
        result = wizard.save().action_create_version()
        v2 = self.env["carbon.emission.factor"].browse(result["res_id"])
        self.assertRecordValues(self.factor_kg + v2, [
            {"version": 1, "value": 2.0, "date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31),
             "previous_version_id": False, "code": "TEST.FERT"},
            {"version": 2, "value": 1.5, "date_from": date(2025, 1, 1), "date_to": False,
             "previous_version_id": self.factor_kg.id, "code": "TEST.FERT"},
        ])
        # the confirmed order still points at the version it used, with its figures
        self.assertRecordValues(order.order_line, [{"carbon_factor_id": self.factor_kg.id, "carbon_amount": 20.0}])
        self.assertEqual(v2.display_name, "[TEST.FERT] Lychee fertiliser (v2)")

    def test_new_version_must_start_after_the_current_one(self):
        self.factor_kg.date_from = date(2024, 1, 1)
        wizard = self.env["carbon.factor.version.wizard"].create(
            {"factor_id": self.factor_kg.id, "date_from": date(2023, 1, 1)}
        )
        with self.assertRaises(UserError):
            wizard.action_create_version()

    def test_versions_cannot_overlap(self):
        with self.assertRaisesRegex(ValidationError, "overlap"):
            self.env["carbon.emission.factor"].create({
                "name": "Again", "code": "TEST.FERT", "source": "S", "basis": "physical",
                "uom_id": self.uom_kg.id, "value": 1.0, "scope": "3",
            })

    def test_duplicate_gets_a_new_code(self):
        copy = self.factor_kg.copy()
        self.assertEqual(copy.code, "TEST.FERT-COPY")
        self.assertEqual(copy.version, 1)
