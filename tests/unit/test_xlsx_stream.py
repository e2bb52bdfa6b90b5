import datetime
import zipfile

import pytest
import xlsxwriter
from carbon_tools import xlsx_stream
from openpyxl import load_workbook


def test_text_is_escaped_for_xml_and_for_copy():
    assert xlsx_stream.escape_text("a & <b> \\ c") == "a &amp; &lt;b&gt; &#92; c"
    assert xlsx_stream.escape_text("tab\there\nline\rend") == "tab&#9;here&#10;line&#13;end"
    assert xlsx_stream.escape_text("bell\x07 and nul-free\x1f") == "bell and nul-free"
    assert xlsx_stream.escape_text("  kept  ") == "  kept  "


def test_cells():
    assert xlsx_stream.text_cell(None) == xlsx_stream.text_cell("") == xlsx_stream.text_cell(False) == "<c/>"
    assert xlsx_stream.text_cell("AB") == '<c t="inlineStr"><is><t>AB</t></is></c>'
    assert xlsx_stream.text_cell("A&B") == '<c t="inlineStr"><is><t xml:space="preserve">A&amp;B</t></is></c>'
    assert xlsx_stream.text_cell(" A") == '<c t="inlineStr"><is><t xml:space="preserve"> A</t></is></c>'
    assert xlsx_stream.text_cell("AB", 7) == '<c s="7" t="inlineStr"><is><t>AB</t></is></c>'
    assert xlsx_stream.text_cell("A&B", 7) == '<c s="7" t="inlineStr"><is><t xml:space="preserve">A&amp;B</t></is></c>'
    assert xlsx_stream.number_cell(None, 3) == "<c/>"
    assert xlsx_stream.number_cell(0.0, 3) == '<c s="3"><v>0.0</v></c>'
    assert xlsx_stream.number_cell(7, 2) == '<c s="2"><v>7</v></c>'


def test_python_values_as_cells():
    assert xlsx_stream.cell(None) == xlsx_stream.cell("") == "<c/>"
    assert xlsx_stream.cell("x") == '<c t="inlineStr"><is><t>x</t></is></c>'
    assert xlsx_stream.cell(2.5, 4) == '<c s="4"><v>2.5</v></c>'
    assert xlsx_stream.cell(3) == "<c><v>3</v></c>"
    assert xlsx_stream.cell(datetime.date(2025, 1, 1), date_style=5) == '<c s="5"><v>45658</v></c>'
    assert xlsx_stream.cell(datetime.datetime(2025, 1, 1, 12), datetime_style=6) == '<c s="6"><v>45658.5</v></c>'
    assert xlsx_stream.cell(xlsx_stream.Formula("=A5<B5", 1.0), 4) == '<c s="4"><f>A5&lt;B5</f><v>1.0</v></c>'
    assert xlsx_stream.cell(xlsx_stream.Formula("=A5-B5", None)) == "<c><f>A5-B5</f><v>0.0</v></c>"


def test_column_names():
    assert [xlsx_stream.column_name(i) for i in (0, 25, 26, 42, 701, 702)] == ["A", "Z", "AA", "AQ", "ZZ", "AAA"]


def _skeleton(path):
    """A workbook as xlsxwriter writes it in constant-memory mode: a cover and a lines sheet with
    its header only."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.add_worksheet("Cover").write_string(0, 0, "cover")
    lines = book.add_worksheet("Lines")
    number = book.add_format({"num_format": "0.000"})
    lines.set_column(1, 1, 12, number)
    lines.write_row(0, 0, ["Label", "Carbon"])
    book.close()
    return number.xf_index


@pytest.mark.parametrize("rows", [0, 3])
def test_rows_spliced_into_the_sheet_read_back(tmp_path, rows):
    style = _skeleton(tmp_path / "skeleton.xlsx")
    texts = ["honey & <wine>", "  spaced\ttab", "back\\slash\nnew line"]

    def write_rows(sink):
        for index in range(rows):
            cells = xlsx_stream.text_cell(texts[index]) + xlsx_stream.number_cell(index * 1.5, style)
            if index == 2:
                cells += xlsx_stream.cell(xlsx_stream.Formula("=B3+B4", 4.5), style)
            sink.write(f"<row>{cells}</row>\n".encode())

    target = tmp_path / "book.xlsx"
    xlsx_stream.splice_rows(tmp_path / "skeleton.xlsx", target, {"xl/worksheets/sheet2.xml": (write_rows, rows, 2)})
    book = load_workbook(target)
    sheet = book["Lines"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("Label", "Carbon")
    assert [row[:2] for row in values[1:]] == [(texts[index], index * 1.5) for index in range(rows)]
    if rows:
        assert sheet.cell(row=4, column=3).value == "=B3+B4"
    if rows:
        assert sheet.cell(row=2, column=2).number_format == "0.000"
    assert book["Cover"]["A1"].value == "cover"
    with zipfile.ZipFile(target) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet2.xml")
    assert f'<dimension ref="A1:B{1 + rows}"/>'.encode() in sheet_xml


def test_a_missing_sheet_is_refused(tmp_path):
    _skeleton(tmp_path / "skeleton.xlsx")
    with pytest.raises(ValueError, match="no worksheet"):
        xlsx_stream.splice_rows(tmp_path / "skeleton.xlsx", tmp_path / "book.xlsx",
                                {"xl/worksheets/sheet9.xml": (lambda sink: None, 0, 1)})


def test_spliced_sheets_come_last_in_their_given_order(tmp_path):
    """The cover's rows wait for the integrity check: they are written after the lines, and an
    empty ``<row/>`` leaves a blank row."""
    style = _skeleton(tmp_path / "skeleton.xlsx")
    written = []

    def writer(name, xml):
        def write_rows(sink):
            written.append(name)
            sink.write(xml.encode())
        return write_rows

    label = xlsx_stream.text_cell("checked", style)
    target = tmp_path / "book.xlsx"
    xlsx_stream.splice_rows(tmp_path / "skeleton.xlsx", target, {
        "xl/worksheets/sheet2.xml": (writer("lines", f"<row>{xlsx_stream.text_cell('a line')}</row>"), 1, 2),
        # given as a function: its rows are known only when its turn comes
        "xl/worksheets/sheet1.xml": lambda: (writer("cover", f"<row/><row>{label}</row>"), 2, 1),
    })
    assert written == ["lines", "cover"]
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
    assert names[-2:] == ["xl/worksheets/sheet2.xml", "xl/worksheets/sheet1.xml"]
    book = load_workbook(target)
    cover = book["Cover"]
    assert [row[0] for row in cover.iter_rows(values_only=True)] == ["cover", None, "checked"]
    assert cover["A3"].number_format == "0.000"
    assert book["Lines"]["A2"].value == "a line"
