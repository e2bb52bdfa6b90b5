from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PassportCommon


@tagged("post_install", "-at_install")
class TestLabel(PassportCommon):
    """Label grades against the category benchmark, and the evidence carbon-neutral and
    negative-carbon claims need. The honey's gross footprint is 4.0 kgCO2e per kg (test_passport)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.benchmark = cls.env["carbon.product.benchmark"].create({
            "categ_id": cls.categ_avco.id, "value": 5.0, "uom_id": cls.uom_kg.id, "source": "Test sector study 2024"})

    def test_grade_against_benchmark(self):
        self._flow()
        passport = self._passport()
        passport.action_compute()
        # 4.0 <= 80 % of 5.0
        self.assertRecordValues(passport, [{"benchmark_id": self.benchmark.id, "benchmark_per_unit": 5.0,
                                            "label_grade": "low_carbon", "label_reason": "below_threshold"}])
        # per tonne: 5000 kgCO2e per t is 5 per kg
        self.benchmark.write({"value": 4500.0, "uom_id": self.uom_ton.id})
        passport.action_compute()
        self.assertRecordValues(passport, [{"benchmark_per_unit": 4.5, "label_grade": "benchmark"}])
        self.benchmark.value = 3900.0
        passport.action_compute()
        self.assertEqual(passport.label_grade, "above_benchmark")

    def test_benchmark_of_a_parent_category(self):
        child = self.env["product.category"].create({"name": "Honeys", "parent_id": self.categ_avco.id})
        jar = self._product("Jar", uom=self.uom_unit, categ=child)
        self.assertEqual(self.env["carbon.product.benchmark"]._for_product(jar, self.company), self.benchmark)
        # kg and units share no reference unit, and the jar has no weight: no comparison
        self.assertIsNone(self.benchmark._per_unit_of(jar))

    def test_carbon_neutral_needs_retired_credits_covering_the_claim(self):
        self._flow()
        # 10 kg claimed x 4.0 = 40 kgCO2e: 0.039 t retired is short, graded against the benchmark only
        passport = self._passport(claim_quantity=10, credit_movement_ids=[self._credit_retired(0.039).id])
        passport.action_compute()
        self.assertEqual(passport.label_grade, "low_carbon")
        self.assertEqual(passport.credits_retired, 39.0)
        passport.credit_movement_ids |= self._credit_retired(0.001, "VCS 2025 B")
        passport.action_publish()
        self.assertRecordValues(passport, [{"credits_retired": 40.0, "label_grade": "carbon_neutral",
                                            "label_reason": "credits_cover_footprint", "net_per_unit": 0.0}])
        data = passport._footprint_data()
        self.assertEqual([c["reference"] for c in data["credits"]], ["RET-VCS 2025 A", "RET-VCS 2025 B"])
        self.assertEqual(data["per_unit"], 4.0)   # the gross figure stays
        self.assertIsNone(data["net_per_unit"])   # no removals: no net figure

    def test_claim_needs_named_evidence_and_is_not_counted_twice(self):
        self._flow()
        with self.assertRaisesRegex(UserError, "name the retired credits"):
            self._passport(claim_quantity=10).action_publish()
        retirement = self._credit_retired(0.04)
        self._passport(claim_quantity=10, credit_movement_ids=[retirement.id]).action_publish()
        other = self._passport(self.honey, claim_quantity=10, credit_movement_ids=[retirement.id])
        other.lot_id = self.env["stock.lot"].create({"name": "LOT-X", "product_id": self.honey.id})
        with self.assertRaisesRegex(UserError, "already back the claim"):
            other.action_publish()
        sale = self._credit_retired(0.04, "VCS sold")
        sale.movement_type = "sell"
        with self.assertRaisesRegex(ValidationError, "retirements of credits only"):
            self._passport(credit_movement_ids=[sale.id])

    def test_negative_carbon_needs_verified_removals_exceeding_the_gross_footprint(self):
        self._flow()
        with self.assertRaisesRegex(ValidationError, "Only verified removals"):
            self._passport(claim_quantity=10, removal_ids=[self._removal(1.0, verified=False).id])
        # 0.04 t = 40 kg removed = the gross footprint of 10 kg: not exceeding it
        passport = self._passport(claim_quantity=10, removal_ids=[self._removal(0.04).id])
        passport.action_compute()
        self.assertRecordValues(passport, [{"removals": 40.0, "removals_per_unit": 4.0, "net_per_unit": 0.0,
                                            "label_grade": "low_carbon"}])
        passport.removal_ids |= self._removal(0.001)
        passport.action_publish()
        # 41 kg removed for 10 kg: 4.1 per kg; net -0.1 beside the gross 4.0
        self.assertRecordValues(passport, [{"per_unit": 4.0, "removals": 41.0, "removals_per_unit": 4.1,
                                            "net_per_unit": -0.1, "label_grade": "negative_carbon"}])
        self.assertEqual(passport._footprint_data()["net_per_unit"], -0.1)
