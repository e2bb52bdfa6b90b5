import math
from datetime import date

import pytest
from carbon_tools import carbon_math as cm


@pytest.mark.parametrize("value, digits, expected", [
    (0.0005, 3, 0.001),      # half away from zero, not banker's rounding
    (0.0015, 3, 0.002),
    (2.675, 2, 2.68),        # float repr 2.67499999... still rounds as written
    (-0.0005, 3, -0.001),
    (1234.56789, 3, 1234.568),
    (0.1234565, 6, 0.123457),
])
def test_round_carbon(value, digits, expected):
    assert cm.round_carbon(value, digits) == expected


def test_round_carbon_refuses_missing_values():
    with pytest.raises(ValueError):
        cm.round_carbon(None)


def test_is_zero_and_compare():
    assert cm.is_zero(0.0000004)
    assert not cm.is_zero(0.0004)           # kept to the milligram: 0.4 g is not zero
    assert cm.is_zero(0.0004, 3)
    assert cm.compare(0.1 + 0.2, 0.3) == 0
    assert cm.compare(1.0000006, 1.0) == 1
    assert cm.compare(1.0, 1.0000006) == -1


@pytest.mark.parametrize("value, expected", [
    (200.0, "200.000"),          # a figure to the gram reads as it always did (hash compatible)
    (0.0004, "0.0004"),
    (-2.5, "-2.500"),
    (1.23456789, "1.234568"),
    (None, "0.000"),
])
def test_fixed_text(value, expected):
    assert cm.fixed_text(value) == expected


def test_gwp_weighted_total():
    gwp = {"co2": 1.0, "ch4_fossil": 29.8, "n2o": 273.0}
    assert math.isclose(cm.gwp_weighted_total({"co2": 3.0, "ch4_fossil": 0.001, "n2o": 0.0001}, gwp),
                        3.0 + 0.0298 + 0.0273)
    assert cm.gwp_weighted_total({}, gwp) == 0


def test_gwp_weighted_total_names_missing_gases():
    with pytest.raises(KeyError, match="sf6"):
        cm.gwp_weighted_total({"co2": 1.0, "sf6": 0.001}, {"co2": 1.0})


def test_convert_quantity_with_reference_factors():
    kg, tonne, box5, gram = 1000.0, 1_000_000.0, 5000.0, 1.0   # factors to the gram, as Odoo's uom.factor
    assert cm.convert_quantity(2, tonne, kg) == 2000
    assert cm.convert_quantity(3, box5, kg) == 15
    assert cm.convert_quantity(250, gram, kg) == 0.25
    with pytest.raises(ValueError):
        cm.convert_quantity(1, 0.0, kg)


def test_carbon_of_quantity_refuses_negative_factors():
    assert cm.carbon_of_quantity(2000, 2.0) == 4000
    with pytest.raises(ValueError, match="removals"):
        cm.carbon_of_quantity(1, -0.5)


def test_line_figures():
    assert cm.line_figures(12.5, 0.0, source=False) == (12.5, 12.5)
    assert cm.line_figures(0.0, 12.5, source=False) == (-12.5, -12.5)
    assert cm.line_figures(0.0, 12.5, source=True) == (-12.5, 12.5)  # emitted: a credit on a source account
    assert cm.line_figures(2.0, 0.0, source=True) == (2.0, -2.0)


def test_intensity():
    assert cm.intensity(600.0, 500.0) == 1.2
    assert cm.intensity(5.0, 0) is None


def test_relative_gap():
    assert cm.relative_gap(0, 0) == 0
    assert math.isclose(cm.relative_gap(3.01, 3.0), 0.01 / 3.01)


def test_share_percent():
    assert cm.share_percent(1, 3) == 33.3
    assert cm.share_percent(250.0, 1000.0) == 25.0
    assert cm.share_percent(0, 0) is None
    assert cm.share_percent(2, 3, digits=0) == 67.0


def test_allocate_adds_up_exactly():
    parts = cm.allocate(100.0, [1, 1, 1])
    assert parts == [33.333334, 33.333333, 33.333333]   # the residual milligram goes to the (first) largest weight
    assert cm.round_carbon(sum(parts)) == 100.0
    assert cm.allocate(10.0, [3, 1]) == [7.5, 2.5]
    assert cm.allocate(0.000001, [1, 1000]) == [0.0, 0.000001]
    assert cm.allocate(100.0, [1, 1, 1], digits=3) == [33.334, 33.333, 33.333]


def test_allocate_refuses_meaningless_weights():
    with pytest.raises(ValueError, match="zero"):
        cm.allocate(1.0, [0, 0])
    with pytest.raises(ValueError, match="negative"):
        cm.allocate(1.0, [1, -1])


def test_convert_amount_refuses_missing_rates():
    # 7000 CNY at 7 CNY per USD (company currency USD, rate 1)
    assert cm.convert_amount(7000.0, 7.0, 1.0) == pytest.approx(1000.0)
    assert cm.convert_amount(100.0, 1.0, 8.0) == pytest.approx(800.0)
    for rates in ((None, 1.0), (7.0, None), (0.0, 1.0)):
        with pytest.raises(ValueError):
            cm.convert_amount(7000.0, *rates)


