from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common_inclusion import InclusionCommon


@tagged("post_install", "-at_install")
class TestInclusionMethodology(InclusionCommon):
    """The shipped methodologies' worked examples, from the ledger to whole tonnes."""

    def test_biochar_worked_example(self):
        """40 000 kg prunings into the kiln, 10 000 kg biochar weighed, 2 000 kWh billed:
        sink = min(10 000, 40 000 × 0.35) × 0.77 × 0.80 × 44/12 = 22 586.666667
        project = 22 586.666667 − 2 000 × 0.5366 = 21 513.466667 kgCO2e; baseline sink 0, leakage 0;
        deduction 10 % = 2 151.346667; removals 19 362.12 kgCO2e → 19 t issuable."""
        self._consume(self.prunings, 40000, self.kiln)
        self._bill_today(self.power, 2000)
        project = self._biochar_project()
        monitoring = self._period(project)
        monitoring.action_gather()
        self._line(monitoring, "biochar_kg").write({"value": 10000, "attachment_ids": self._evidence("weigh.pdf")})
        monitoring.action_compute()
        self.assertRecordValues(monitoring, [{
            "baseline": 0.0, "project_emissions": 21513.466667, "leakage": 0.0, "net": 21513.466667,
            "deduction": 2151.346667, "result": 19362.12, "issuable_tonnes": 19, "computed": True}])
        self.assertIn("min(biochar_kg, prunings_kg * yield_max)", monitoring.calculation)

    def test_biochar_capped_by_yield(self):
        """Biochar weighed above the prunings' maximum yield counts only up to it: 20 000 kg prunings ×
        0.35 = 7 000 kg; 7 000 × 0.77 × 0.80 × 44/12 = 15 810.666667, no electricity billed."""
        self._consume(self.prunings, 20000, self.kiln)
        monitoring = self._period(self._biochar_project())
        monitoring.action_gather()
        self._line(monitoring, "biochar_kg").write({"value": 9000, "attachment_ids": self._evidence()})
        monitoring.action_compute()
        self.assertRecordValues(monitoring, [{"project_emissions": 15810.666667, "issuable_tonnes": 14}])

    def test_organic_fertiliser_worked_example(self):
        """50 000 kg organic fertiliser into the orchard, 100 L diesel billed:
        N = 50 000 × 0.02 = 1 000 kg; urea equivalent 1 000 / 0.46 = 2 173.913043 kg;
        baseline = 2 173.913043 × (0.20 × 44/12 + 1.3) + 1 000 × 0.01 × 44/28 × 273
                 = 4 420.289855 + 4 290 = 8 710.289855
        project = 50 000 × 0.02 + 4 290 = 5 290; leakage = 100 × 2.68 = 268
        net = 3 152.289855; deduction 10 % = 315.228986; reductions 2 837.060869 → 2 t."""
        self._consume(self.fertiliser, 50000, self.orchard)
        self._bill_today(self.diesel, 100)
        monitoring = self._organic_period()
        self.assertRecordValues(monitoring, [{
            "baseline": 8710.289855, "project_emissions": 5290.0, "leakage": 268.0, "net": 3152.289855,
            "deduction": 315.228986, "result": 2837.060869, "issuable_tonnes": 2}])

    def test_shipped_parameters_cite_or_say_illustrative(self):
        parameters = (self.biochar | self.organic).parameter_ids
        self.assertEqual(sorted(parameters.filtered("illustrative").mapped("code")),
                         ["ef_diesel", "ef_grid", "ef_organic_production", "ef_urea_production", "n_organic",
                          "yield_max"])
        for parameter in parameters - parameters.filtered("illustrative"):
            self.assertRegex(parameter.source, r"IPCC|GB/T")
        self.assertIn("粤环发〔2022〕4号", self.biochar.basis_issuer)

    def test_formula_refused_on_methodology(self):
        with self.assertRaisesRegex(ValidationError, "Attribute is not allowed"):
            self.biochar.copy({"code": "X1", "project_formula": "biochar_kg.__class__"})
        methodology = self.biochar.copy({"code": "X2", "project_formula": "biochar_kg * rainfall"})
        with self.assertRaisesRegex(UserError, "rainfall is not a parameter"):
            methodology._check_formula_names()
        with self.assertRaises(ValidationError):
            self.env["carbon.inclusion.parameter"].create({
                "methodology_id": self.biochar.id, "code": "max", "name": "x", "unit": "-", "value": 1})

    def test_reading_needs_evidence(self):
        self._consume(self.prunings, 1000, self.kiln)
        monitoring = self._period(self._biochar_project())
        monitoring.action_gather()
        self._line(monitoring, "biochar_kg").value = 100
        with self.assertRaisesRegex(UserError, "needs its evidence"):
            monitoring.action_compute()

    def test_ledger_value_not_typed(self):
        monitoring = self._period(self._biochar_project())
        with self.assertRaisesRegex(UserError, "gathered from the ledger"):
            self._line(monitoring, "prunings_kg").value = 5
        with self.assertRaisesRegex(UserError, "gather"):
            monitoring.action_compute()
