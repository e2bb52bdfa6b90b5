"""Money arithmetic of green supply-chain finance, against hand calculations."""
from datetime import date
from decimal import Decimal

import pytest
from carbon_scf_tools import finance_math as fm


@pytest.mark.parametrize("start, end, convention, expected", [
    (date(2026, 1, 31), date(2026, 3, 31), "act_360", 59),     # 0 + 28 + 31
    (date(2026, 1, 31), date(2026, 3, 31), "act_365", 59),
    (date(2026, 1, 31), date(2026, 3, 31), "30_360", 60),      # 31 -> 30, then 31 -> 30: 2 months x 30
    (date(2026, 2, 28), date(2026, 3, 31), "30_360", 33),      # start 28 stays, end 31 stays: 30 + 3
    (date(2026, 1, 15), date(2026, 2, 15), "30_360", 30),
    (date(2026, 12, 15), date(2027, 1, 10), "30_360", 25),     # 360 x 1 + 30 x (-11) + (10 - 15)
    (date(2028, 1, 1), date(2029, 1, 1), "act_365", 366),      # a leap year
    (date(2026, 5, 1), date(2026, 5, 1), "act_360", 0),
])
def test_day_count(start, end, convention, expected):
    assert fm.day_count(start, end, convention) == expected


def test_day_count_rejects_bad_input():
    with pytest.raises(ValueError):
        fm.day_count(date(2026, 1, 1), date(2026, 2, 1), "act_act")
    with pytest.raises(ValueError):
        fm.day_count(date(2026, 2, 1), date(2026, 1, 1), "act_360")


@pytest.mark.parametrize("days, convention, expected", [
    (90, "act_360", Decimal("1625.00")),      # 100 000 x 6.5 % x 90 / 360 = 1 625
    (90, "act_365", Decimal("1602.74")),      # 100 000 x 6.5 % x 90 / 365 = 1 602.739726...
    (90, "30_360", Decimal("1625.00")),
    (0, "act_360", Decimal("0.00")),
])
def test_financing_cost(days, convention, expected):
    assert fm.financing_cost(100000, 6.5, days, convention) == expected


def test_financing_cost_of_a_leap_year_on_act_365_is_366_days():
    # 100 000 x 5 % x 366 / 365 = 5 013.6986...
    assert fm.financing_cost(100000, 5, 366, "act_365") == Decimal("5013.70")


def test_rounding_is_half_up_to_the_currency():
    # 1 000 x 4.5 % x 1 / 360 = 0.125 exactly: half up gives 0.13 (banker's rounding would give 0.12)
    assert fm.financing_cost(1000, 4.5, 1, "act_360") == Decimal("0.13")
    assert fm.round_money(Decimal("-0.125")) == Decimal("-0.13")
    assert fm.round_money(Decimal("2.675")) == Decimal("2.68")
    assert fm.round_money(2.675) == Decimal("2.68")          # the float 2.675 read through its repr
    # a currency without cents (JPY): 1 000 000 x 3 % x 45 / 365 = 3 698.63... -> 3 699
    assert fm.financing_cost(1000000, 3, 45, "act_365", decimal_places=0) == Decimal("3699")
    # three decimals (KWD): 1 000 x 4.5 % x 1 / 360 = 0.125
    assert fm.financing_cost(1000, 4.5, 1, "act_360", decimal_places=3) == Decimal("0.125")


def test_floats_are_read_through_their_repr():
    assert fm.to_decimal(0.1) == Decimal("0.1")
    # 0.1 + 0.2 as floats is 0.30000000000000004: 1e9 x that % x 360/360 still rounds to the cent
    assert fm.financing_cost(1e9, 0.1 + 0.2, 360, "act_360") == Decimal("3000000.00")


def test_financing_cost_rejects_bad_input():
    for args in ((-1, 5, 10, "act_360"), (100, -5, 10, "act_360"), (100, 5, -1, "act_360"), (100, 5, 1, "x")):
        with pytest.raises(ValueError):
            fm.financing_cost(*args)


def test_green_discount_from_tiers():
    tiers = {"A": 80, "B": 50, "C": 20}
    assert fm.tier_discount_bps("A", tiers) == 80
    assert fm.tier_discount_bps("D", tiers) == 0
    assert fm.tier_discount_bps(None, tiers) == 0
    # 6.5 % less 80 bp = 5.7 %; the cost of 100 000 for 90 days ACT/360: 1 425.00 against 1 625.00
    rate = fm.discounted_rate(6.5, 80)
    assert rate == Decimal("5.70")
    assert fm.financing_cost(100000, rate, 90, "act_360") == Decimal("1425.00")
    assert fm.discounted_rate(0.5, 80) == 0                    # never negative


def test_margin_ratchet():
    # three KPIs, 5 bp each: met, missed, not verified
    results = [True, False, None]
    assert fm.margin_ratchet(results, 5) == -5                 # one-way: only the KPI met counts
    assert fm.margin_ratchet(results, 5, two_way=True) == 5    # -5 + 5 + 5
    assert fm.margin_ratchet([True, True, True], 5, cap_bps=10) == -10
    assert fm.margin_ratchet([False, False, False], 5, two_way=True, cap_bps=10) == 10
    assert fm.margin_ratchet([], 5, two_way=True) == 0
    with pytest.raises(ValueError):
        fm.margin_ratchet([True], -5)


def test_target_met():
    assert fm.target_met(100.0, 100.0) is True
    assert fm.target_met(100.0000001, 100.0) is True           # equal at 6 decimals
    assert fm.target_met(100.00001, 100.0) is False
    assert fm.target_met(0.8, 0.75, lower_is_better=False) is True
    assert fm.target_met(None, 100.0) is None
