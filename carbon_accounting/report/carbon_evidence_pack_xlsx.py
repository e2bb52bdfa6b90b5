import tempfile
from collections import defaultdict
from pathlib import Path

import psycopg2
import xlsxwriter
from psycopg2.extras import Json
from xlsxwriter.utility import xl_col_to_name

from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..models.carbon_emission_factor import SCOPE3_CATEGORIES
from ..models.carbon_move import DOCUMENT_KINDS
from ..tools import carbon_math, pg, xlsx_stream
from .carbon_report_ghg import SCOPE_OF_ACCOUNT

#: A PostgreSQL regular expression matching the texts ``xlsx_stream.escape_text`` changes or whose
#: leading or trailing spaces a reader would drop without ``xml:space="preserve"``.
NEEDS_ESCAPE = "[&<>\\\\" + "".join(chr(code) for code in range(1, 32)) + "]|^ | $"

#: The summary sheets' formulas read the lines sheet by these columns (keys of ``_line_columns``).
SUM_COLUMNS = ("carbon", "location_carbon", "biogenic_co2")


def quote_sheet(name):
    """A sheet name as a formula reference needs it: in single quotes, its own quotes doubled."""
    escaped = name.replace("'", "''")
    return f"'{escaped}'"


class EvidencePackXlsx(models.AbstractModel):
    """The auditor's evidence pack of a company and a period (ISO 14064-3, ISAE 3410): one workbook
    that traces every figure to its source document, activity data and emission factor.

    The statements' figures are SUMIFS formulas over the lines sheet, next to the figure the report
    builders give (``carbon.report.ghg`` / ``carbon.report.eliability``), so that the auditor
    re-performs them. xlsxwriter writes the workbook (constant-memory mode) with the tables'
    titles and headers only; PostgreSQL then makes the ledger lines' rows as XML, which stream into
    their sheet while the workbook is copied into the final file, with the other tables' rows
    (``tools/xlsx_stream.py``): memory does not grow with the lines, and no Python runs per line.
    The chain's integrity check runs meanwhile on a connection of its own when it can
    (``carbon.move._integrity_chain_started``); the cover, which reports it, is written last.
    """

    _name = "report.carbon_accounting.evidence_pack_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Carbon Evidence Pack XLSX"

    def get_workbook_options(self):
        return {
            "constant_memory": True, "remove_timezone": True,
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        }

    def create_xlsx_report(self, docids, data):
        with tempfile.TemporaryDirectory(prefix="carbon-pack-") as tmp:
            target = Path(tmp, "pack.xlsx")
            self._write_pack(docids, data, target)
            return target.read_bytes(), "xlsx"

    def _write_pack(self, docids, data, target):
        """Write the pack of the wizard ``docids`` into the file ``target`` (a path)."""
        objs = self._get_objs_for_report(docids, data)
        skeleton = Path(target).with_suffix(".skeleton.xlsx")
        options = dict(self.get_workbook_options(), tmpdir=str(Path(target).parent))
        workbook = xlsxwriter.Workbook(str(skeleton), options)
        try:
            pack = self.generate_xlsx_report(workbook, data, objs)
        finally:
            workbook.close()
        pack.stream_rows(skeleton, target)
        skeleton.unlink()

    def generate_xlsx_report(self, workbook, data, objs):
        """Write the workbook with the lines sheet's header only and return the pack, whose
        ``stream_rows`` adds the tables' rows once the workbook is closed."""
        wizard = objs.ensure_one()
        company, date_from, date_to = wizard.company_id, wizard.date_from, wizard.date_to
        if not self.env.su and company not in self.env.user.company_ids:
            raise AccessError(self.env._("You cannot produce the evidence pack of %s.", company.name))
        self.env["carbon.move.line"].check_access("read")
        Move = self.env["carbon.move"]
        chain = Move._integrity_chain_started(company)  # checked beside the statements when it can be
        pack = _Pack(self.env, workbook, company, date_from, date_to)
        pack.write_workbook(lambda: Move._record_integrity_check(company, chain()))
        return pack


