"""Arithmetic of a science-based (SBTi) reduction target.

Pure functions, no Odoo import. A target reduces a base-year figure (kgCO2e, or kgCO2e per million of
revenue or per unit) linearly: each year takes ``rate`` percent *of the base* off, as the SBTi's
absolute contraction approach does (4.2 %/yr for Scopes 1+2 on a 1.5 °C path, 2.5 %/yr at least for
Scope 3, well-below 2 °C). ``carbon.target`` calls these; ``tests/unit`` tests them.
"""
from .carbon_math import compare, is_zero, round_carbon

#: SBTi Corporate Net-Zero Standard / Criteria v5: linear annual reduction of the base.
RATE_SCOPE12_1_5C = 4.2
#: SBTi Criteria: Scope 3 near-term targets at least "well-below 2 °C".
RATE_SCOPE3_MIN = 2.5
#: SBTi Forest, Land and Agriculture (FLAG) Guidance (2022), absolute FLAG pathway: 3.03 %/yr.
RATE_FLAG = 3.03
#: SBTi near-term targets cover 5 to 10 years from the submission.
TARGET_YEARS_MIN, TARGET_YEARS_MAX = 5, 10
#: A recalculation policy re-baselines when base-year emissions move by this share (percent) or more.
RECALCULATION_THRESHOLD = 5.0
#: The earliest base year the SBTi accepts.
BASE_YEAR_MIN = 2015


def target_figure(base, rate_percent, years_elapsed):
    """The figure of the path ``years_elapsed`` years after the base year: base x (1 - rate x years),
    never below zero."""
    if years_elapsed < 0:
        raise ValueError("a path starts at its base year")
    return round_carbon(max(base * (1.0 - rate_percent / 100.0 * years_elapsed), 0.0))


def reduction_percent(rate_percent, years):
    """The reduction of the base reached after ``years`` years, in percent (at most 100)."""
    return min(round(rate_percent * years, 6), 100.0)


def target_years_ok(reference_year, target_year):
    """True when ``target_year`` is 5 to 10 years after ``reference_year`` (the submission)."""
    return TARGET_YEARS_MIN <= target_year - reference_year <= TARGET_YEARS_MAX


def change_percent(recorded, current):
    """How much ``current`` moved from ``recorded``, in percent of ``recorded`` (signed); None when
    nothing was recorded to compare with."""
    if recorded is None or current is None or is_zero(recorded):
        return None
    return round((current - recorded) / abs(recorded) * 100.0, 2)


def needs_recalculation(recorded, current, threshold=RECALCULATION_THRESHOLD):
    """True when ``current`` differs from ``recorded`` by ``threshold`` percent or more; a figure
    appearing or vanishing (recorded zero, current not) counts as a change too."""
    if recorded is None or current is None:
        return False
    if is_zero(recorded):
        return not is_zero(current)
    return abs(current - recorded) / abs(recorded) * 100.0 >= threshold - 1e-9


def path(base_year, target_year, base, rate_percent, actuals):
    """The path from the base year to the target year, one row a year.

    :param actuals: {year: figure} of the years that have data; a year absent has no data (its actual
        and gap are None, never 0)
    :return: [{"year", "target", "actual", "gap", "status"}], ``gap`` = actual - target (above the
        path when positive), ``status`` "on_track" / "off_track" / "no_data"
    """
    if target_year <= base_year:
        raise ValueError("the target year comes after the base year")
    rows = []
    for year in range(base_year, target_year + 1):
        target = target_figure(base, rate_percent, year - base_year)
        actual = actuals.get(year)
        if actual is None:
            rows.append({"year": year, "target": target, "actual": None, "gap": None, "status": "no_data"})
            continue
        rows.append({
            "year": year, "target": target, "actual": round_carbon(actual), "gap": round_carbon(actual - target),
            "status": "on_track" if compare(actual, target) <= 0 else "off_track",
        })
    return rows


def latest_status(rows):
    """The row of the latest year with data (its ``status`` tells on or off track), or None."""
    return next((row for row in reversed(rows) if row["status"] != "no_data"), None)
