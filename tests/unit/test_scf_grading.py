import pytest
from carbon_scf_tools import grading as g


@pytest.mark.parametrize("per_unit, reference, expected", [
    (8.0, 10.0, ("low_carbon", "below_threshold")),          # 80 % of the benchmark: low-carbon
    (8.000001, 10.0, ("benchmark", "at_or_below_benchmark")),
    (10.0, 10.0, ("benchmark", "at_or_below_benchmark")),
    (10.000001, 10.0, ("above_benchmark", "above_benchmark")),
    (0.0, 10.0, ("low_carbon", "below_threshold")),
    (5.0, None, (None, "no_benchmark")),
    (None, 10.0, (None, "unassessed")),                      # nothing assessed: no label, never zero
])
def test_label_grade_against_benchmark(per_unit, reference, expected):
    assert g.label_grade(per_unit, reference) == expected


def test_carbon_neutral_needs_retired_credits_covering_the_gross_footprint():
    # 2 kg a unit x 100 units claimed = 200 kg
    assert g.label_grade(2.0, 10.0, claim_quantity=100, credits_retired=200.0)[0] == "carbon_neutral"
    assert g.label_grade(2.0, 10.0, claim_quantity=100, credits_retired=150.0, removals=50.0)[0] == "carbon_neutral"
    # short of the gross footprint: graded against the benchmark only
    assert g.label_grade(2.0, 10.0, claim_quantity=100, credits_retired=199.99)[0] == "low_carbon"
    # removals alone equal to the footprint: no credits named, not exceeding: no claim
    assert g.label_grade(2.0, 10.0, claim_quantity=100, removals=200.0)[0] == "low_carbon"
    # credits without a quantity claimed claim nothing
    assert g.label_grade(12.0, 10.0, claim_quantity=0, credits_retired=1e6)[0] == "above_benchmark"


def test_negative_carbon_needs_removals_exceeding_the_gross_footprint():
    assert g.label_grade(2.0, None, claim_quantity=100, removals=200.001) == (
        "negative_carbon", "removals_exceed_footprint")
    # retired credits never make a product negative-carbon
    assert g.label_grade(2.0, None, claim_quantity=100, credits_retired=1000.0)[0] == "carbon_neutral"
    assert g.label_grade(None, None, claim_quantity=100, removals=1e6) == (None, "unassessed")


def test_source_rating():
    assert g.source_rating({"verified": 0.4, "primary": 0.6}) == pytest.approx(1.6)
    assert g.source_rating({"spend": 1.0, "verified": 0.0}) == 5
    assert g.source_rating({}) is None


@pytest.mark.parametrize("days, rating", [(None, 5), (0, 1), (1094, 1), (1095, 2), (2190, 3), (3650, 4), (5475, 5)])
def test_temporal_rating(days, rating):
    assert g.temporal_rating(days) == rating


def test_scorecard_score_and_grade():
    # all verified, 75 % of the benchmark, evidence of 100 days, connected: 40 + 20 + 25 + 10 + 5
    assert g.scorecard_score(1.0, 1.0, 0.75, 100, True) == 100.0
    # 60 % primary of which 40 % verified, 110 % of the benchmark, evidence of 2 years: 24 + 8 + 5 + 5
    assert g.scorecard_score(0.6, 0.4, 1.1, 730) == 42.0
    # spend-based only, no benchmark, no evidence
    assert g.scorecard_score(0.0, 0.0) == 0.0
    assert [g.scorecard_grade(s) for s in (100, 80, 79.999, 65, 50, 35, 34.9, 0)] == [
        "A", "A", "B", "B", "C", "D", "E", "E"]
    assert g.scorecard_grade(None) is None


@pytest.mark.parametrize("barcode, expected", [
    ("4006381333931", "04006381333931"),   # EAN-13
    ("96385074", "00000096385074"),        # EAN-8
    ("036000291452", "00036000291452"),    # UPC-A
    ("10012345678902", "10012345678902"),  # GTIN-14
    ("4006381333932", None),               # bad check digit
    ("400638133393", None),                # 12 digits, bad check digit
    ("ABC", None), (False, None), ("123456789", None),
])
def test_gtin14(barcode, expected):
    assert g.gtin14(barcode) == expected


def test_gs1_digital_link():
    assert g.gs1_digital_link("https://x.example/", "04006381333931") == "https://x.example/01/04006381333931"
    assert g.gs1_digital_link("https://x.example", "04006381333931", "L 7/A") == \
        "https://x.example/01/04006381333931/10/L%207%2FA"
