"""Parse and validate the emission-factor CSV format (documented in the README).

Pure Python: the result is plain dicts holding references as text (unit codes, currency
and country codes, GWP set codes); the import wizard resolves them to records. Every
problem is reported with its CSV line number, and a file with any problem imports nothing.
"""
import csv
import io
from datetime import date

REQUIRED_COLUMNS = ("code", "name", "basis", "source")
GAS_COLUMNS = ("co2", "ch4_fossil", "ch4_biogenic", "n2o")
OPTIONAL_COLUMNS = (
    "value", "unit", "currency", "scope", "scope3_category", "country", "date_from", "date_to",
    "uncertainty", "gwp_set", "co2_biogenic", "reference_url", "notes",
) + GAS_COLUMNS
BASES = ("physical", "spend")
SCOPES = ("1", "2", "3")


class FactorCSVError(ValueError):
    """The file cannot be read as a factor CSV at all (encoding, header)."""


class RowError(str):
    """A message about one line of the file, that knows the line (``line``; 0: the file as a whole)
    so that messages found later about other lines can be put in the order of the file."""

    def __new__(cls, line, message):
        error = super().__new__(cls, message)
        error.line = line
        return error


def decode(content):
    """Text of a CSV given as bytes (UTF-8, with or without BOM) or str."""
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FactorCSVError(f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _number(text, what, errors, minimum=None):
    try:
        value = float(text)
    except ValueError:
        errors.append(f"{what} '{text}' is not a number")
        return None
    if value != value or value in (float("inf"), float("-inf")):
        errors.append(f"{what} '{text}' is not a finite number")
        return None
    if minimum is not None and value < minimum:
        errors.append(f"{what} must be at least {minimum:g}, got {value:g}")
        return None
    return value


def _date(text, what, errors):
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(f"{what} '{text}' is not a date in the form YYYY-MM-DD")
        return None


def parse_factor_csv(content):
    """Return ``(rows, errors)``.

    ``rows`` is a list of dicts (``line`` = the CSV line number, plus one key per column,
    typed: floats, dates, gas amounts under ``gases``); ``errors`` a list of messages
    "Line N (code X): ..." (:class:`RowError`). ``rows`` holds the rows without errors.
    """
    text = decode(content)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise FactorCSVError("the file is empty: a header line is expected")
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise FactorCSVError("missing column(s): " + ", ".join(missing))
    unknown = [c for c in header if c and c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise FactorCSVError("unknown column(s): " + ", ".join(unknown))

    rows, errors, seen = [], [], {}
    for raw in reader:
        line = reader.line_num
        if None in raw:
            errors.append(RowError(line, f"Line {line}: more fields than columns in the header"))
            continue
        cells = {k: (v or "").strip() for k, v in raw.items()}
        if not any(cells.values()):
            continue
        row_errors = []
        row = _parse_row(cells, row_errors)
        label = f"Line {line}" + (f" (code {cells.get('code')})" if cells.get("code") else "")
        errors.extend(RowError(line, f"{label}: {e}") for e in row_errors)
        if row_errors:
            continue
        key = (row["code"], row["date_from"])
        if key in seen:
            errors.append(RowError(line, f"{label}: the same code and date_from already stand on line {seen[key]}"))
            continue
        seen[key] = line
        row["line"] = line
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(0, "the file has a header but no factor rows"))
    return rows, errors


def _parse_row(c, errors):
    row = {k: c.get(k, "") for k in ("code", "name", "source", "reference_url", "notes", "country", "gwp_set")}
    for col in REQUIRED_COLUMNS:
        if not c.get(col):
            errors.append(f"'{col}' is required")
    basis = c.get("basis", "").lower()
    if basis and basis not in BASES:
        errors.append(f"basis '{c['basis']}' must be one of {', '.join(BASES)}")
    row["basis"] = basis
    row["unit"] = c.get("unit", "")
    row["currency"] = c.get("currency", "").upper()
    if basis == "physical" and not row["unit"]:
        errors.append("a physical factor needs a unit")
    if basis == "spend" and not row["currency"]:
        errors.append("a spend-based factor needs a currency")

    gases = {}
    for gas in GAS_COLUMNS:
        if c.get(gas):
            amount = _number(c[gas], gas, errors, minimum=0)
            if amount is not None:
                gases[gas] = amount
    row["gases"] = gases
    row["gwp_set"] = c.get("gwp_set", "").upper()
    if gases and not row["gwp_set"]:
        errors.append("gas amounts are given, so 'gwp_set' (AR5 or AR6) is required")
    row["value"] = _number(c["value"], "value", errors, minimum=0) if c.get("value") else None
    if row["value"] is None and not gases and not c.get("value"):
        errors.append("'value' is required when no gas amounts are given")
    row["co2_biogenic"] = (
        _number(c["co2_biogenic"], "co2_biogenic", errors, minimum=0) if c.get("co2_biogenic") else 0.0
    )

    scope = c.get("scope", "") or "3"
    if scope not in SCOPES:
        errors.append(f"scope '{scope}' must be 1, 2 or 3")
    row["scope"] = scope
    cat = c.get("scope3_category", "")
    row["scope3_category"] = cat
    if cat:
        if scope != "3":
            errors.append("scope3_category is only for scope 3 factors")
        elif not cat.isdigit() or not 1 <= int(cat) <= 15:
            errors.append(f"scope3_category '{cat}' must be a GHG Protocol category from 1 to 15")
    row["country"] = c.get("country", "").upper()
    row["uncertainty"] = _number(c["uncertainty"], "uncertainty", errors, minimum=0) if c.get("uncertainty") else 0.0
    row["date_from"] = _date(c["date_from"], "date_from", errors) if c.get("date_from") else None
    row["date_to"] = _date(c["date_to"], "date_to", errors) if c.get("date_to") else None
    if row["date_from"] and row["date_to"] and row["date_to"] < row["date_from"]:
        errors.append("date_to is before date_from")
    return row
