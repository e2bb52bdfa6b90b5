"""Stream rows into the worksheets of an XLSX workbook written by xlsxwriter (pure, no Odoo).

Writing a million rows cell by cell through xlsxwriter takes minutes of Python. Here xlsxwriter
writes the workbook's structure, styles and small sheets, with the large sheet's header only; the
large sheet's rows come as ready-made ``<row>`` XML (PostgreSQL makes it, see
``carbon_accounting/report/carbon_evidence_pack_xlsx.py``) and are spliced into that sheet's
``<sheetData>`` while the workbook is copied into its final zip, compressed as they stream. Memory
holds one buffer, never the sheet.

Rows and cells carry no ``r`` reference (optional in OOXML: each row follows the one before, each
cell the one before it, an empty cell is ``<c/>``); text is written as an inline string.
"""
import datetime
import io
import re
import zipfile

#: C0 control characters XML 1.0 cannot carry (tab, line feed and carriage return it can): dropped.
CONTROL_CHARS = "".join(chr(code) for code in range(1, 32) if code not in (9, 10, 13))
#: Characters escaped in text, in this order (``&`` first). Backslash, tab, line feed and carriage
#: return become character references so that a PostgreSQL ``COPY ... TO STDOUT`` (text format)
#: passes the rows through without escapes of its own.
TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\\", "&#92;"), ("\t", "&#9;"), ("\n", "&#10;"),
                ("\r", "&#13;"))
EMPTY_CELL = "<c/>"
TEXT_CELL = ('<c t="inlineStr"><is><t>', "</t></is></c>")
#: A text cell whose leading or trailing white space must be kept.
PRESERVED_TEXT_CELL = ('<c t="inlineStr"><is><t xml:space="preserve">', "</t></is></c>")
#: Bytes of rows buffered before they go to the compressor.
CHUNK_SIZE = 1 << 20
#: Above this many rows a sheet may pass zipfile's 2 GiB limit: its entry is written as ZIP64.
ZIP64_ROWS = 500_000

#: Day 0 of the serial numbers spreadsheets give dates (1900 date system, as Excel counts).
EPOCH = datetime.datetime(1899, 12, 30)

_DROP_CONTROLS = str.maketrans("", "", CONTROL_CHARS)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


def escape_text(value):
    """``value`` as the text of an XML element, by the rules of ``TEXT_ESCAPES``."""
    text = str(value).translate(_DROP_CONTROLS)
    for char, reference in TEXT_ESCAPES:
        text = text.replace(char, reference)
    return text


def text_cell(value, style=None):
    """An inline-string cell of ``value`` (in the cell format numbered ``style`` if given); ``<c/>``
    when there is no text. Text that is escaped or has outer spaces keeps its white space
    (``xml:space="preserve"``)."""
    if value is None or value is False or value == "":
        return EMPTY_CELL
    text = str(value)
    escaped = escape_text(text)
    before, after = TEXT_CELL if escaped == text and text.strip(" ") == text else PRESERVED_TEXT_CELL
    if style is not None:
        before = before.replace("<c ", f'<c s="{style}" ', 1)
    return f"{before}{escaped}{after}"


def number_cell(value, style):
    """A number cell of ``value`` in the cell format numbered ``style``; ``<c/>`` when there is none."""
    if value is None or value is False:
        return EMPTY_CELL
    number = value if isinstance(value, int) else repr(float(value))
    return f'<c s="{style}"><v>{number}</v></c>'


class Formula:
    """A formula cell with the value it computes, cached for readers that do not calculate."""

    __slots__ = ("formula", "value")

    def __init__(self, formula, value):
        self.formula = formula
        self.value = value


def cell(value, style=None, date_style=None, datetime_style=None):
    """The cell of a Python value: text, a number (in the cell format numbered ``style``), a date
    or a datetime (as a serial number, in ``date_style`` / ``datetime_style``), a ``Formula``; an
    empty cell for None, False and empty text."""
    if value is None or value is False or value == "":
        return EMPTY_CELL
    if isinstance(value, Formula):
        style_attribute = f' s="{style}"' if style is not None else ""
        cached = 0.0 if value.value is None else float(value.value)
        return f"<c{style_attribute}><f>{escape_text(value.formula.removeprefix('='))}</f><v>{cached!r}</v></c>"
    if isinstance(value, datetime.datetime):
        return number_cell((value - EPOCH).total_seconds() / 86400, datetime_style)
    if isinstance(value, datetime.date):
        return number_cell((value - EPOCH.date()).days, date_style)
    if isinstance(value, (int, float)):
        return number_cell(value, style) if style is not None else f"<c><v>{value!r}</v></c>"
    return text_cell(value)


def column_name(index):
    """The letters of the 0-based column ``index`` (0: A, 26: AA)."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def splice_rows(source, target, sheets, compresslevel=1):
    """Copy the XLSX file ``source`` into the file ``target`` (a path or a binary file), adding rows
    to some of its worksheets after their own rows.

    :param sheets: {worksheet entry (``xl/worksheets/sheetN.xml``): (``write_rows``, number of rows,
        number of columns)}: ``write_rows(sink)`` writes the rows' XML to ``sink`` (its ``write``
        takes bytes), or a function giving that triple when the sheet's turn comes. Each
        worksheet's dimension is widened to take its rows in. These worksheets are written last, in
        the order of ``sheets`` (the order of a zip's entries means nothing to spreadsheets): a
        sheet whose rows wait for something comes after the others, as a function.
    """
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED,
                                                           compresslevel=compresslevel) as out:
        names = book.namelist()
        missing = sorted(set(sheets) - set(names))
        if missing:
            raise ValueError(f"the workbook has no worksheet {', '.join(missing)}")
        for name in names:
            if name not in sheets:
                out.writestr(book.getinfo(name), book.read(name))
        for name, spec in sheets.items():
            write_rows, rows, columns = spec() if callable(spec) else spec
            content = book.read(name)
            head, tail = _split_sheet_data(content)
            last_row = head.count(b"<row ") + rows
            head = _DIMENSION.sub(f'<dimension ref="A1:{column_name(columns - 1)}{max(last_row, 1)}"/>'.encode(),
                                  head, count=1)
            with out.open(name, "w", force_zip64=rows > ZIP64_ROWS) as stream:
                stream.write(head)
                # rows written one by one reach the compressor in chunks
                sink = io.BufferedWriter(stream, CHUNK_SIZE)
                write_rows(sink)
                sink.flush()
                sink.detach()
                stream.write(tail)


def _split_sheet_data(content):
    """(the worksheet XML up to the end of its rows, the rest): new rows go between them."""
    closing = content.find(b"</sheetData>")
    if closing >= 0:
        return content[:closing], content[closing:]
    empty = content.find(b"<sheetData/>")
    if empty < 0:
        raise ValueError("the worksheet has no sheetData")
    return content[:empty] + b"<sheetData>", b"</sheetData>" + content[empty + len(b"<sheetData/>"):]
