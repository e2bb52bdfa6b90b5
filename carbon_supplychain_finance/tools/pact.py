"""PACT Technical Specifications v3 (WBCSD): the plain rules of the exchange format.

Decimals as JSON strings, query filters, pagination links, and the checks a data recipient makes on a
ProductFootprint before importing anything from it. Pure functions, no Odoo import: the models and
the API router call them, ``tests/unit`` tests them directly.
"""
import re
import uuid
from datetime import date, datetime, time, timezone
from urllib.parse import urlencode, urlsplit

SPEC_VERSION = "3.0.3"
#: The declared units of the spec (``CarbonFootprint.declaredUnitOfMeasurement``).
DECLARED_UNITS = ("liter", "kilogram", "cubic meter", "kilowatt hour", "megajoule", "ton kilometer",
                  "square meter", "piece", "hour", "megabit second")
#: ListFootprints filters holding several values (OR within one, AND between them).
LIST_FILTERS = ("productId", "companyId", "geography", "classification")
DATE_FILTERS = ("validOn", "validAfter", "validBefore")
STATUSES = ("Active", "Deprecated")
EVENT_TYPES = {
    "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3": "request",
    "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3": "fulfilled",
    "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3": "rejected",
    "org.wbcsd.pact.ProductFootprint.PublishedEvent.3": "published",
}
#: Error codes of the spec's ``Error`` schema, with their HTTP status.
ERRORS = {"BadRequest": 400, "AccessDenied": 403, "TokenExpired": 401, "NotFound": 404, "InternalError": 500,
          "NotImplemented": 400}

DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")
URN = re.compile(r"^([uU][rR][nN]):")


class PactError(ValueError):
    """A PACT error response: its ``code`` (of ``ERRORS``) and message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def status(self):
        return ERRORS[self.code]

    def body(self):
        return {"code": self.code, "message": self.message}


def decimal_string(value, digits=6):
    """A number as a PACT decimal: a JSON string, fixed-point (no exponent), at most ``digits``
    decimals, without trailing zeros: 2.0 -> "2", 0.0000015 -> "0.000002", -0.0 -> "0"."""
    text = f"{round(float(value), digits):.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def parse_decimal(value, name):
    """The float of a PACT decimal string; ValueError naming the property when it is not one."""
    if not isinstance(value, str) or not DECIMAL.match(value):
        raise ValueError(f"{name} is not a decimal string: {value!r}")
    return float(value)


def timestamp(value):
    """An ISO 8601 UTC timestamp (``Z``) of a date (at midnight) or a naive UTC datetime."""
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def parse_timestamp(value, name):
    """The naive UTC datetime of an ISO 8601 timestamp; ValueError naming the parameter."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except (AttributeError, ValueError):
        raise ValueError(f"{name} is not an ISO 8601 date-time: {value!r}") from None
    if parsed.tzinfo:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def parse_list_query(pairs):
    """The filters of a ListFootprints query string, from its ``(name, value)`` pairs.

    Returns ``(filters, limit, offset)``; ``filters`` maps each criterion given to a tuple of its
    values (lower-cased where the spec says the match is case-insensitive) or, for the dates, a
    datetime. Unknown parameters prefixed ``x-`` are ignored (vendor extensions); other unknown ones
    are NotImplemented (such as v2's ``$filter``), malformed values a BadRequest."""
    names = {name.lower(): name for name in LIST_FILTERS + DATE_FILTERS + ("status", "limit", "offset")}
    filters, limit, offset = {}, None, 0
    for raw_name, value in pairs:
        name = names.get(raw_name.lower())
        if not name:
            if raw_name.lower().startswith("x-"):
                continue
            raise PactError("NotImplemented", f"The query parameter {raw_name} is not supported.")
        if name in LIST_FILTERS:
            filters.setdefault(name, ())
            filters[name] += tuple(v.strip().lower() for v in value.split(",") if v.strip())
        elif name in DATE_FILTERS:
            try:
                filters[name] = parse_timestamp(value, name)
            except ValueError as error:
                raise PactError("BadRequest", str(error)) from None
        elif name == "status":
            status = {s.lower(): s for s in STATUSES}.get(value.lower())
            if not status:
                raise PactError("BadRequest", "status is Active or Deprecated.")
            filters["status"] = status
        else:
            if not value.isdigit():
                raise PactError("BadRequest", f"{name} is a non-negative integer.")
            if name == "limit":
                limit = int(value)
            else:
                offset = int(value)
    return filters, limit, offset


def next_link(url, pairs, offset, limit):
    """The ``Link`` header of the next page: the same absolute URL and filters, the next offset."""
    kept = [(name, value) for name, value in pairs if name.lower() not in ("offset", "limit")]
    query = urlencode(kept + [("limit", str(limit)), ("offset", str(offset))])
    return f'<{url}?{query}>; rel="next"'