def test_received_expense_carbon():
    # 1000 kWh ordered at 500 kg: 400 received, nothing billed
    assert cm.received_expense_carbon(0.0, 500.0, 1000.0, 400.0, 0.0) == 200.0
    # all received, all billed at the order's carbon: the bill's figure
    assert cm.received_expense_carbon(500.0, 500.0, 1000.0, 1000.0, 1000.0) == 500.0
    # billed for more than received: the bill's figure only
    assert cm.received_expense_carbon(550.0, 500.0, 1000.0, 1000.0, 1100.0) == 550.0
    # half billed: the bill's half plus the order's carbon of the other received half
    assert cm.received_expense_carbon(260.0, 500.0, 1000.0, 1000.0, 500.0) == 510.0
    # an order line of no quantity adds nothing
    assert cm.received_expense_carbon(10.0, 0.0, 0.0, 5.0, 0.0) == 10.0


def test_register_held_reconciles():
    # 12.5 t generated, 4 retired, 2.25 sold, 0.5 reversed: 12.5 - 4 - 2.25 - 0.5 = 5.75 held
    assert cm.register_held(12.5, 4.0, 2.25, 0.5) == 5.75
    assert cm.register_held(1.0) == 1.0
    assert cm.register_held(12.5, 4.0, 2.25, 0.5, 1.75) == 4.0   # transferred to another holder: out too
    assert cm.register_held(0.3, 0.1, 0.2) == 0.0           # no float residue: 0.3 - 0.1 - 0.2 rounds to 0


def test_register_held_shows_an_overdrawn_register_and_refuses_negative_figures():
    assert cm.register_held(1.0, 0.75, 0.5) == -0.25        # 1 - 0.75 - 0.5: the registers refuse it
    with pytest.raises(ValueError, match="negative"):
        cm.register_held(1.0, -0.5)


def test_net_of_buffer():
    assert cm.net_of_buffer(10.0, 20) == 8.0                # 10 t with a 20 % buffer: 8 t count
    assert cm.net_of_buffer(1.1, 0) == 1.1
    assert cm.net_of_buffer(1.0, 100) == 0.0
    assert cm.net_of_buffer(0.000003, 50) == 0.000002       # 1.5 g rounds away from zero to 2 g
    with pytest.raises(ValueError, match="0 to 100"):
        cm.net_of_buffer(1.0, 120)


def test_split_over_outflows_nets_returns_and_adds_up():
    # 4 delivered with 1 returned, 3 consumed, 1 scrapped: 288 over 3 + 3 + 1... net 3, 3, 1
    assert cm.split_over_outflows(288.0, [4, 3, 1], [1, 0, 0]) == [123.428572, 123.428571, 41.142857]
    assert cm.round_carbon(sum(cm.split_over_outflows(100.0, [1, 1, 1]))) == 100.0
    assert cm.split_over_outflows(10.0, [2, 5], [2, 0]) == [0.0, 10.0]      # entirely returned: nothing
    assert cm.split_over_outflows(-9.0, [1, 2]) == [-3.0, -6.0]              # a negative pool flows back
    assert cm.net_quantities([3, 2], [5, 1]) == [0.0, 1]


def test_split_over_outflows_refuses_nothing_out():
    with pytest.raises(ValueError, match="no net outflow"):
        cm.split_over_outflows(1.0, [2], [2])
    with pytest.raises(ValueError, match="no net outflow"):
        cm.split_over_outflows(1.0, [])
    with pytest.raises(ValueError, match="returned"):
        cm.net_quantities([1, 2], [0])


def test_split_by_cost_share():
    assert cm.split_by_cost_share(400.0, [10]) == (360.0, [40.0])
    assert cm.split_by_cost_share(100.0, []) == (100.0, [])
    main, parts = cm.split_by_cost_share(10.0, [33.3333, 33.3333])
    assert parts == [3.33333, 3.33333] and main == 3.33334
    with pytest.raises(ValueError):
        cm.split_by_cost_share(1.0, [60, 50])


def test_activity_uncertainty_table():
    assert [cm.activity_uncertainty(q) for q in ("verified", "primary", "secondary", "estimate")] == [
        2.0,
        5.0,
        15.0,
        30.0,
    ]
    with pytest.raises(ValueError):
        cm.activity_uncertainty("guess")


def test_combined_uncertainty():
    # √(5² + 12²) = 13
    assert cm.combined_uncertainty(5.0, 12.0) == pytest.approx(13.0)
    assert cm.combined_uncertainty(0.0, 0.0) == 0.0
    with pytest.raises(ValueError):
        cm.combined_uncertainty(-1.0, 2.0)


