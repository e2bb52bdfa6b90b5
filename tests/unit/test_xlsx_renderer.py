from datetime import date
from io import BytesIO

from carbon_tools.xlsx_renderer import render_workbook
from openpyxl import load_workbook


def sheet(rows):
    return {
        "name": "Purchase Carbon",
        "title": "Carbon of purchases",
        "subtitle": "Demo company",
        "columns": [
            {"header": "Order"},
            {"header": "Date", "type": "date"},
            {"header": "Lines", "type": "integer", "total": True},
            {"header": "kgCO2e", "type": "carbon", "total": True},
            {"header": "Rate", "type": "factor"},
        ],
        "rows": rows,
    }


def test_rows_types_and_cached_totals():
    rows = [["P1", date(2024, 1, 2), 1, 0.1, 2.123456], ["P2", None, 2, 0.2, None]]
    book = load_workbook(BytesIO(render_workbook([sheet(rows)])), data_only=True)
    ws = book["Purchase Carbon"]
    values = list(ws.iter_rows(values_only=True))
    assert values[0][0] == "Carbon of purchases"
    assert values[1][0] == "Demo company"
    assert values[3] == ("Order", "Date", "Lines", "kgCO2e", "Rate")
    assert values[4][0] == "P1" and values[4][1].date() == date(2024, 1, 2) and values[4][4] == 2.123456
    assert values[5][1] is None and values[5][4] is None
    total = values[6]
    assert total[0] == "Total" and total[2] == 3 and total[3] == 0.3   # rounded, not 0.30000000000000004
    formulas = load_workbook(BytesIO(render_workbook([sheet(rows)])))["Purchase Carbon"]
    assert formulas.cell(row=7, column=4).value == "=SUM(D5:D6)"


def test_empty_sheet_has_a_zero_total_and_long_names_are_cut():
    data = sheet([])
    data["name"] = "A sheet name much longer than Excel allows"
    book = load_workbook(BytesIO(render_workbook([data])), data_only=True)
    ws = book.worksheets[0]
    assert ws.title == "A sheet name much longer than E"
    assert list(ws.iter_rows(values_only=True))[-1][3] == 0
