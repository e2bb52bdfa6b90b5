"""Render sheets of rows to an XLSX workbook with xlsxwriter.

Pure: no Odoo import. A sheet is a dict::

    {"name": "Factors", "title": "...", "subtitle": "...",
     "columns": [{"header": "kgCO2e", "type": "carbon", "width": 14, "total": True}, ...],
     "rows": [[...], ...]}

Column types: text, integer, number, factor (6 decimals), carbon (3 decimals), date.
Columns with ``total`` get a SUM formula under the rows, with its value cached so that
readers which do not calculate (openpyxl, pandas) read the total too.
"""
import io

import xlsxwriter

from .carbon_math import round_carbon

NUMBER_FORMATS = {
    "integer": "0",
    "number": "#,##0.00",
    "factor": "#,##0.000000",
    "carbon": "#,##0.000",
    "date": "yyyy-mm-dd",
}
TOTAL_DIGITS = {"integer": 0, "number": 2, "factor": 6, "carbon": 3}


#: Options of the workbooks the sheets are written into.
WORKBOOK_OPTIONS = {"remove_timezone": True}


def render_workbook(sheets):
    """Bytes of an XLSX file with one worksheet per sheet, in order."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, dict(WORKBOOK_OPTIONS, in_memory=True))
    write_sheets(workbook, sheets)
    workbook.close()
    return output.getvalue()


def write_sheets(workbook, sheets):
    """Add one worksheet per sheet, in order, to an open xlsxwriter ``workbook`` (an OCA
    report_xlsx report's, for instance)."""
    formats = _formats(workbook)
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet["name"][:31])
        _columns(worksheet, sheet["columns"])
        row = _title(worksheet, sheet, formats)
        first, last = _content(worksheet, sheet, formats, row)
        _totals(worksheet, sheet, formats, first, last)


def _formats(workbook):
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "subtitle": workbook.add_format({"italic": True, "font_color": "#555555"}),
        "header": workbook.add_format({"bold": True, "bg_color": "#DCE6D4", "border": 1, "text_wrap": True}),
        "text": workbook.add_format({}),
        "total_label": workbook.add_format({"bold": True, "top": 1}),
    }
    for kind, num_format in NUMBER_FORMATS.items():
        formats[kind] = workbook.add_format({"num_format": num_format})
        formats["total_" + kind] = workbook.add_format({"num_format": num_format, "bold": True, "top": 1})
    return formats


def _columns(worksheet, columns):
    for index, column in enumerate(columns):
        worksheet.set_column(index, index, column.get("width", 14))


def _title(worksheet, sheet, formats):
    row = 0
    if sheet.get("title"):
        worksheet.write(row, 0, sheet["title"], formats["title"])
        row += 1
    if sheet.get("subtitle"):
        worksheet.write(row, 0, sheet["subtitle"], formats["subtitle"])
        row += 1
    return row + 1 if row else row


def _content(worksheet, sheet, formats, row):
    columns = sheet["columns"]
    for index, column in enumerate(columns):
        worksheet.write(row, index, column["header"], formats["header"])
    worksheet.freeze_panes(row + 1, 0)
    header_row = row
    for values in sheet["rows"]:
        row += 1
        for index, (column, value) in enumerate(zip(columns, values, strict=False)):
            kind = column.get("type", "text")
            if value is None or value is False or value == "":
                worksheet.write_blank(row, index, None, formats.get(kind, formats["text"]))
            elif kind == "date":
                worksheet.write_datetime(row, index, value, formats["date"])
            elif kind in NUMBER_FORMATS:
                worksheet.write_number(row, index, value, formats[kind])
            else:
                worksheet.write_string(row, index, str(value), formats["text"])
    if sheet["rows"]:
        worksheet.autofilter(header_row, 0, row, len(columns) - 1)
    return header_row + 1, row


def _totals(worksheet, sheet, formats, first, last):
    """A total row under the data rows ``first``..``last`` (last < first when there are none)."""
    columns = sheet["columns"]
    if not any(c.get("total") for c in columns):
        return
    row = last + 1
    worksheet.write(row, 0, "Total", formats["total_label"])
    for index, column in enumerate(columns):
        if not column.get("total"):
            continue
        kind = column["type"]
        total = round_carbon(sum(values[index] or 0 for values in sheet["rows"]), TOTAL_DIGITS[kind])
        letter = xlsxwriter.utility.xl_col_to_name(index)
        formula = f"=SUM({letter}{first + 1}:{letter}{last + 1})" if last >= first else "=0"
        worksheet.write_formula(row, index, formula, formats["total_" + kind], total)