def test_aggregate_uncertainty():
    # √((13·1000)² + (15·300)²) / 1300 = √(169,000,000 + 20,250,000) / 1300 = 13,756.8165 / 1300 = 10.582167 %
    assert cm.aggregate_uncertainty([(13.0, 1000.0), (15.0, 300.0)]) == pytest.approx(10.582167, abs=1e-6)
    assert cm.aggregate_uncertainty([(10.0, 50.0)]) == pytest.approx(10.0)
    assert cm.aggregate_uncertainty([]) is None
    assert cm.aggregate_uncertainty([(10.0, 5.0), (10.0, -5.0)]) is None


def test_aggregate_uncertainty_of_sums():
    # lines of 600 and 400 at 13 %, one of 300 at 15 %: √(13² x (600² + 400²) + 15² x 300²) / 1300
    # = √(169 x 520,000 + 225 x 90,000) / 1300 = √(87,880,000 + 20,250,000) / 1300 = 10,398.558 / 1300 = 7.998890 %
    groups = [(13.0, 1000.0, 600.0 ** 2 + 400.0 ** 2), (15.0, 300.0, 300.0 ** 2)]
    assert cm.aggregate_uncertainty_of_sums(groups) == pytest.approx(7.998890, abs=1e-6)
    assert cm.aggregate_uncertainty_of_sums(groups) == pytest.approx(
        cm.aggregate_uncertainty([(13.0, 600.0), (13.0, 400.0), (15.0, 300.0)]))
    assert cm.aggregate_uncertainty_of_sums([]) is None
    assert cm.aggregate_uncertainty_of_sums([(10.0, 0.0, 50.0)]) is None


def test_change_percent():
    assert cm.change_percent(1100.0, 1000.0) == pytest.approx(10.0)
    assert cm.change_percent(-50.0, -100.0) == pytest.approx(50.0)     # less negative: up by half
    assert cm.change_percent(5.0, 0.0) is None
    assert cm.change_percent(5.0, None) is None
    assert cm.change_percent(None, 5.0) is None


def test_equity_share():
    assert cm.equity_share(1234.5, 40.0) == 493.8
    assert cm.equity_share(10.0, 100.0) == 10.0
    with pytest.raises(ValueError):
        cm.equity_share(10.0, 120.0)


def test_intensity_per_million():
    # 2,500 kgCO2e on 500,000 of revenue: 5,000 kgCO2e per million
    assert cm.intensity_per_million(2500.0, 500_000.0) == pytest.approx(5000.0)
    assert cm.intensity_per_million(2500.0, 0.0) is None


@pytest.mark.parametrize("date_from, date_to, expected", [
    (date(2025, 1, 1), date(2025, 12, 31), (date(2024, 1, 1), date(2024, 12, 31))),     # a year: the year before
    (date(2024, 4, 1), date(2024, 6, 30), (date(2024, 1, 1), date(2024, 3, 31))),      # a quarter
    (date(2024, 3, 1), date(2024, 3, 31), (date(2024, 2, 1), date(2024, 2, 29))),      # a month: February 2024
    (date(2024, 7, 1), date(2025, 6, 30), (date(2023, 7, 1), date(2024, 6, 30))),      # a fiscal year
    (date(2024, 3, 10), date(2024, 3, 19), (date(2024, 2, 29), date(2024, 3, 9))),     # 10 days: the 10 before
])
def test_previous_period(date_from, date_to, expected):
    assert cm.previous_period(date_from, date_to) == expected


@pytest.mark.parametrize("date_from, date_to, year, expected", [
    (date(2025, 1, 1), date(2025, 12, 31), 2019, (date(2019, 1, 1), date(2019, 12, 31))),
    (date(2023, 2, 1), date(2023, 2, 28), 2020, (date(2020, 2, 1), date(2020, 2, 29))),   # the whole month
    (date(2024, 2, 29), date(2024, 3, 10), 2021, (date(2021, 2, 28), date(2021, 3, 10))),
    (date(2024, 7, 1), date(2025, 6, 30), 2020, (date(2020, 7, 1), date(2021, 6, 30))),   # fiscal year 2020
])
def test_period_in_year(date_from, date_to, year, expected):
    assert cm.period_in_year(date_from, date_to, year) == expected


@pytest.mark.parametrize("value, expected", [
    (100, "100.0"), (2.5, "2.5"), (0.000123, "0.000123"), (-3.25, "-3.25"), (1234.5678914, "1234.567891"),
])
def test_plain_number(value, expected):
    assert cm.plain_number(value) == expected


def test_computation_text_writes_the_line_out():
    assert cm.computation_text(-100.0, "kg", 2.0, -200.0) == "100.0 kg × 2.0 kgCO2e/kg = 200.0 kgCO2e"
    assert cm.computation_text(70.0, "CNY", 0.1, 7.0) == "70.0 CNY × 0.1 kgCO2e/CNY = 7.0 kgCO2e"


@pytest.mark.parametrize("quantity, unit, unit_carbon", [(0.0, "kg", 2.0), (5.0, None, 2.0), (5.0, "kg", 0.0)])
def test_computation_text_needs_quantity_unit_and_rate(quantity, unit, unit_carbon):
    assert cm.computation_text(quantity, unit, unit_carbon, 1.0) is None
