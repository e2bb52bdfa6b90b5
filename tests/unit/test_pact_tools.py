from datetime import datetime

import pytest
from carbon_scf_tools import pact


@pytest.mark.parametrize("value, expected", [
    (2.0, "2"), (0.0, "0"), (-0.0, "0"), (0.0000015, "0.000002"), (1234.5, "1234.5"), (-0.25, "-0.25"),
    (1e-7, "0"), (12345678.123456789, "12345678.123457"),
])
def test_decimal_string(value, expected):
    assert pact.decimal_string(value) == expected
    assert pact.DECIMAL.match(expected)


@pytest.mark.parametrize("text", ["1.5", "-2", "+0.25", "0"])
def test_parse_decimal(text):
    assert pact.parse_decimal(text, "x") == float(text)


@pytest.mark.parametrize("value", [1.5, "1e3", "1,5", "", None, ".5"])
def test_parse_decimal_rejects(value):
    with pytest.raises(ValueError, match="pcf is not a decimal string"):
        pact.parse_decimal(value, "pcf")


def test_parse_list_query():
    filters, limit, offset = pact.parse_list_query([
        ("productId", "URN:GTIN:1"), ("productid", "urn:gtin:2,urn:gtin:3"), ("geography", "CN"),
        ("validOn", "2026-04-01T08:00:00+08:00"), ("status", "active"), ("limit", "10"), ("offset", "20"),
        ("x-atq-invoice-id", "12345")])
    assert filters == {"productId": ("urn:gtin:1", "urn:gtin:2", "urn:gtin:3"), "geography": ("cn",),
                       "validOn": datetime(2026, 4, 1), "status": "Active"}
    assert (limit, offset) == (10, 20)


@pytest.mark.parametrize("pairs, message", [
    ([("limit", "-1")], "limit is a non-negative integer"),
    ([("status", "gone")], "status is Active or Deprecated"),
    ([("validBefore", "soon")], "validBefore is not an ISO 8601 date-time"),
])
def test_parse_list_query_bad_request(pairs, message):
    with pytest.raises(pact.PactError, match=message) as error:
        pact.parse_list_query(pairs)
    assert (error.value.code, error.value.status) == ("BadRequest", 400)


def test_parse_list_query_not_implemented():
    with pytest.raises(pact.PactError, match="The query parameter \\$filter is not supported") as error:
        pact.parse_list_query([("$filter", "x")])
    assert (error.value.code, error.value.status) == ("NotImplemented", 400)


def test_next_link_keeps_filters():
    link = pact.next_link("https://api.example.com/pact/3/footprints",
                          [("geography", "FR"), ("limit", "10"), ("offset", "0")], 10, 10)
    assert link == '<https://api.example.com/pact/3/footprints?geography=FR&limit=10&offset=10>; rel="next"'


def footprint(**changes):
    pf = {"id": "91715e5e-fd0b-4d1c-8fab-76290c46e6ed", "status": "Active", "productIds": ["urn:gtin:5695872369587"],
          "companyIds": ["urn:x:1"],
          "pcf": {"declaredUnitOfMeasurement": "liter", "declaredUnitAmount": "2", "productMassPerDeclaredUnit": "1.8",
                  "pcfExcludingBiogenicUptake": "1.85", "referencePeriodEnd": "2026-01-01T00:00:00Z",
                  "geographyCountry": "FR", "primaryDataShare": "12.9"}}
    pf.update(changes)
    return pf


def test_validity_defaults_to_three_years_after_reference_period():
    assert pact.validity(footprint()) == (datetime(2026, 1, 1), datetime(2029, 1, 1))
    assert pact.validity(footprint(validityPeriodStart="2026-02-01T00:00:00Z",
                                   validityPeriodEnd="2026-12-31T00:00:00Z")) == \
        (datetime(2026, 2, 1), datetime(2026, 12, 31))


def test_matches():
    pf = footprint()
    assert pact.matches(pf, {"productId": ("urn:gtin:1", "urn:gtin:5695872369587"), "geography": ("fr",)})
    assert not pact.matches(pf, {"productId": ("urn:gtin:5695872369587",), "geography": ("de",)})
    assert not pact.matches(pf, {"classification": ("urn:cpc:1",)})
    assert pact.matches(pf, {"validOn": datetime(2028, 6, 1), "status": "Active"})
    assert not pact.matches(pf, {"validBefore": datetime(2028, 6, 1)})
    assert pact.matches(pf, {"validAfter": datetime(2025, 12, 31)})


def test_check_footprint_and_data_quality():
    checked = pact.check_footprint(footprint())
    assert (checked["unit"], checked["amount"], checked["pcf"], checked["primary_share"]) == ("liter", 2.0, 1.85, 12.9)
    assert pact.data_quality(checked) == "primary"
    zero = pact.check_footprint(footprint(pcf=dict(footprint()["pcf"], primaryDataShare="0")))
    assert pact.data_quality(zero) == "secondary"
    verified = pact.check_footprint(footprint(pcf=dict(footprint()["pcf"], verification={
        "providerName": "V", "completedAt": "2026-02-01T00:00:00Z"})))
    assert pact.data_quality(verified) == "verified"


@pytest.mark.parametrize("changes, message", [
    ({"id": "not-a-uuid"}, "is not a UUID"),
    ({"status": "Draft"}, "status 'Draft' is not Active or Deprecated"),
    ({"productIds": ["gtin:1"]}, "productIds is not a non-empty list of URNs"),
    ({"pcf": {"declaredUnitOfMeasurement": "pound"}}, "declaredUnitOfMeasurement 'pound' is not a unit"),
    ({"pcf": dict(footprint()["pcf"], declaredUnitAmount="0")}, "declaredUnitAmount is not positive"),
    ({"pcf": dict(footprint()["pcf"], pcfExcludingBiogenicUptake=1.85)}, "is not a decimal string"),
])
def test_check_footprint_rejects(changes, message):
    with pytest.raises(ValueError, match=message):
        pact.check_footprint(footprint(**changes))


def test_same_origin():
    assert pact.same_origin("http://127.0.0.1:8069/pact/3/footprints?offset=1", "http://127.0.0.1:8069/pact")
    assert not pact.same_origin("/pact/3/footprints?offset=1", "http://127.0.0.1:8069/pact")
    assert not pact.same_origin("http://evil.example/3/footprints", "http://127.0.0.1:8069/pact")
