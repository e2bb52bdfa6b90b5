import pytest
from carbon_tools import target_path as tp


@pytest.mark.parametrize("base, rate, years, expected", [
    (1000.0, 4.2, 0, 1000.0),
    (1000.0, 4.2, 1, 958.0),
    (1000.0, 4.2, 5, 790.0),          # 1000 x (1 - 0.042 x 5)
    (1000.0, 2.5, 10, 750.0),
    (1000.0, 3.03, 10, 697.0),        # FLAG pathway
    (1000.0, 4.2, 30, 0.0),           # 126 % of the base: never below 0
    (12.345678, 4.2, 1, 11.827160),   # rounded to the milligram
])
def test_target_figure(base, rate, years, expected):
    assert tp.target_figure(base, rate, years) == expected


def test_target_figure_refuses_years_before_the_base():
    with pytest.raises(ValueError):
        tp.target_figure(1000.0, 4.2, -1)


def test_reduction_percent():
    assert tp.reduction_percent(4.2, 5) == 21.0
    assert tp.reduction_percent(4.2, 30) == 100.0


@pytest.mark.parametrize("reference, target, ok", [
    (2025, 2029, False), (2025, 2030, True), (2025, 2035, True), (2025, 2036, False), (2025, 2025, False),
])
def test_target_years_ok(reference, target, ok):
    assert tp.target_years_ok(reference, target) is ok


def test_change_percent():
    assert tp.change_percent(1000.0, 1060.0) == 6.0
    assert tp.change_percent(1000.0, 940.0) == -6.0
    assert tp.change_percent(0.0, 10.0) is None
    assert tp.change_percent(None, 10.0) is None


@pytest.mark.parametrize("recorded, current, expected", [
    (1000.0, 1049.99, False),
    (1000.0, 1050.0, True),           # 5 % exactly: recalculate
    (1000.0, 950.0, True),            # down as well as up
    (1000.0, 1000.0, False),
    (0.0, 0.0, False),
    (0.0, 1.0, True),
    (None, 1.0, False),
])
def test_needs_recalculation(recorded, current, expected):
    assert tp.needs_recalculation(recorded, current) is expected


def test_path_against_a_hand_calculation():
    # base 1000 in 2020 at 4.2 %/yr: 958, 916, 874, 832, 790; 2021 below its path, 2022 above, 2023 no data
    rows = tp.path(2020, 2025, 1000.0, 4.2, {2020: 1000.0, 2021: 950.0, 2022: 930.0})
    assert [row["target"] for row in rows] == [1000.0, 958.0, 916.0, 874.0, 832.0, 790.0]
    assert rows[1] == {"year": 2021, "target": 958.0, "actual": 950.0, "gap": -8.0, "status": "on_track"}
    assert rows[2] == {"year": 2022, "target": 916.0, "actual": 930.0, "gap": 14.0, "status": "off_track"}
    assert rows[3] == {"year": 2023, "target": 874.0, "actual": None, "gap": None, "status": "no_data"}
    assert rows[0]["status"] == "on_track"    # on the path exactly
    assert tp.latest_status(rows)["year"] == 2022


def test_path_with_a_year_of_zero_emissions_is_data():
    rows = tp.path(2020, 2025, 1000.0, 4.2, {2021: 0.0})
    assert rows[1]["actual"] == 0.0 and rows[1]["status"] == "on_track"
    assert tp.latest_status(rows)["year"] == 2021


def test_path_without_data():
    rows = tp.path(2020, 2030, 1000.0, 4.2, {})
    assert len(rows) == 11
    assert tp.latest_status(rows) is None
    with pytest.raises(ValueError):
        tp.path(2020, 2020, 1000.0, 4.2, {})
