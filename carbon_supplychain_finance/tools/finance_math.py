"""Money arithmetic of green supply-chain finance: day counts, financing cost, green discounts, margin
ratchets. Pure functions on ``Decimal``, no Odoo import: the models call them, ``tests/unit`` tests them.

Rates are annual percentages (``6.5`` is 6.5 % a year); discounts and margin steps are basis points
(1 bp = 0.01 %, so 100 bp = 1 %). Floats coming from the database are read through their shortest
``repr`` (``Decimal(str(x))``), so that ``0.1`` is one tenth, not 0.1000000000000000055511151231257827.

Money is rounded once, at the end, to the currency's decimal places (cents for 2) with ROUND_HALF_UP:
a half cent goes away from zero (0.125 → 0.13, -0.125 → -0.13), as bank statements and most
financiers' term sheets do, rather than Python's default banker's rounding (ROUND_HALF_EVEN, 0.125 → 0.12).
"""
from decimal import ROUND_HALF_UP, Decimal

#: Day-count conventions: (code, label, denominator of the year fraction).
#:
#: - ``act_360`` (Actual/360, money-market basis of USD/EUR/CNY loans): the actual number of days
#:   between the two dates over 360;
#: - ``act_365`` (Actual/365 Fixed, GBP and many CNY bank loans): the actual days over 365, leap years
#:   included (a 366-day leap year costs 366/365 of the annual rate);
#: - ``30_360`` (30/360 Bond Basis, ISDA 2006 §4.16(f)): each month counts 30 days — a start day of 31
#:   becomes 30; an end day of 31 becomes 30 when the start day is (then) 30 or 31 — over 360.
DAY_COUNTS = {"act_360": 360, "act_365": 365, "30_360": 360}

ONE_HUNDRED = Decimal(100)
BPS_PER_PERCENT = Decimal(100)


def to_decimal(value):
    """``value`` (int, float, str or Decimal) as a Decimal; a float through its shortest repr."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def day_count(start, end, convention):
    """The number of days from ``start`` (excluded) to ``end`` (included) under ``convention``.

    :raises ValueError: for an unknown convention or an end before the start
    """
    if convention not in DAY_COUNTS:
        raise ValueError(f"Unknown day-count convention {convention!r}")
    if end < start:
        raise ValueError(f"The period ends ({end}) before it starts ({start})")
    if convention != "30_360":
        return (end - start).days
    d1, d2 = start.day, end.day
    if d1 == 31:
        d1 = 30
    if d2 == 31 and d1 == 30:
        d2 = 30
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)


def round_money(value, decimal_places=2):
    """``value`` rounded to ``decimal_places`` (the currency's: 2 for cents) with ROUND_HALF_UP."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-decimal_places), rounding=ROUND_HALF_UP)


def financing_cost(amount, annual_rate, days, convention, decimal_places=2):
    """Interest on ``amount`` at ``annual_rate`` percent a year for ``days`` days of ``convention``:
    amount × rate / 100 × days / basis, rounded once to the currency's decimal places (ROUND_HALF_UP).

    :raises ValueError: for a negative amount, rate or number of days, or an unknown convention
    """
    if convention not in DAY_COUNTS:
        raise ValueError(f"Unknown day-count convention {convention!r}")
    amount, rate = to_decimal(amount), to_decimal(annual_rate)
    if amount < 0 or rate < 0 or days < 0:
        raise ValueError("Amount, rate and days must not be negative")
    return round_money(amount * rate / ONE_HUNDRED * Decimal(days) / Decimal(DAY_COUNTS[convention]),
                       decimal_places)


def tier_discount_bps(grade, tiers):
    """The green discount in basis points of a scorecard ``grade`` from ``tiers`` ``{grade: bps}``;
    0 for a grade without a tier or no grade (None)."""
    if not grade:
        return 0
    return int(tiers.get(grade, 0))


def discounted_rate(annual_rate, discount_bps):
    """The annual rate in percent less a discount in basis points, never below zero."""
    rate = to_decimal(annual_rate) - Decimal(int(discount_bps)) / BPS_PER_PERCENT
    return max(rate, Decimal(0))


def margin_ratchet(results, step_bps, two_way=False, cap_bps=None):
    """The margin adjustment in basis points of a sustainability-linked loan for a year.

    :param results: one entry per KPI: True when its sustainability performance target is met and
        verified, False when missed, None when not reported or not verified
    :param step_bps: the adjustment a KPI earns (a positive number of basis points)
    :param two_way: one-way ratchets only reward (−step a KPI met, 0 otherwise); two-way ratchets
        also penalise (+step a KPI missed or not reported/verified — an unverified KPI counts as missed,
        as the Sustainability-Linked Loan Principles make verification a condition of the adjustment)
    :param cap_bps: the largest absolute adjustment, or None
    :return: an int, negative when the margin falls
    """
    if step_bps < 0:
        raise ValueError("The ratchet step is a positive number of basis points")
    total = 0
    for met in results:
        if met:
            total -= step_bps
        elif two_way:
            total += step_bps
    if cap_bps is not None:
        total = max(-cap_bps, min(cap_bps, total))
    return total


def target_met(actual, target, lower_is_better=True, digits=6):
    """Whether ``actual`` meets ``target`` (at or below it for an emission KPI, at or above it when
    higher is better), compared at ``digits`` decimals; None when either is unknown (None)."""
    if actual is None or target is None:
        return None
    difference = round(to_decimal(actual) - to_decimal(target), digits)
    return difference <= 0 if lower_is_better else difference >= 0