def matches(footprint, filters):
    """Whether a ProductFootprint (as served) matches the ListFootprints filters (``parse_list_query``)."""
    pcf = footprint["pcf"]
    values = {
        "productId": footprint["productIds"],
        "companyId": footprint["companyIds"],
        "classification": footprint.get("productClassifications", []),
        "geography": [pcf.get(key) for key in ("geographyRegionOrSubregion", "geographyCountry",
                                                "geographyCountrySubdivision") if pcf.get(key)],
    }
    for name, wanted in filters.items():
        if name in values and not {v.lower() for v in values[name]} & set(wanted):
            return False
    if "status" in filters and footprint["status"] != filters["status"]:
        return False
    start, end = validity(footprint)
    if "validOn" in filters and not (start <= filters["validOn"] <= end):
        return False
    if "validAfter" in filters and not start > filters["validAfter"]:
        return False
    return not ("validBefore" in filters and not end < filters["validBefore"])


def validity(footprint):
    """The validity period of a ProductFootprint: as given, else 3 years from the reference period's end."""
    reference_end = parse_timestamp(footprint["pcf"]["referencePeriodEnd"], "referencePeriodEnd")
    start = parse_timestamp(footprint["validityPeriodStart"], "validityPeriodStart") \
        if footprint.get("validityPeriodStart") else reference_end
    end = parse_timestamp(footprint["validityPeriodEnd"], "validityPeriodEnd") \
        if footprint.get("validityPeriodEnd") else reference_end.replace(year=reference_end.year + 3)
    return start, end


def same_origin(url, base_url):
    """Whether ``url`` is absolute and on the scheme, host and port of ``base_url``."""
    link, base = urlsplit(url), urlsplit(base_url)
    return bool(link.scheme and link.netloc) and (link.scheme, link.netloc) == (base.scheme, base.netloc)


def check_footprint(footprint):
    """What a data recipient needs of a ProductFootprint before importing it, checked.

    Returns ``{id, status, product_ids, unit, amount, pcf, verified, primary_share, validity}`` with
    the pcf per declared unit amount (pcfExcludingBiogenicUptake, kgCO2e); ValueError naming the
    footprint and the property that is wrong."""
    if not isinstance(footprint, dict):
        raise ValueError(f"a footprint is not a JSON object: {str(footprint)[:80]!r}")
    ident = footprint.get("id")
    try:
        uuid.UUID(str(ident))
    except ValueError:
        raise ValueError(f"footprint id {ident!r} is not a UUID") from None
    try:
        pcf = footprint.get("pcf")
        if not isinstance(pcf, dict):
            raise ValueError("pcf is missing")
        if footprint.get("status") not in STATUSES:
            raise ValueError(f"status {footprint.get('status')!r} is not Active or Deprecated")
        product_ids = footprint.get("productIds")
        if not isinstance(product_ids, list) or not product_ids or not all(
                isinstance(p, str) and URN.match(p) for p in product_ids):
            raise ValueError("productIds is not a non-empty list of URNs")
        unit = pcf.get("declaredUnitOfMeasurement")
        if unit not in DECLARED_UNITS:
            raise ValueError(f"declaredUnitOfMeasurement {unit!r} is not a unit of the spec")
        amount = parse_decimal(pcf.get("declaredUnitAmount"), "declaredUnitAmount")
        if amount <= 0:
            raise ValueError("declaredUnitAmount is not positive")
        value = parse_decimal(pcf.get("pcfExcludingBiogenicUptake"), "pcfExcludingBiogenicUptake")
        mass = parse_decimal(pcf.get("productMassPerDeclaredUnit"), "productMassPerDeclaredUnit")
        share = parse_decimal(pcf["primaryDataShare"], "primaryDataShare") \
            if pcf.get("primaryDataShare") is not None else None
        verification = pcf.get("verification") or {}
        if not isinstance(verification, dict):
            raise ValueError("verification is not an object")
        period = validity(footprint)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"footprint {ident}: {error}") from None
    return {"id": str(ident), "status": footprint["status"], "product_ids": [p.lower() for p in product_ids],
            "unit": unit, "amount": amount, "pcf": value, "mass": mass,
            "verified": bool(verification.get("providerName") and verification.get("completedAt")),
            "primary_share": share, "validity": period}


def data_quality(checked):
    """The data quality of a vendor's declaration from its checked footprint: verified when a
    verifier completed a verification, secondary when the vendor declares no primary data at all,
    else primary (the vendor's own product footprint)."""
    if checked["verified"]:
        return "verified"
    if checked["primary_share"] is not None and checked["primary_share"] <= 0:
        return "secondary"
    return "primary"