class _Pack:
    """One evidence pack being written: the sheets are created in the order they show, then filled
    (the lines sheet first: the summary sheets' formulas need its extent)."""

    def __init__(self, env, workbook, company, date_from, date_to):
        self.env = env
        self.workbook = workbook
        self.company = company
        self.date_from = date_from
        self.date_to = date_to
        self.lang = env.lang or "en_US"
        self.formats = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "subtitle": workbook.add_format({"italic": True, "font_color": "#555555"}),
            "header": workbook.add_format({"bold": True, "bg_color": "#DCE6D4", "border": 1, "text_wrap": True}),
            "label": workbook.add_format({"bold": True}),
            "carbon": workbook.add_format({"num_format": "#,##0.000"}),
            "factor": workbook.add_format({"num_format": "#,##0.000000"}),
            "number": workbook.add_format({"num_format": "#,##0.00"}),
            "integer": workbook.add_format({"num_format": "0"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
            "text": workbook.add_format({}),
        }
        names = [
            ("cover", env._("Cover")), ("ghg", env._("GHG Statement")), ("eliability", env._("E-liability Statement")),
            ("lines", env._("Ledger Lines")), ("factors", env._("Factor Register")),
            ("rec_inventory", env._("Rec. Inventory")), ("rec_purchases", env._("Rec. Purchases")),
            ("rec_bills", env._("Rec. Bills")), ("removals", env._("E-asset Register")),
            ("credits", env._("Retired Credits")), ("unassessed", env._("Unassessed")),
            ("reversals", env._("Reversals and Adjustments")),
        ]
        self.sheets = {key: workbook.add_worksheet(name[:31]) for key, name in names}
        #: {sheet key: (column kinds, rows)} of the tables whose rows stream in after the workbook
        self.tables = {}
        #: (GHG data, number of lines) the cover reports, and the function giving its integrity check
        self.cover = None
        self.integrity_check = None
        self.sheet_names = {key: sheet.get_name() for key, sheet in self.sheets.items()}

    # ------------------------------------------------------------------ helpers

    def _label(self, model, fname, value):
        return dict(self.env[model]._fields[fname]._description_selection(self.env)).get(value, value or "")

    def _subtitle(self):
        return self.env._("%(company)s - from %(start)s to %(end)s", company=self.company.name,
                          start=self.date_from, end=self.date_to)

    def _table(self, key, title, columns, rows):
        """Write the title and header of a table (``columns`` = [(header, kind, width)]) on sheet
        ``key``; its ``rows`` stream in with the ledger lines (``stream_rows``). Returns (first,
        last) data rows, 0-based (last < first when there are none)."""
        sheet = self.sheets[key]
        sheet.write_string(0, 0, title, self.formats["title"])
        sheet.write_string(1, 0, self._subtitle(), self.formats["subtitle"])
        for index, (__, kind, width) in enumerate(columns):
            sheet.set_column(index, index, width, self.formats.get(kind))
        sheet.write_row(3, 0, [header for header, __, __ in columns], self.formats["header"])
        sheet.freeze_panes(4, 0)
        if rows:
            sheet.autofilter(3, 0, 3 + len(rows), len(columns) - 1)
        self.tables[key] = ([kind for __, kind, __ in columns], rows)
        return 4, 3 + len(rows)

    def _table_writer(self, kinds, rows, styles):
        """``write_rows`` of ``splice_rows`` for a table's rows."""
        column_styles = [None if kind == "text" else styles.get(kind) for kind in kinds]
        date_style, datetime_style = styles["date"], styles["datetime"]

        def write_rows(sink):
            for values in rows:
                cells = "".join(xlsx_stream.cell(value, style, date_style, datetime_style)
                                for value, style in zip(values, column_styles, strict=True))
                sink.write(f"<row>{cells}</row>".encode())
        return write_rows

    # ------------------------------------------------------------------ the workbook

    def write_workbook(self, integrity_check):
        """Write the sheets; ``integrity_check()`` gives the carbon.integrity.check the cover
        reports: the cover's rows come last (``stream_rows``), the check may be under way until then."""
        self.integrity_check = integrity_check
        ghg = self.env["carbon.report.ghg"]._get_data(self.company, self.date_from, self.date_to)
        eliability_report = self.env["carbon.report.eliability"]
        eliability = eliability_report._get_data(self.company, self.date_from, self.date_to)
        self.line_columns = self._line_columns()
        first, last = self._write_lines()
        self.line_range = {key: self._column_range(key, first, last) for key in
                           SUM_COLUMNS + ("account_type", "ghg_scope", "ghg_category", "unassessed")}
        removal_range = self._write_removals()
        self._write_cover(ghg, last - first + 1)
        self._write_ghg(ghg, removal_range)
        self._write_eliability(eliability_report, eliability)
        self._write_factors()
        self._write_rec_inventory()
        self._write_rec_purchases()
        self._write_rec_bills()
        self._write_credits()
        self._write_unassessed(ghg)
        self._write_reversals()

    def _column_range(self, key, first, last):
        index = [column[0] for column in self.line_columns].index(key)
        letter = xl_col_to_name(index)
        last = max(first, last)
        return f"{quote_sheet(self.sheet_names['lines'])}!${letter}${first + 1}:${letter}${last + 1}"

    # ------------------------------------------------------------------ ledger lines

    def _line_columns(self):
        return [
            ("entry", self.env._("Entry"), "text", 18),
            ("date", self.env._("Date"), "date", 11),
            ("origin_date", self.env._("Original Date"), "date", 11),
            ("kind", self.env._("Kind"), "text", 18),
            ("reversal_of", self.env._("Reversal of"), "text", 18),
            ("account_code", self.env._("Account"), "text", 8),
            ("account_name", self.env._("Account Name"), "text", 28),
            ("account_type", self.env._("Account Type (key)"), "text", 12),
            ("label", self.env._("Label"), "text", 30),
            ("document", self.env._("Source Document"), "text", 28),
            ("reference", self.env._("Source Reference"), "text", 20),
            ("product", self.env._("Product"), "text", 28),
            ("partner", self.env._("Partner"), "text", 24),
            ("quantity", self.env._("Quantity"), "factor", 14),
            ("unit", self.env._("Unit"), "text", 8),
            ("factor_code", self.env._("Factor Code"), "text", 22),
            ("factor_version", self.env._("Factor Version"), "integer", 8),
            ("factor_name", self.env._("Factor Name"), "text", 28),
            ("factor_source", self.env._("Factor Source"), "text", 28),
            ("factor_url", self.env._("Factor Reference URL"), "text", 28),
            ("factor_value", self.env._("Factor Value"), "factor", 14),
            ("factor_unit", self.env._("Factor Unit"), "text", 16),
            ("gwp_set", self.env._("GWP Set"), "text", 8),
            ("factor_valid", self.env._("Factor Validity"), "text", 22),
            ("unit_carbon", self.env._("kgCO2e per Unit"), "factor", 14),
            ("computation", self.env._("Computation"), "text", 40),
            ("debit", self.env._("Debit (kgCO2e)"), "carbon", 14),
            ("credit", self.env._("Credit (kgCO2e)"), "carbon", 14),
            ("carbon", self.env._("Carbon (kgCO2e)"), "carbon", 14),
            ("scope", self.env._("Scope"), "text", 22),
            ("scope3_category", self.env._("Scope 3 Category"), "text", 28),
            ("ghg_scope", self.env._("GHG Scope"), "integer", 7),
            ("ghg_category", self.env._("GHG Scope 3 Category"), "integer", 9),
            ("gases", self.env._("Gases (kg per Factor Unit)"), "text", 26),
            ("uncertainty", self.env._("Uncertainty (%)"), "number", 10),
            ("unassessed", self.env._("Unassessed"), "text", 9),
            ("location_carbon", self.env._("Location-based (kgCO2e)"), "carbon", 14),
            ("biogenic_co2", self.env._("Biogenic CO2 (kg)"), "carbon", 14),
            ("posted_by", self.env._("Posted by"), "text", 18),
            ("posted_at", self.env._("Posted at"), "datetime", 18),
            ("sequence", self.env._("Sequence"), "integer", 8),
            ("hash", self.env._("Hash"), "text", 66),
        ]

    def _lines_filter(self, alias="l"):
        """SQL: the posted ledger lines (table alias ``alias``) of the pack's company and period."""
        return SQL("%(l)s.company_id = %(company)s AND %(l)s.state = 'posted' AND %(l)s.date >= %(start)s "
                   "AND %(l)s.date <= %(end)s", l=SQL.identifier(alias), company=self.company.id,
                   start=self.date_from, end=self.date_to)

    def _line_count(self):
        self.env.cr.execute(SQL("SELECT COUNT(*) FROM carbon_move_line l WHERE %s", self._lines_filter()))
        return self.env.cr.fetchone()[0]

    def _write_lines(self):
        """The lines sheet's title and header; its rows stream in after the workbook is closed
        (``stream_rows``). Returns (first, last) data rows, 0-based (last < first when none)."""
        columns = self.line_columns
        sheet = self.sheets["lines"]
        sheet.write_string(0, 0, self.env._("Every posted ledger line of the period"), self.formats["title"])
        sheet.write_string(1, 0, self._subtitle(), self.formats["subtitle"])
        for index, (__, __, kind, width) in enumerate(columns):
            sheet.set_column(index, index, width, self.formats.get(kind))
        sheet.write_row(3, 0, [header for __, header, __, __ in columns], self.formats["header"])
        sheet.freeze_panes(4, 1)
        self.line_count = self._line_count()
        if self.line_count:
            sheet.autofilter(3, 0, 3 + self.line_count, len(columns) - 1)
        return 4, 3 + self.line_count

    def stream_rows(self, skeleton, target):
        """Copy the closed workbook ``skeleton`` to ``target`` with the rows of its tables: the
        ledger lines made by PostgreSQL as XML and copied out (``COPY ... TO STDOUT``) straight into
        the compressed sheet, the other tables' rows from Python."""
        styles = self._styles()
        query = self.env.cr.mogrify(*self._lines_xml_query(styles))

        def write_lines(sink):
            # a COPY is incompatible with an asynchronous wait callback (as ir.model.data's COPY FROM says)
            callback = psycopg2.extensions.get_wait_callback()
            psycopg2.extensions.set_wait_callback(None)
            try:
                with pg.without_jit(self.env.cr):
                    self.env.cr.copy_expert(query, sink)
            finally:
                psycopg2.extensions.set_wait_callback(callback)

        keys = list(self.sheets)
        sheets = {_entry(keys, "lines"): (write_lines, self.line_count, len(self.line_columns))}
        for key, (kinds, rows) in self.tables.items():
            sheets[_entry(keys, key)] = (self._table_writer(kinds, rows, styles), len(rows), len(kinds))
        sheets[_entry(keys, "cover")] = lambda: self._cover_sheet(styles)  # last: after the integrity check
        xlsx_stream.splice_rows(skeleton, target, sheets)

    def _styles(self):
        """{column kind: the number of its cell format}, known once the workbook is closed."""
        return {kind: fmt.xf_index for kind, fmt in self.formats.items() if fmt.xf_index is not None}

    def _factor_cells(self, styles):
        """({factor id: XML of its cells from Factor Code to Factor Validity}, {factor id: XML of its
        Gases and Uncertainty cells}): every factor the company may use (few, read once)."""
        Factor = self.env["carbon.emission.factor"].with_context(active_test=False)
        factors = Factor.search([("company_id", "in", (False, self.company.id))])
        text, number = xlsx_stream.text_cell, xlsx_stream.number_cell
        heads, tails = {}, {}
        for factor in factors:
            gases = ", ".join(f"{g.gas_id.code} {carbon_math.plain_number(g.amount)}" for g in factor.gas_line_ids)
            heads[factor.id] = "".join((
                text(factor.code), number(factor.version, styles["integer"]), text(factor.name), text(factor.source),
                text(factor.reference_url), number(factor.value, styles["factor"]), text(factor.unit_label),
                text(factor.gwp_set_id.code), text(factor._validity_label()),
            ))
            tails[factor.id] = text(gases) + number(factor.uncertainty, styles["number"])
        return heads, tails

    def _account_cells(self):
        accounts = self.env["carbon.account"].with_context(active_test=False).search(
            [("company_id", "=", self.company.id)])
        text = xlsx_stream.text_cell
        return {a.id: "".join((text(a.code), text(a.name), text(a.account_type))) for a in accounts}

    def _choice_cell(self, column, choices):
        """SQL: the text cell of ``column``'s label among ``choices`` ({key: label})."""
        cases = SQL(" ").join(SQL("WHEN %s THEN %s", key, xlsx_stream.text_cell(label))
                              for key, label in choices.items())
        return SQL("CASE %s %s ELSE %s END", column, cases, _plain_text_cell(column))

    def _document_sql(self):
        """SQL: (source document, its reference) of a line, by the rule of ``carbon.move.line.source_document``."""
        def named(label, name):
            before, __, after = label.partition("%s")
            return SQL("concat(%s, %s, %s)", before, name, after)

        activity, allocation = named(self.env._("Activity: %s"), SQL("act.name")), named(
            self.env._("Allocation: %s"), SQL("alloc.name"))
        bill = named(self.env._("Vendor bill: %s"), SQL("am.name"))
        bill_kinds = tuple(kind for kind in DOCUMENT_KINDS if kind not in ("activity", "allocation"))
        document = SQL("""CASE WHEN m.kind = 'activity' THEN %(activity)s WHEN m.kind = 'allocation' THEN %(allocation)s
            WHEN m.kind IN %(bill_kinds)s THEN %(bill)s WHEN l.stock_move_id IS NOT NULL THEN %(stock)s
            WHEN po.name IS NOT NULL THEN %(order)s WHEN mp.name IS NOT NULL THEN %(picking)s
            WHEN am.name IS NOT NULL THEN %(bill)s END""",
            activity=activity, allocation=allocation, bill_kinds=bill_kinds, bill=bill,
            stock=named(self.env._("Stock: %s"), SQL("sm.reference")),
            order=named(self.env._("Purchase order: %s"), SQL("po.name")),
            picking=named(self.env._("Stock: %s"), SQL("mp.name")))
        reference = SQL("""CASE WHEN m.kind IN ('activity', 'allocation') THEN m.ref WHEN m.kind IN %(bill_kinds)s
            THEN am.ref WHEN l.stock_move_id IS NOT NULL THEN sm.origin WHEN po.name IS NOT NULL THEN po.partner_ref
            WHEN mp.name IS NOT NULL THEN mp.origin WHEN am.name IS NOT NULL THEN am.ref ELSE m.ref END""",
            bill_kinds=bill_kinds)
        return document, reference

    def _lines_xml_query(self, styles):
        """(SQL text, parameters) of a query giving, per posted ledger line of the period in the
        order of their ids, the XML ``<row>`` of its cells in the order of ``_line_columns``.

        The query has two levels. The inner one joins the lines to their entries and documents and
        works out every cell's content (numbers as text, escaped texts, the computation, the cells
        of the dimensions): it runs in PostgreSQL's parallel workers, which also sort the lines. The
        outer one, in a single process, only puts the contents between their cells' tags."""
        kinds = dict(self.env["carbon.move"]._fields["kind"]._description_selection(self.env))
        scopes = dict(self.env["carbon.move.line"]._fields["scope"]._description_selection(self.env))
        ghg_scopes = SQL(" ").join(SQL("WHEN %s THEN %s", account_type, xlsx_stream.number_cell(int(number),
                                                                                                 styles["integer"]))
                                   for account_type, number in SCOPE_OF_ACCOUNT.items())
        scope3_types = tuple(account_type for account_type, number in SCOPE_OF_ACCOUNT.items() if number == "3")
        no_factor = xlsx_stream.EMPTY_CELL * 9, xlsx_stream.EMPTY_CELL * 2
        dimension = self._dimension_lookups(styles)
        document, reference = self._document_sql()
        # worked out once per line (a lateral subquery on the nullable side of a join is evaluated
        # where it joins, not at each of its columns' uses)
        once = {
            "document": document,
            "reference": reference,
            "unit": SQL("COALESCE(%s, %s)", dimension("currency", "l.currency_id"),
                        dimension("uom", "l.product_uom_id")),
            "quantity": SQL("trim_scale(round(abs(l.quantity), 6))"),
            "unit_carbon": SQL("trim_scale(round(l.unit_carbon, 6))"),
            "carbon": SQL("trim_scale(round(abs(COALESCE(l.carbon_amount, 0)), 6))"),
        }
        unit = SQL("v.unit")
        inner = {
            "id": SQL("l.id"),
            "date": SQL("(m.date - DATE '1899-12-30')::text"),
            "origin_date": SQL("(m.origin_date - DATE '1899-12-30')::text"),
            "kind": SQL("m.kind"),
            "account_cells": dimension("account", "l.account_id"),
            "product_cell": dimension("product", "l.product_id"),
            "partner_cell": dimension("partner", "l.partner_id"),
            "unit": unit,
            "factor_head": dimension("factor_head", "l.factor_id"),
            "factor_tail": dimension("factor_tail", "l.factor_id"),
            "computation": SQL("""CASE WHEN %(unit)s IS NULL OR %(unit)s = '' OR COALESCE(v.quantity, 0) = 0
                                         OR COALESCE(v.unit_carbon, 0) = 0 THEN NULL
                                  ELSE concat(%(quantity)s, ' ', %(unit)s, ' × ', %(unit_carbon)s, ' kgCO2e/', %(unit)s,
                                              ' = ', %(carbon)s, ' kgCO2e') END""",
                               unit=unit, quantity=_plain_number(SQL("v.quantity")),
                               unit_carbon=_plain_number(SQL("v.unit_carbon")), carbon=_plain_number(SQL("v.carbon"))),
            "scope": SQL("l.scope"),
            "scope3_category": SQL("l.scope3_category"),
            "account_type": SQL("l.account_type"),
            "unassessed": SQL("l.unassessed"),
            "poster_cell": dimension("poster", "m.posted_by_id"),
            "posted_at": SQL("(date_part('epoch', m.posted_at) / 86400 + 25569)::text"),
        }
        for name, column in (("quantity", "l.quantity"), ("unit_carbon", "l.unit_carbon"), ("debit", "l.debit"),
                             ("credit", "l.credit"), ("carbon", "l.carbon_amount"),
                             ("location_carbon", "l.location_carbon"), ("biogenic_co2", "l.biogenic_co2"),
                             ("sequence", "m.secure_sequence_number")):
            inner[name] = SQL("%s::text", SQL(column))
        for name, text in (("entry", SQL("m.name")), ("reversal_of", SQL("rev.name")), ("label", SQL("l.name")),
                           ("document", SQL("v.document")), ("reference", SQL("v.reference")),
                           ("hash", SQL("m.inalterable_hash"))):
            inner[name] = text
            inner[f"{name}_escaped"] = _escaped_if_needed(text)

        def text(name):
            return _text_cell(SQL.identifier("s", name), SQL.identifier("s", f"{name}_escaped"))

        def number(name, kind):
            return _number_cell(SQL.identifier("s", name), styles[kind])

        cells = {
            "entry": text("entry"),
            "date": number("date", "date"),
            "origin_date": number("origin_date", "date"),
            "kind": self._choice_cell(SQL("s.kind"), kinds),
            "reversal_of": text("reversal_of"),
            "account_code": SQL("s.account_cells"),
            "label": text("label"),
            "document": text("document"),
            "reference": text("reference"),
            "product": SQL("COALESCE(s.product_cell, %s)", xlsx_stream.EMPTY_CELL),
            "partner": SQL("COALESCE(s.partner_cell, %s)", xlsx_stream.EMPTY_CELL),
            "quantity": number("quantity", "factor"),
            "unit": _text_cell(SQL("s.unit"), SQL("s.unit")),  # escaped by its dimension: as is, spaces kept
            "factor_code": SQL("COALESCE(s.factor_head, %s)", no_factor[0]),
            "unit_carbon": number("unit_carbon", "factor"),
            "computation": SQL("CASE WHEN s.computation IS NULL THEN %s ELSE concat(%s, s.computation, %s) END",
                               xlsx_stream.EMPTY_CELL, *xlsx_stream.TEXT_CELL),
            "debit": number("debit", "carbon"),
            "credit": number("credit", "carbon"),
            "carbon": number("carbon", "carbon"),
            "scope": self._choice_cell(SQL("s.scope"), scopes),
            "scope3_category": self._choice_cell(SQL("s.scope3_category"), dict(SCOPE3_CATEGORIES)),
            "ghg_scope": SQL("CASE s.account_type %s ELSE %s END", ghg_scopes, xlsx_stream.EMPTY_CELL),
            "ghg_category": SQL("CASE WHEN s.account_type IN %s THEN %s ELSE %s END", scope3_types,
                                _number_cell(SQL("COALESCE(NULLIF(s.scope3_category, ''), '1')"), styles["integer"]),
                                xlsx_stream.EMPTY_CELL),
            "gases": SQL("COALESCE(s.factor_tail, %s)", no_factor[1]),
            "unassessed": SQL("CASE WHEN s.unassessed THEN %s ELSE %s END", xlsx_stream.text_cell(self.env._("Yes")),
                              xlsx_stream.EMPTY_CELL),
            "location_carbon": number("location_carbon", "carbon"),
            "biogenic_co2": number("biogenic_co2", "carbon"),
            "posted_by": SQL("COALESCE(s.poster_cell, %s)", xlsx_stream.EMPTY_CELL),
            "posted_at": number("posted_at", "datetime"),
            "sequence": number("sequence", "integer"),
            "hash": text("hash"),
        }
        # columns whose cells come with the one before them (an account's three, a factor's nine and two)
        covered = {"account_name", "account_type", "factor_version", "factor_name", "factor_source", "factor_url",
                   "factor_value", "factor_unit", "gwp_set", "factor_valid", "uncertainty"}
        row = [cells[key] for key, __, __, __ in self.line_columns if key not in covered]
        # concat() takes at most 100 arguments: the cells go in groups
        groups = [SQL("concat(%s)", SQL(", ").join(row[start:start + 50])) for start in range(0, len(row), 50)]
        query = SQL("""
            SELECT concat('<row>', %(cells)s, '</row>') FROM (
                SELECT %(inner)s
                  FROM carbon_move_line l
                  JOIN carbon_move m ON m.id = l.move_id
                  LEFT JOIN carbon_move rev ON rev.id = m.reversed_entry_id
                  LEFT JOIN stock_move sm ON sm.id = l.stock_move_id
                  LEFT JOIN purchase_order_line pol ON pol.id = l.purchase_line_id
                  LEFT JOIN purchase_order po ON po.id = pol.order_id
                  LEFT JOIN carbon_activity act ON act.id = m.activity_id
                  LEFT JOIN carbon_allocation alloc
                         ON m.kind = 'allocation' AND alloc.carbon_move_id = COALESCE(m.reversed_entry_id, m.id)
                  LEFT JOIN account_move am ON am.id = m.account_move_id
                  LEFT JOIN stock_picking mp ON mp.id = m.picking_id
                  LEFT JOIN LATERAL (SELECT %(once)s) v ON TRUE
                 WHERE %(lines)s
                 ORDER BY l.id
            ) s
        """, cells=SQL(", ").join(groups), lines=self._lines_filter("l"),
            once=SQL(", ").join(SQL("%s AS %s", expr, SQL.identifier(name)) for name, expr in once.items()),
            inner=SQL(", ").join(SQL("%s AS %s", expr, SQL.identifier(name)) for name, expr in inner.items()))
        return SQL("COPY (%s) TO STDOUT", query).code, query.params

    def _dimension_lookups(self, styles):
        """A function (dimension, SQL key) -> SQL: the XML of the dimension's cells for the key,
        NULL when none. Each dimension is a JSON object {id: XML}, made once per query: unlike
        joins to common table expressions, looking it up runs in PostgreSQL's parallel workers."""
        lang = self.lang
        factor_heads, factor_tails = self._factor_cells(styles)
        product_name = SQL("COALESCE(pt.name->>%s, pt.name->>'en_US')", lang)
        used = self._lines_filter("c")
        dimensions = {
            "account": Json(self._account_cells()),
            "factor_head": Json(factor_heads),
            "factor_tail": Json(factor_tails),
            "product": SQL("""(SELECT jsonb_object_agg(pp.id, %s) FROM product_product pp
                                 JOIN product_template pt ON pt.id = pp.product_tmpl_id
                                WHERE pp.id IN (SELECT product_id FROM carbon_move_line c WHERE %s))""",
                           _plain_text_cell(SQL("CASE WHEN pp.default_code IS NOT NULL AND pp.default_code <> '' "
                                                "THEN concat('[', pp.default_code, '] ', %s) ELSE %s END",
                                                product_name, product_name)), used),
            "partner": SQL("""(SELECT jsonb_object_agg(p.id, %s) FROM res_partner p
                                WHERE p.id IN (SELECT partner_id FROM carbon_move_line c WHERE %s))""",
                           _plain_text_cell(SQL("p.name")), used),
            "poster": SQL("""(SELECT jsonb_object_agg(u.id, %s) FROM res_users u
                                JOIN res_partner p ON p.id = u.partner_id)""", _plain_text_cell(SQL("p.name"))),
            "uom": SQL("(SELECT jsonb_object_agg(id, %s) FROM uom_uom)",
                       _escape(SQL("COALESCE(name->>%s, name->>'en_US')", lang))),
            "currency": SQL("(SELECT jsonb_object_agg(id, %s) FROM res_currency)", _escape(SQL("name"))),
        }

        def lookup(name, key):
            return SQL("(%s::jsonb ->> %s::text)", dimensions[name], SQL(key))
        return lookup

    # ------------------------------------------------------------------ cover and statements

    def _write_cover(self, ghg, line_count):
        """The cover's title; its rows stream in last (``stream_rows``), once the integrity check,
        which may run meanwhile, is done."""
        sheet = self.sheets["cover"]
        sheet.set_column(0, 0, 30, self.formats["label"])  # the labels' format, their rows streaming in
        sheet.set_column(1, 1, 90)
        sheet.write_string(0, 0, self.env._("Carbon evidence pack"), self.formats["title"])
        sheet.write_string(1, 0, self._subtitle(), self.formats["subtitle"])
        self.cover = (ghg, line_count)

    def _cover_rows(self, ghg, check, line_count):
        company = self.company
        gwp_sets = self.env["carbon.gwp.set"].browse([row[0] for row in self._gwp_set_ids()])
        return [
            (self.env._("Company"), company.name),
            (self.env._("Period"), self.env._("%(start)s to %(end)s", start=self.date_from, end=self.date_to)),
            (self.env._("Organisational boundary"), ghg["boundary"]),
            (self.env._("Consolidation approach"), ghg["approach_label"]),
            (self.env._("GWP sets used"), ", ".join(f"{s.code} ({s.name})" for s in gwp_sets) or self.env._("None")),
            (self.env._("Carbon lock date"), company.carbon_lock_date or self.env._("None")),
            (self.env._("Integrity check"), check.message),
            (self.env._("Entries in the chain"), check.entry_count),
            (self.env._("First hash of the chain"), check.first_hash or ""),
            (self.env._("Last hash of the chain"), check.last_hash or ""),
            (self.env._("Ledger lines in the period"), line_count),
            (self.env._("Generated by"), self.env.user.name),
            (self.env._("Generated at (UTC)"), fields.Datetime.now()),
        ]

    def _cover_notes(self):
        return [
            self.env._("The statements' figures are SUMIFS formulas over the sheet %s: each stands beside the figure "
                       "the report gives, and their difference.", self.sheet_names["lines"]),
            self.env._("Each ledger line carries its source document, activity data, emission factor and the "
                       "computation written out; its entry's sequence and hash tie it to the chain checked above."),
        ]

    def _cover_sheet(self, styles):
        """The cover's rows for ``splice_rows`` once the integrity check is done: labels and values
        after a blank row, then the notes after another."""
        ghg, line_count = self.cover
        rows = self._cover_rows(ghg, self.integrity_check(), line_count)
        cell, text_cell = xlsx_stream.cell, xlsx_stream.text_cell
        lines = ["<row/>"]
        lines += [f"<row>{text_cell(label, styles['label'])}"
                  f"{cell(value, styles['integer'], styles['date'], styles['datetime'])}</row>"
                  for label, value in rows]
        lines.append("<row/>")
        lines += [f"<row>{text_cell(note)}</row>" for note in self._cover_notes()]
        return (lambda sink: sink.write("".join(lines).encode())), len(lines), 2

    def _gwp_set_ids(self):
        self.env.cr.execute(SQL("""
            SELECT DISTINCT f.gwp_set_id FROM carbon_move_line l JOIN carbon_emission_factor f ON f.id = l.factor_id
             WHERE %s AND f.gwp_set_id IS NOT NULL
        """, self._lines_filter()))
        return self.env.cr.fetchall()

    def _statement_sheet(self, key, title, rows):
        """A statement: (label, formula or None, reported figure) rows; the re-performed figure is the
        formula (its cached value the reported one), with the difference beside it."""
        sheet = self.sheets[key]
        sheet.set_column(0, 0, 60)
        sheet.set_column(1, 3, 18, self.formats["carbon"])
        sheet.write_string(0, 0, title, self.formats["title"])
        sheet.write_string(1, 0, self._subtitle(), self.formats["subtitle"])
        sheet.write_row(
            3,
            0,
            [
                self.env._("Figure"),
                self.env._("Reported (kgCO2e)"),
                self.env._("Re-performed (kgCO2e)"),
                self.env._("Difference"),
            ],
            self.formats["header"],
        )
        for row, (label, formula, reported) in enumerate(rows, start=4):
            sheet.write_string(row, 0, label)
            if reported is None:
                sheet.write_blank(row, 1, None)
            elif isinstance(reported, str):
                sheet.write_string(row, 1, reported)
            else:
                sheet.write_number(row, 1, reported, self.formats["carbon"])
            if formula:
                sheet.write_formula(row, 2, formula, self.formats["carbon"], reported or 0.0)
                sheet.write_formula(row, 3, f"=C{row + 1}-B{row + 1}", self.formats["carbon"], 0.0)
        return 4

    def _sumifs(self, value_key, *criteria, share=100.0):
        """SUMIFS of a lines column over ``criteria`` = (column key, criterion) pairs."""
        parts = ",".join(f"{self.line_range[key]},{_criterion(value)}" for key, value in criteria)
        formula = f"SUMIFS({self.line_range[value_key]},{parts})"
        return formula if carbon_math.is_zero(share - 100.0) else f"{formula}*{share:g}/100"

    def _write_ghg(self, ghg, removal_range):
        share = ghg["companies"][0]["share"] if ghg["companies"] else 100.0

        def scope(number, column="carbon"):
            return "=" + self._sumifs(column, ("ghg_scope", number), share=share)

        rows = [
            (self.env._("Scope 1 - Direct emissions"), scope(1), ghg["scope1"]),
            (self.env._("Scope 2 - Purchased energy, market-based"), scope(2), ghg["scope2_market"]),
            (
                self.env._("Scope 2 - Purchased energy, location-based"),
                scope(2, "location_carbon"),
                ghg["scope2_location"],
            ),
            (self.env._("Scope 3 - Value chain"), scope(3), ghg["scope3"]),
            (self.env._("Total (Scopes 1, 2 market-based and 3)"), "=C5+C6+C8", ghg["total"]),
        ]
        for category, values in ghg["scope3_by_category"].items():
            formula = "=" + self._sumifs("carbon", ("ghg_scope", 3), ("ghg_category", int(category)), share=share)
            if values["status"] == "figures":
                rows.append((self.env._("Scope 3 - %s", values["label"]), formula, values["amount"]))
            else:
                status = self.env["carbon.report.ghg.wizard"]._statuses()[values["status"]]
                rows.append(
                    (
                        self.env._(
                            "Scope 3 - %(label)s: %(status)s (%(reason)s)",
                            label=values["label"],
                            status=status,
                            reason=values["reason"],
                        ),
                        formula,
                        None,
                    )
                )
        removals = (f"=SUMIFS({removal_range['tonnes']},{removal_range['verification']},\"verified\","
                    f"{removal_range['date']},\">=\"&DATE({self.date_from.year},{self.date_from.month},"
                    f"{self.date_from.day}),{removal_range['date']},\"<=\"&DATE({self.date_to.year},"
                    f"{self.date_to.month},{self.date_to.day}))")
        if not carbon_math.is_zero(share - 100.0):
            removals += f"*{share:g}/100"
        unassessed = "=" + "+".join(
            f"COUNTIFS({self.line_range['ghg_scope']},{number},{self.line_range['unassessed']},\"<>\")"
            for number in (1, 2, 3))
        rows += [
            (self.env._("Memo: biogenic CO2 (kg), outside the scopes"), scope(1, "biogenic_co2"), ghg["biogenic_co2"]),
            (self.env._("Removals verified in the period (tCO2e), apart, never deducted"), removals, ghg["removals"]),
            (self.env._("Unassessed lines (carbon unknown): count"), unassessed, ghg["unassessed_count"]),
        ]
        self._statement_sheet("ghg", self.env._("GHG statement (kgCO2e), re-performed over the ledger lines"), rows)

    def _write_eliability(self, report, data):

        def flow(account_type):
            return "=" + self._sumifs("carbon", ("account_type", account_type))

        formulas = {
            "opening": None, "direct": flow("direct"), "energy": flow("energy"), "acquired": flow("acquired"),
            "transferred": flow("transferred"), "written_off": flow("writeoff"),
            "closing": "=B5+C6+C7+C8-C9-C10", "ledger_closing": None,
        }
        rows = [(label, formulas[key], amount) for key, label, amount in report._statement_rows(data)]
        rows.append(
            (
                self.env._("Closing agrees with the ledger")
                if data["closing_ok"]
                else self.env._("Closing differs from the ledger"),
                "=C11-B12",
                data["closing"] - data["ledger_closing"],
            )
        )
        rows += [(label, None, amount) for __, label, amount in report._register_rows(data)]
        self._statement_sheet(
            "eliability", self.env._("E-liability statement (kgCO2e), re-performed over the ledger lines"), rows
        )

    # ------------------------------------------------------------------ registers and reconciliations

    def _write_factors(self):
        factors = self.env["carbon.emission.factor"].with_context(active_test=False).search(
            [("company_id", "in", (False, self.company.id))], order="code, version, id")
        usage = factors._get_usage_counts()
        label = self._label
        rows = [
            [
                f.code,
                f.version,
                f.previous_version_id.version or None,
                f.name,
                label(f._name, "basis", f.basis),
                f.value,
                f.unit_label,
                label(f._name, "scope", f.scope),
                label(f._name, "scope3_category", f.scope3_category),
                f.country_id.code,
                f.date_from,
                f.date_to,
                f.uncertainty,
                f.gwp_set_id.code,
                ", ".join(f"{g.gas_id.code} {carbon_math.plain_number(g.amount)}" for g in f.gas_line_ids) or None,
                f.co2_biogenic,
                f.source,
                f.reference_url,
                f.company_id.name or self.env._("Shared"),
                usage.get(f.id, 0),
                self.env._("Yes") if f.active else self.env._("No"),
                f.create_uid.name,
                f.create_date,
                f.write_uid.name,
                f.write_date,
            ]
            for f in factors
        ]
        columns = [
            (self.env._("Code"), "text", 24),
            (self.env._("Version"), "integer", 8),
            (self.env._("Replaces Version"), "integer", 9),
            (self.env._("Name"), "text", 30),
            (self.env._("Basis"), "text", 16),
            (self.env._("kgCO2e per Unit"), "factor", 14),
            (self.env._("Per"), "text", 16),
            (self.env._("Scope"), "text", 22),
            (self.env._("Scope 3 Category"), "text", 28),
            (self.env._("Country"), "text", 8),
            (self.env._("Valid From"), "date", 11),
            (self.env._("Valid To"), "date", 11),
            (self.env._("Uncertainty (%)"), "number", 10),
            (self.env._("GWP Set"), "text", 8),
            (self.env._("Gases"), "text", 24),
            (self.env._("Biogenic CO2 (kg per Unit)"), "factor", 14),
            (self.env._("Source"), "text", 30),
            (self.env._("Reference URL"), "text", 30),
            (self.env._("Company"), "text", 18),
            (self.env._("Confirmed Lines Using It"), "integer", 10),
            (self.env._("Active"), "text", 7),
            (self.env._("Created by"), "text", 16),
            (self.env._("Created at"), "datetime", 18),
            (self.env._("Last Changed by"), "text", 16),
            (self.env._("Last Changed at"), "datetime", 18),
        ]
        self._table("factors", self.env._("Emission factor register, every version (a change is a new version)"),
                    columns, rows)

    def _write_rec_inventory(self):
        check = self.env["carbon.conservation.wizard"].new({"company_id": self.company.id, "date": self.date_to})
        lines = sorted(check._product_lines(), key=lambda vals: vals["product_id"])
        products = self.env["product.product"].browse([vals["product_id"] for vals in lines]).with_context(
            active_test=False)
        by_id = {product.id: product for product in products}
        rows = []
        for row, vals in enumerate(lines, start=5):
            product = by_id[vals["product_id"]]
            rows.append([
                product.display_name, product.uom_id.name, vals["ledger_qty"], vals["stock_qty"],
                xlsx_stream.Formula(f"=C{row}-D{row}", vals["ledger_qty"] - vals["stock_qty"]),
                vals["ledger_carbon"], vals["moves_carbon"],
                xlsx_stream.Formula(f"=F{row}-G{row}", vals["ledger_carbon"] - vals["moves_carbon"]),
                self.env._("Yes") if vals["is_fifo"] else self.env._("No"),
                vals["fifo_remaining"] if vals["is_fifo"] else None,
                vals["fifo_remaining_qty"] if vals["is_fifo"] else None, vals["unassessed_qty"] or None,
            ])
        columns = [
            (self.env._("Product"), "text", 30),
            (self.env._("Unit"), "text", 8),
            (self.env._("Ledger Quantity"), "factor", 14),
            (self.env._("Stock Moves Quantity"), "factor", 14),
            (self.env._("Quantity Difference"), "factor", 14),
            (self.env._("Ledger Inventory (kgCO2e)"), "carbon", 16),
            (self.env._("Stock Moves (kgCO2e)"), "carbon", 16),
            (self.env._("Carbon Difference"), "carbon", 14),
            (self.env._("FIFO"), "text", 6),
            (self.env._("FIFO Remaining (kgCO2e)"), "carbon", 16),
            (self.env._("FIFO Remaining Quantity"), "factor", 14),
            (self.env._("Quantity of Unknown Carbon"), "factor", 14),
        ]
        self._table("rec_inventory", self.env._("Ledger inventory against the stock moves' carbon, per product, at %s",
                                                self.date_to), columns, rows)

    def _write_rec_purchases(self):
        """Per confirmed purchase line received in the period: the carbon of the quantity received at
        the order's kgCO2e per unit, against the carbon the ledger acquired for it."""
        self.env.cr.execute(SQL("""
            WITH received AS (
                SELECT sm.purchase_line_id AS line_id,
                       SUM(CASE WHEN dest.usage = 'supplier' THEN -sm.product_qty ELSE sm.product_qty END) AS qty
                  FROM stock_move sm JOIN stock_location dest ON dest.id = sm.location_dest_id
                 WHERE sm.company_id = %(company)s AND sm.state = 'done' AND sm.purchase_line_id IS NOT NULL
                   AND sm.date::date >= %(date_from)s AND sm.date::date <= %(date_to)s
                 GROUP BY 1
            ), ledger AS (
                SELECT COALESCE(sm.purchase_line_id, l.purchase_line_id) AS line_id,
                       SUM(l.carbon_amount) FILTER (WHERE m.kind <> 'bill_adjustment') AS receipts,
                       SUM(l.carbon_amount) FILTER (WHERE m.kind = 'bill_adjustment') AS bills
                  FROM carbon_move_line l
                  JOIN carbon_move m ON m.id = l.move_id
                  LEFT JOIN stock_move sm ON sm.id = l.stock_move_id
                 WHERE l.company_id = %(company)s AND l.state = 'posted' AND l.date >= %(date_from)s
                   AND l.date <= %(date_to)s AND l.account_type IN ('direct', 'energy', 'acquired')
                   AND COALESCE(sm.purchase_line_id, l.purchase_line_id) IS NOT NULL
                 GROUP BY 1
            )
            SELECT po.name, po.partner_id, pol.product_id, pol.carbon_source, f.code, r.qty,
                   COALESCE(pol.qty_received, 0), pol.product_uom_id, COALESCE(pol.carbon_intensity, 0),
                   COALESCE(g.receipts, 0), COALESCE(g.bills, 0), pol.carbon_note
              FROM purchase_order_line pol
              JOIN purchase_order po ON po.id = pol.order_id
              LEFT JOIN carbon_emission_factor f ON f.id = pol.carbon_factor_id
              LEFT JOIN received r ON r.line_id = pol.id
              LEFT JOIN ledger g ON g.line_id = pol.id
             WHERE r.line_id IS NOT NULL OR g.line_id IS NOT NULL
             ORDER BY pol.id
        """, company=self.company.id, date_from=self.date_from, date_to=self.date_to))
        figures = self.env.cr.fetchall()
        # names of the few vendors, products and units, read together
        partners = self.env["res.partner"].browse({row[1] for row in figures}).with_context(active_test=False)
        products = self.env["product.product"].browse({row[2] for row in figures}).with_context(active_test=False)
        uoms = self.env["uom.uom"].browse({row[7] for row in figures if row[7]})
        partner_names = dict(zip(partners.ids, partners.mapped("display_name"), strict=True))
        product_names = dict(zip(products.ids, products.mapped("display_name"), strict=True))
        product_uoms = {product.id: product.uom_id for product in products}
        uoms = {uom.id: uom for uom in uoms}
        sources = dict(self.env["purchase.order.line"]._fields["carbon_source"]._description_selection(self.env))
        rows = []
        for row, (order, partner, product, source, factor, qty, qty_received, line_uom, intensity, receipts, bills,
                  note) in enumerate(figures, start=5):
            if qty is None:  # a service: what the order line says was received
                qty = uoms[line_uom]._compute_quantity(qty_received, product_uoms[product], round=False)
            known = source not in (None, "unassessed")
            expected = carbon_math.round_carbon(qty * intensity) if known else None
            rows.append([
                order, partner_names.get(partner), product_names.get(product), sources.get(source), factor,
                qty, product_uoms[product].name, intensity if known else None,
                xlsx_stream.Formula(f"=F{row}*H{row}", expected) if known else None, receipts,
                xlsx_stream.Formula(f"=J{row}-I{row}", receipts - expected) if known else None, bills or None, note,
            ])
        columns = [
            (self.env._("Order"), "text", 12),
            (self.env._("Vendor"), "text", 24),
            (self.env._("Product"), "text", 28),
            (self.env._("Carbon Source"), "text", 18),
            (self.env._("Factor Code"), "text", 20),
            (self.env._("Quantity Received in the Period"), "factor", 14),
            (self.env._("Unit"), "text", 8),
            (self.env._("Order's kgCO2e per Unit"), "factor", 14),
            (self.env._("Carbon of the Quantity Received"), "carbon", 16),
            (self.env._("Ledger: Carbon Acquired on Receipt"), "carbon", 16),
            (self.env._("Difference"), "carbon", 14),
            (self.env._("Ledger: Adjusted by Bills"), "carbon", 14),
            (self.env._("Note"), "text", 40),
        ]
        self._table(
            "rec_purchases", self.env._("Carbon acquired against the confirmed purchases received"), columns, rows
        )

    def _write_rec_bills(self):
        """Per vendor bill posted in the period: the carbon its lines give (expenses booked by the bill,
        adjustments of receipts) against what its carbon entries booked."""
        # a bill's lines are its invoice_line_ids: the lines of their domain
        invoice_lines = self.env["account.move.line"].sudo()._search(
            self.env["account.move"]._fields["invoice_line_ids"].domain)
        self.env.cr.execute(SQL("""
            WITH booked AS (
                SELECT m.account_move_id, SUM(l.carbon_amount) AS carbon
                  FROM carbon_move_line l JOIN carbon_move m ON m.id = l.move_id
                 WHERE m.account_move_id IS NOT NULL AND l.company_id = %(company)s AND l.state = 'posted'
                   AND l.date <= %(date_to)s AND l.account_type IN ('direct', 'energy', 'acquired')
                 GROUP BY 1
            ), bill_lines AS (
                SELECT aml.move_id, SUM(COALESCE(aml.carbon_amount, 0)) AS expenses,
                       SUM(COALESCE(aml.carbon_adjustment, 0)) AS adjustments
                  FROM account_move_line aml
                 WHERE aml.company_id = %(company)s AND aml.id IN %(invoice_lines)s
                 GROUP BY 1
            )
            SELECT am.name, am.ref, am.partner_id, am.date, COALESCE(bl.expenses, 0), COALESCE(bl.adjustments, 0),
                   b.carbon
              FROM account_move am
              LEFT JOIN bill_lines bl ON bl.move_id = am.id
              LEFT JOIN booked b ON b.account_move_id = am.id
             WHERE am.company_id = %(company)s AND am.move_type IN ('in_invoice', 'in_refund')
               AND am.state = 'posted' AND am.date >= %(date_from)s AND am.date <= %(date_to)s
             ORDER BY am.date, am.name, am.id
        """, company=self.company.id, date_from=self.date_from, date_to=self.date_to,
            invoice_lines=invoice_lines.subselect()))
        bills = self.env.cr.fetchall()
        partners = self.env["res.partner"].with_context(active_test=False).browse(
            {bill[2] for bill in bills if bill[2]})
        partner_names = dict(zip(partners.ids, partners.mapped("display_name"), strict=True))
        rows = []
        row = 4
        for name, ref, partner, bill_date, expenses, adjustments, ledger in bills:
            expenses, adjustments = carbon_math.round_carbon(expenses), carbon_math.round_carbon(adjustments)
            if carbon_math.is_zero(expenses) and carbon_math.is_zero(adjustments) and ledger is None:
                continue
            row += 1
            ledger = ledger or 0.0
            rows.append([
                name, ref, partner_names.get(partner), bill_date, expenses, adjustments,
                xlsx_stream.Formula(f"=E{row}+F{row}", expenses + adjustments), ledger,
                xlsx_stream.Formula(f"=H{row}-G{row}", ledger - expenses - adjustments),
            ])
        columns = [
            (self.env._("Bill"), "text", 16),
            (self.env._("Vendor Reference"), "text", 16),
            (self.env._("Vendor"), "text", 24),
            (self.env._("Date"), "date", 11),
            (self.env._("Bill Lines: Expenses (kgCO2e)"), "carbon", 16),
            (self.env._("Bill Lines: Adjustments of Receipts (kgCO2e)"), "carbon", 16),
            (self.env._("Bill Lines: Total"), "carbon", 16),
            (self.env._("Ledger: Booked by the Bill"), "carbon", 16),
            (self.env._("Difference"), "carbon", 14),
        ]
        self._table("rec_bills", self.env._("Carbon of vendor bills against their bill lines"), columns, rows)

    def _evidence(self, record):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        files = []
        if record.verification_statement_name:
            files.append(record.verification_statement_name)
        files += [f"{a.name} ({base}/web/content/{a.id})" for a in record.attachment_ids]
        return "; ".join(files) or None

    def _write_removals(self):
        """The E-asset register up to the period's end; returns the ranges the GHG statement's
        removals formula reads."""
        removals = self.env["carbon.removal"].search(
            [("company_id", "=", self.company.id), ("removal_date", "<=", self.date_to)], order="removal_date, id")
        label = self._label
        rows = [[
            r.name, r.removal_date, label(r._name, "origin", r.origin), label(r._name, "method", r.method),
            r.verification_state, r.tonnes, r.buffer_percent, r.retired, r.sold, r.reversed_tonnes, r.held,
            r.vintage or None, r.registry_name, f"{r.serial_from or ''} - {r.serial_to or ''}"
            if r.serial_from or r.serial_to else None, r.verifier_id.display_name, r.verification_date,
            self._evidence(r),
        ] for r in removals]
        columns = [
            (self.env._("Reference"), "text", 16),
            (self.env._("Date"), "date", 11),
            (self.env._("Origin"), "text", 12),
            (self.env._("Method"), "text", 20),
            (self.env._("Verification (key)"), "text", 10),
            (self.env._("Tonnes (tCO2e)"), "carbon", 12),
            (self.env._("Buffer (%)"), "number", 8),
            (self.env._("Retired"), "carbon", 10),
            (self.env._("Sold"), "carbon", 10),
            (self.env._("Reversed"), "carbon", 10),
            (self.env._("Held"), "carbon", 10),
            (self.env._("Vintage"), "integer", 8),
            (self.env._("Registry"), "text", 14),
            (self.env._("Serial Numbers"), "text", 20),
            (self.env._("Verifier"), "text", 20),
            (self.env._("Verified on"), "date", 11),
            (self.env._("Evidence"), "text", 60),
        ]
        first, last = self._table("removals", self.env._("E-asset (removal) register and its evidence"), columns, rows)
        last = max(first, last)
        name = quote_sheet(self.sheet_names["removals"])
        return {key: f"{name}!${letter}${first + 1}:${letter}${last + 1}"
                for key, letter in (("date", "B"), ("verification", "E"), ("tonnes", "F"))}

    def _write_credits(self):
        credits = self.env["carbon.credit"].search(
            [("company_id", "=", self.company.id), ("date", "<=", self.date_to)], order="date, id")
        retired = defaultdict(float)
        for credit, tonnes in self.env["carbon.register.movement"]._read_group(
                [("company_id", "=", self.company.id), ("movement_type", "=", "retire"),
                 ("date", ">=", self.date_from), ("date", "<=", self.date_to)], ["credit_id"], ["tonnes:sum"]):
            retired[credit] += tonnes
        label = self._label
        rows = [[
            c.name, c.date, label(c._name, "credit_type", c.credit_type), label(c._name, "origin", c.origin),
            c.verification_state, c.standard, c.project_name, c.project_reference, c.tonnes, retired.get(c, 0.0),
            c.retired, c.held, c.vintage or None, c.registry_name,
            f"{c.serial_from or ''} - {c.serial_to or ''}" if c.serial_from or c.serial_to else None,
            c.verifier_id.display_name, c.verification_date, self._evidence(c),
        ] for c in credits]
        columns = [
            (self.env._("Reference"), "text", 16),
            (self.env._("Date"), "date", 11),
            (self.env._("Type"), "text", 14),
            (self.env._("Origin"), "text", 12),
            (self.env._("Verification (key)"), "text", 10),
            (self.env._("Standard"), "text", 14),
            (self.env._("Project"), "text", 20),
            (self.env._("Project ID"), "text", 12),
            (self.env._("Tonnes (tCO2e)"), "carbon", 12),
            (self.env._("Retired in the Period"), "carbon", 12),
            (self.env._("Retired to Date"), "carbon", 12),
            (self.env._("Held"), "carbon", 10),
            (self.env._("Vintage"), "integer", 8),
            (self.env._("Registry"), "text", 14),
            (self.env._("Serial Numbers"), "text", 20),
            (self.env._("Verifier"), "text", 20),
            (self.env._("Verified on"), "date", 11),
            (self.env._("Evidence"), "text", 60),
        ]
        self._table("credits", self.env._("Carbon credit register (retired credits never reduce E-liabilities)"),
                    columns, rows)

    def _write_unassessed(self, ghg):
        self.env.cr.execute(SQL("""
            SELECT m.name, l.date, a.code, COALESCE(pt.name->>%(lang)s, pt.name->>'en_US'), l.quantity,
                   COALESCE(cur.name, COALESCE(uom.name->>%(lang)s, uom.name->>'en_US')),
                   COALESCE(sm.carbon_note, pol.carbon_note)
              FROM carbon_move_line l
              JOIN carbon_move m ON m.id = l.move_id
              JOIN carbon_account a ON a.id = l.account_id
              LEFT JOIN stock_move sm ON sm.id = l.stock_move_id
              LEFT JOIN purchase_order_line pol ON pol.id = l.purchase_line_id
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN uom_uom uom ON uom.id = l.product_uom_id
              LEFT JOIN res_currency cur ON cur.id = l.currency_id
             WHERE %(lines)s AND l.unassessed
             ORDER BY l.id
        """, lang=self.lang, lines=self._lines_filter()))
        rows = [[self.env._("Ledger line"), *values] for values in self.env.cr.fetchall()]
        statuses = self.env["carbon.report.ghg.wizard"]._statuses()
        rows += [[self.env._("Scope 3 category"), None, None, None, values["label"], None, None,
                  f"{statuses[values['status']]}: {values['reason']}"]
                 for values in ghg["scope3_by_category"].values() if values["status"] != "figures"]
        columns = [
            (self.env._("Item"), "text", 16),
            (self.env._("Entry"), "text", 18),
            (self.env._("Date"), "date", 11),
            (self.env._("Account"), "text", 8),
            (self.env._("Product / Category"), "text", 36),
            (self.env._("Quantity"), "factor", 14),
            (self.env._("Unit"), "text", 8),
            (self.env._("Why Unassessed"), "text", 70),
        ]
        self._table(
            "unassessed", self.env._("Unassessed items: carbon unknown, counted nowhere as zero"), columns, rows
        )

    def _write_reversals(self):
        moves = self.env["carbon.move"].search([
            ("company_id", "=", self.company.id), ("state", "=", "posted"),
            ("date", ">=", self.date_from), ("date", "<=", self.date_to),
            "|", "|", ("reversed_entry_id", "!=", False), ("reversal_ids", "!=", False),
            ("kind", "in", ("adjustment", "bill_adjustment")),
        ], order="secure_sequence_number, id")
        kinds = dict(self.env["carbon.move"]._fields["kind"]._description_selection(self.env))
        rows = []
        for move in moves:
            if move.reversed_entry_id:
                what = self.env._("Reversal of %s", move.reversed_entry_id.name)
            elif move.reversal_ids:
                what = self.env._("Reversed by %s", ", ".join(move.reversal_ids.mapped("name")))
            else:
                what = self.env._("Adjustment")
            rows.append([
                move.name, move.date, move.origin_date, kinds.get(move.kind), what, move.ref,
                move.source_document.display_name if move.source_document else None, move.total_carbon,
                move.posted_by_id.name, move.posted_at, move.secure_sequence_number, move.inalterable_hash,
            ])
        columns = [
            (self.env._("Entry"), "text", 18),
            (self.env._("Date"), "date", 11),
            (self.env._("Original Date"), "date", 11),
            (self.env._("Kind"), "text", 20),
            (self.env._("What"), "text", 28),
            (self.env._("Reference"), "text", 24),
            (self.env._("Source Document"), "text", 24),
            (self.env._("Carbon (kgCO2e)"), "carbon", 14),
            (self.env._("Posted by"), "text", 16),
            (self.env._("Posted at"), "datetime", 18),
            (self.env._("Sequence"), "integer", 8),
            (self.env._("Hash"), "text", 66),
        ]
        self._table("reversals", self.env._("Reversals and adjustments posted in the period"), columns, rows)


def _entry(keys, key):
    """The zip entry of the worksheet ``key`` among the sheets ``keys``, in the order they were added."""
    return f"xl/worksheets/sheet{keys.index(key) + 1}.xml"


def _escape(expr):
    """SQL: the text ``expr`` escaped as ``xlsx_stream.escape_text`` escapes it."""
    escaped = SQL("translate(%s, %s, '')", expr, xlsx_stream.CONTROL_CHARS)
    for char, reference in xlsx_stream.TEXT_ESCAPES:
        escaped = SQL("replace(%s, %s, %s)", escaped, char, reference)
    return escaped


def _escaped_if_needed(expr):
    """SQL: the text ``expr`` escaped when it has characters to escape or outer spaces to keep (a
    regular expression finds these few texts), else NULL."""
    return SQL("CASE WHEN %s ~ %s THEN %s END", expr, NEEDS_ESCAPE, _escape(expr))


def _plain_text_cell(expr):
    """SQL: the inline-string cell of the text ``expr``, as ``xlsx_stream.text_cell`` writes it."""
    return _text_cell(expr, _escaped_if_needed(expr))


def _text_cell(expr, escaped):
    """SQL: the inline-string cell of the text ``expr`` given ``escaped``, the text escaped when it
    needs it, else NULL (``_escaped_if_needed``)."""
    plain, preserved = xlsx_stream.TEXT_CELL, xlsx_stream.PRESERVED_TEXT_CELL
    return SQL("CASE WHEN %s IS NULL OR %s = '' THEN %s WHEN %s IS NOT NULL THEN concat(%s, %s, %s) "
               "ELSE concat(%s, %s, %s) END", expr, expr, xlsx_stream.EMPTY_CELL, escaped,
               preserved[0], escaped, preserved[1], plain[0], expr, plain[1])


def _number_cell(expr, style):
    """SQL: the number cell of ``expr`` in the cell format numbered ``style``."""
    return SQL("CASE WHEN %s IS NULL THEN %s ELSE concat(%s, %s, '</v></c>') END", expr, xlsx_stream.EMPTY_CELL,
               f'<c s="{style}"><v>', expr)


def _plain_number(trimmed):
    """SQL: a number as ``carbon_math.plain_number`` writes it (6 decimals at most, no trailing
    zeros, one decimal kept), given ``trimmed``, the number rounded to 6 decimals and trimmed
    (``trim_scale(round(number, 6))``)."""
    return SQL("CASE WHEN scale(%s) = 0 THEN round(%s, 1)::text ELSE %s::text END", trimmed, trimmed, trimmed)


def _criterion(value):
    return f'"{value}"' if isinstance(value, str) else str(value)
