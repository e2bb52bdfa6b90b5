"""Label grades of product carbon passports, grades of supplier scorecards, GS1 identifiers.

Pure functions, no Odoo import: the models call them, ``tests/unit`` tests them directly.
"""
from urllib.parse import quote

#: A product is low-carbon at or below this share of its category benchmark.
LOW_CARBON_RATIO = 0.8

#: Label grades, best first.
LABEL_GRADES = ("negative_carbon", "carbon_neutral", "low_carbon", "benchmark", "above_benchmark")

#: Data-source rating (pedigree-style, 1 best .. 5 worst) of each data-quality key of the ledger.
SOURCE_RATING = {"verified": 1, "primary": 2, "secondary": 3, "estimate": 4, "factor": 4, "spend": 5, "other": 5}

#: Supplier grades by score (0-100): the lowest score of each grade.
SCORECARD_GRADES = (("A", 80), ("B", 65), ("C", 50), ("D", 35), ("E", 0))


def _exceeds(a, b, digits=6):
    return round(a - b, digits) > 0


def _at_least(a, b, digits=6):
    return round(a - b, digits) >= 0


def label_grade(per_unit, benchmark=None, claim_quantity=0.0, credits_retired=0.0, removals=0.0,
                low_carbon_ratio=LOW_CARBON_RATIO):
    """The label of a product footprint, with the reason, as ``(grade, reason)``.

    :param per_unit: gross cradle-to-gate kgCO2e per declared unit; None when nothing was assessed
    :param benchmark: the category benchmark in kgCO2e per the same unit, or None
    :param claim_quantity: units a carbon-neutral or negative-carbon claim covers (0: no claim)
    :param credits_retired: kgCO2e of retired credits named for the claim
    :param removals: kgCO2e of verified removals assigned to the claim (net of buffer)

    Rules, first that applies:

    1. nothing assessed: ``(None, "unassessed")`` — no label, never a zero footprint;
    2. ``negative_carbon``: verified removals exceed the gross footprint of the quantity claimed;
    3. ``carbon_neutral``: retired credits are named and, with the verified removals, cover at least the
       gross footprint of the quantity claimed;
    4. no benchmark: ``(None, "no_benchmark")``;
    5. ``low_carbon`` at or below ``low_carbon_ratio`` (80 %) of the benchmark, ``benchmark`` at or below
       it, ``above_benchmark`` above it.
    """
    if per_unit is None:
        return None, "unassessed"
    if claim_quantity and claim_quantity > 0:
        gross = per_unit * claim_quantity
        if _exceeds(removals, gross):
            return "negative_carbon", "removals_exceed_footprint"
        if credits_retired > 0 and _at_least(credits_retired + removals, gross):
            return "carbon_neutral", "credits_cover_footprint"
    if benchmark is None:
        return None, "no_benchmark"
    if not _exceeds(per_unit, benchmark * low_carbon_ratio):
        return "low_carbon", "below_threshold"
    if not _exceeds(per_unit, benchmark):
        return "benchmark", "at_or_below_benchmark"
    return "above_benchmark", "above_benchmark"


def source_rating(quality_share):
    """Data-source rating 1 (verified primary data) .. 5 (spend-based or untraced) of a mix of data
    qualities ``{key: share}``, weighed by the shares; None when the mix is empty."""
    total = sum(quality_share.values())
    if total <= 0:
        return None
    return sum(SOURCE_RATING[key] * share for key, share in quality_share.items()) / total


def temporal_rating(age_days):
    """Pedigree temporal rating of evidence ``age_days`` old: 1 under 3 years, 2 under 6, 3 under 10,
    4 under 15, 5 older or no evidence (None)."""
    if age_days is None:
        return 5
    years = age_days / 365.0
    for rating, limit in ((1, 3), (2, 6), (3, 10), (4, 15)):
        if years < limit:
            return rating
    return 5


def scorecard_score(primary_share, verified_share, benchmark_ratio=None, evidence_age_days=None,
                    pact_connected=False):
    """Score 0-100 of a supplier's carbon data for a period.

    - data: 40 points × share of its carbon backed by primary data (verified included) + 20 × share
      backed by verified data;
    - intensity against the category benchmarks (its carbon over what the benchmarks give for the same
      quantities): 25 points at or below 80 %, 15 at or below 100 %, 5 at or below 120 %, 0 above or
      unknown;
    - evidence age of its newest carbon declaration: 10 points within a year, 5 within three, 0 older
      or none;
    - PACT connectivity (footprints exchanged over PACT): 5 points.
    """
    score = 40.0 * primary_share + 20.0 * verified_share
    if benchmark_ratio is not None:
        for limit, points in ((0.8, 25.0), (1.0, 15.0), (1.2, 5.0)):
            if not _exceeds(benchmark_ratio, limit):
                score += points
                break
    if evidence_age_days is not None:
        score += 10.0 if evidence_age_days <= 365 else 5.0 if evidence_age_days <= 1095 else 0.0
    if pact_connected:
        score += 5.0
    return round(score, 6)


def scorecard_grade(score):
    """Grade A (80 and above), B (65), C (50), D (35), E (below 35) of a score; None for no score."""
    if score is None:
        return None
    for grade, floor in SCORECARD_GRADES:
        if _at_least(score, floor):
            return grade
    return "E"


def gs1_check_digit(digits):
    """The GS1 check digit of ``digits`` (the identifier without it): weights 3 and 1 from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def gtin14(barcode):
    """``barcode`` as a GTIN-14 (zero-padded) if it is a GTIN-8, -12, -13 or -14 with a valid check
    digit, else None."""
    code = (barcode or "").strip()
    if len(code) not in (8, 12, 13, 14) or not code.isdigit():
        return None
    if gs1_check_digit(code[:-1]) != code[-1]:
        return None
    return code.zfill(14)


def gs1_digital_link(base_url, gtin, lot=None):
    """The GS1 Digital Link URI of a GTIN-14, and of a lot (batch, AI 10) of it."""
    path = f"/01/{gtin}"
    if lot:
        path += f"/10/{quote(lot, safe='')}"
    return base_url.rstrip("/") + path
