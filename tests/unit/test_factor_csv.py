from datetime import date
from pathlib import Path

import pytest
from carbon_tools import factor_csv

ROOT = Path(__file__).resolve().parents[2]
HEADER = "code,name,basis,value,unit,currency,scope,scope3_category,country,date_from,date_to,uncertainty,gwp_set,co2,ch4_fossil,ch4_biogenic,n2o,co2_biogenic,source,reference_url,notes\n"  # noqa: E501


def parse(body, header=HEADER):
    return factor_csv.parse_factor_csv((header + body).encode())


def test_minimal_physical_and_spend_rows():
    rows, errors = parse(
        "A,Grid,physical,0.5,kWh,,2,,CN,2023-01-01,,,,,,,,,MEE / 2024,,\n"
        "B,Spend,spend,0.3,,usd,3,1,,,,10,,,,,,,EPA,,\n"
    )
    assert errors == []
    grid, spend = rows
    assert grid["line"] == 2 and grid["value"] == 0.5 and grid["scope"] == "2"
    assert grid["date_from"] == date(2023, 1, 1) and grid["date_to"] is None
    assert spend["currency"] == "USD" and spend["uncertainty"] == 10.0 and spend["scope3_category"] == "1"


def test_gases_instead_of_value():
    rows, errors = parse("D,Diesel,physical,,kg,,1,,,,,,ar6,3.1863,0.000129,,0.0000258,,IPCC,,\n")
    assert errors == []
    assert rows[0]["value"] is None
    assert rows[0]["gwp_set"] == "AR6"
    assert rows[0]["gases"] == {"co2": 3.1863, "ch4_fossil": 0.000129, "n2o": 0.0000258}


def test_columns_may_be_missing_or_reordered():
    rows, errors = factor_csv.parse_factor_csv(b"source,name,code,basis,unit,value\nS,N,C,physical,kg,1\n")
    assert errors == [] and rows[0]["scope"] == "3" and rows[0]["gases"] == {}


def test_utf8_bom_and_blank_lines_are_accepted():
    rows, errors = factor_csv.parse_factor_csv(
        ("\ufeff" + HEADER + "\n" + "A,荔枝,physical,1,kg,,3,,,,,,,,,,,,S,,\n").encode("utf-8")
    )
    assert errors == [] and rows[0]["name"] == "荔枝"


@pytest.mark.parametrize("row, message", [
    ("A,N,physical,abc,kg,,3,,,,,,,,,,,,S,,", "value 'abc' is not a number"),
    ("A,N,physical,-1,kg,,3,,,,,,,,,,,,S,,", "value must be at least 0"),
    ("A,N,physical,nan,kg,,3,,,,,,,,,,,,S,,", "not a finite number"),
    ("A,N,weekly,1,kg,,3,,,,,,,,,,,,S,,", "basis 'weekly'"),
    ("A,N,physical,1,,,3,,,,,,,,,,,,S,,", "needs a unit"),
    ("A,N,spend,1,,,3,,,,,,,,,,,,S,,", "needs a currency"),
    ("A,N,physical,1,kg,,4,,,,,,,,,,,,S,,", "scope '4'"),
    ("A,N,physical,1,kg,,1,4,,,,,,,,,,,S,,", "only for scope 3"),
    ("A,N,physical,1,kg,,3,16,,,,,,,,,,,S,,", "from 1 to 15"),
    ("A,N,physical,1,kg,,3,,,2024-02-30,,,,,,,,,S,,", "not a date"),
    ("A,N,physical,1,kg,,3,,,2024-02-01,2024-01-01,,,,,,,,S,,", "date_to is before date_from"),
    ("A,N,physical,,kg,,3,,,,,,,,,,,,S,,", "'value' is required"),
    ("A,N,physical,,kg,,3,,,,,,,1.0,,,,,S,,", "'gwp_set' (AR5 or AR6) is required"),
    ("A,N,physical,1,kg,,3,,,,,,,,,,,,,,", "'source' is required"),
    (",N,physical,1,kg,,3,,,,,,,,,,,,S,,", "'code' is required"),
    ("A,N,physical,1,kg,,3,,,,,,,,,,,,S,,,extra", "more fields than columns"),
])
def test_bad_rows_are_reported_with_their_line(row, message):
    rows, errors = parse("OK,Fine,physical,1,kg,,3,,,,,,,,,,,,S,,\n" + row + "\n")
    assert len(errors) == 1
    assert errors[0].startswith("Line 3") and errors[0].line == 3
    assert message in errors[0]
    assert [row["line"] for row in rows] == [2], "the good rows are kept for the database checks"


def test_duplicate_code_and_start_date():
    rows, errors = parse("A,N,physical,1,kg,,3,,,,,,,,,,,,S,,\nA,N,physical,2,kg,,3,,,,,,,,,,,,S,,\n")
    assert errors == ["Line 3 (code A): the same code and date_from already stand on line 2"]
    rows, errors = parse(
        "A,N,physical,1,kg,,3,,,2023-01-01,,,,,,,,,S,,\nA,N,physical,2,kg,,3,,,2024-01-01,,,,,,,,,S,,\n"
    )
    assert errors == []


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"code,name\nA,B\n", "missing column(s): basis, source"),
    (HEADER.strip().encode() + b",colour\n", "unknown column(s): colour"),
    (HEADER.encode() + "A,Caf\xe9,physical,1,kg,,3,,,,,,,,,,,,S,,\n".encode("latin-1"), "not UTF-8"),
])
def test_unreadable_files(content, message):
    with pytest.raises(factor_csv.FactorCSVError, match=message.replace("(", r"\(").replace(")", r"\)")):
        factor_csv.parse_factor_csv(content)


def test_header_only():
    assert parse("") == ([], ["the file has a header but no factor rows"])


def test_shipped_dataset_parses_and_cites_every_row():
    rows, errors = factor_csv.parse_factor_csv((ROOT / "data/emission_factors/core_factors.csv").read_bytes())
    assert errors == []
    assert len(rows) >= 20
    assert all(r["source"] for r in rows)
    assert all(r["reference_url"].startswith("http") for r in rows)
    codes = {r["code"] for r in rows}
    assert any(c.startswith("CN.GRID") for c in codes)
