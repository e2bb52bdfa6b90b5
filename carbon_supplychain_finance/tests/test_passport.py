from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PassportCommon


@tagged("post_install", "-at_install")
class TestPassport(PassportCommon):
    """Figures of a passport read from a real flow, against a hand calculation; its life cycle."""

    def test_figures_from_the_ledger(self):
        self._flow()
        passport = self._passport()
        passport.action_compute()
        # received 20 kg: 15 (primary) + 10 (verified) acquired, and the pool of 55 (50 from grid electricity,
        # 5 from the boiler) allocated to the honey sold: 80 kgCO2e / 20 kg = 4.0 per kg
        self.assertRecordValues(passport, [{
            "assessed": True, "uom_id": self.uom_kg.id, "quantity": 20.0, "unassessed_quantity": 0.0,
            "carbon_total": 80.0, "per_unit": 4.0,
            "materials_per_unit": 1.25, "direct_per_unit": 0.0, "energy_per_unit": 2.5, "overhead_per_unit": 0.25,
            "transport_separated": False, "transport_per_unit": 0.0,
            # 180 kg biogenic CO2 of the boiler came into the pool with 55 kgCO2e, all 55 allocated to honey
            "biogenic_per_unit": 9.0,
            "primary_share": 25.0 / 80.0, "verified_share": 10.0 / 80.0,
            "label_grade": False, "label_reason": "no_benchmark",
        }])
        data = passport._footprint_data()
        self.assertEqual(data["per_unit"], 4.0)
        self.assertEqual(data["fossil_per_unit"], 4.0)
        self.assertIsNone(data["transport_per_unit"])
        self.assertIsNone(data["net_per_unit"])
        self.assertEqual(data["standards"], ["GHG Protocol Product Standard", "ISO 14067:2018"])
        self.assertEqual(data["data_quality"], {"technological": 2, "geographical": 1, "temporal": 1})

    def test_transport_from_freight_factors(self):
        freight = self.env["carbon.emission.factor"].create({
            "name": "Road freight, per kg carried", "code": "TEST.FREIGHT", "source": "Test / 2024",
            "basis": "physical", "uom_id": self.uom_kg.id, "value": 0.2, "scope": "3", "scope3_category": "4"})
        parcel = self._product("Delivered parcel", uom=self.uom_kg, factor=freight, categ=self.categ_avco,
                               is_storable=True)
        self._receive(parcel, 5)                                                      # 5 x 0.2 = 1 freight
        passport = self._passport(parcel)
        passport.action_compute()
        self.assertRecordValues(passport, [{"per_unit": 0.2, "transport_separated": True,
                                            "transport_per_unit": 0.2, "materials_per_unit": 0.2}])

    def test_published_passport_never_changes(self):
        self._flow()
        passport = self._passport()
        passport.action_publish()
        self.assertEqual(passport.state, "published")
        self.assertEqual(passport.per_unit, 4.0)
        with self.assertRaisesRegex(UserError, "never changes"):
            passport.valid_until = self.today
        with self.assertRaisesRegex(UserError, "never changes"):
            passport.write({"state": "draft"})
        with self.assertRaisesRegex(UserError, "figures are fixed"):
            passport.action_compute()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            passport.unlink()
        with self.assertRaisesRegex(UserError, "only be deprecated"):
            passport.with_context(carbon_passport_deprecate=True).write({"per_unit": 1.0})

    def test_supersede_chain(self):
        self._flow()
        first = self._passport()
        first.action_publish()
        second = self.Passport.browse(first.action_new_version()["res_id"])
        self.assertRecordValues(second, [{"state": "draft", "replaces_id": first.id, "assessed": False,
                                          "product_id": self.honey.id}])
        self.assertNotEqual(second.access_token, first.access_token)
        second.action_publish()
        self.assertRecordValues(first, [{"state": "deprecated", "replaced_by_id": second.id, "per_unit": 4.0}])
        self.assertRecordValues(second, [{"state": "published", "replaces_id": first.id}])
        # a third passport of the same product published without naming one supersedes the current one
        third = self._passport()
        third.action_publish()
        self.assertRecordValues(second | third, [
            {"state": "deprecated", "replaced_by_id": third.id, "replaces_id": first.id},
            {"state": "published", "replaced_by_id": False, "replaces_id": second.id},
        ])
        with self.assertRaisesRegex(UserError, "never changes"):
            first.valid_until = self.today
        # a version of a passport superseded meanwhile is refused: it would leave two published
        stale = self.Passport.browse(second.copy({"replaces_id": second.id}).id)
        with self.assertRaisesRegex(UserError, "no longer the published passport"):
            stale.action_publish()

    def test_refused_when_nothing_assessed(self):
        self._receive(self.unknown, 3)
        passport = self._passport(self.unknown)
        with self.assertRaisesRegex(UserError, "never with zero"):
            passport.action_publish()
        self.assertRecordValues(passport, [{"state": "draft", "assessed": False, "unassessed_quantity": 3.0}])
        self.assertIsNone(passport._footprint_data()["per_unit"])

    def test_publish_needs_data_quality_and_statement(self):
        self._flow()
        passport = self._passport(dq_temporal=False)
        with self.assertRaisesRegex(UserError, "Temporal Representativeness"):
            passport.action_publish()
        passport.write({"dq_temporal": "2", "verifier_id": self.vendor_b.id})
        with self.assertRaisesRegex(UserError, "verifier's statement"):
            passport.action_publish()
