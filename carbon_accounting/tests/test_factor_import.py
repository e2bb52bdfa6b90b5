import base64
import threading
import time
from contextlib import suppress
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import file_open

from ..wizard import carbon_factor_import
from .common import CarbonCommon

HEADER = "code,name,basis,value,unit,currency,scope,scope3_category,country,date_from,date_to,uncertainty,gwp_set,co2,ch4_fossil,ch4_biogenic,n2o,co2_biogenic,source,reference_url,notes\n"  # noqa: E501
GOOD = HEADER + (
    'CN.GRID.2022,China grid 2022,physical,,kWh,,2,,CN,2022-01-01,2022-12-31,,AR6,0.5366,,,,,"MEE / NBS / 2024",https://www.mee.gov.cn/,\n'  # noqa: E501
    "TEST.DIESEL,Diesel stationary,physical,,kg,,1,,,,,5,AR6,3.1863,0.000129,,0.0000258,,IPCC 2006 / IPCC / 2006,,NCV 43.0 TJ/Gg\n"  # noqa: E501
    "TEST.WOOD,Lychee wood,physical,,kg,,1,,,,,,AR6,,,0.00468,0.0000624,1.7472,IPCC 2006 / IPCC / 2006,,biogenic CO2 memo\n"  # noqa: E501
    "TEST.HGV,Truck freight,physical,0.10163,tkm,,3,4,,,,,,,,,,,DESNZ / UK / 2025,,\n"
    "TEST.FRUIT,Fruit farming,spend,0.5,,USD,3,1,US,,,,,,,,,,US EPA SCEF v1.2 / EPA / 2024,,\n"
)


class _Handler(BaseHTTPRequestHandler):
    routes = {}

    def do_GET(self):
        status, body, delay = self.routes.get(self.path, (404, b"not found", 0))
        time.sleep(delay)
        with suppress(BrokenPipeError):  # the client gave up waiting (timeout test)
            self.send_response(status)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestFactorImport(CarbonCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        cls.server.daemon_threads = True
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.base_url = f"http://127.0.0.1:{cls.server.server_address[1]}"
        _Handler.routes = {
            "/good.csv": (200, GOOD.encode(), 0),
            "/broken.csv": (200, (HEADER + "X,Bad,physical,abc,kg,,3,,,,,,,,,,,,S,,\n").encode(), 0),
            "/error.csv": (500, b"boom", 0),
            "/slow.csv": (200, GOOD.encode(), 11),
        }
        cls.Factor = cls.env["carbon.emission.factor"]
        cls.Wizard = cls.env["carbon.factor.import.wizard"]

    def _import(self, text, company=None):
        return self.Wizard._import_csv(text.encode(), company)

    def _count(self):
        return self.Factor.with_context(active_test=False).search_count([])

    def test_import_good_file(self):
        factors = self._import(GOOD)
        self.assertEqual(len(factors), 5)
        by_code = {f.code: f for f in factors}
        grid, diesel, wood = by_code["CN.GRID.2022"], by_code["TEST.DIESEL"], by_code["TEST.WOOD"]
        self.assertRecordValues(grid, [{
            "uom_id": self.env.ref("carbon_accounting.uom_kwh").id, "scope": "2", "date_from": date(2022, 1, 1),
            "date_to": date(2022, 12, 31), "country_id": self.env.ref("base.cn").id, "gwp_set_id": self.ar6.id,
            "source": "MEE / NBS / 2024", "company_id": False,
        }])
        self.assertAlmostEqual(grid.value, 0.5366, places=6)
        self.assertAlmostEqual(diesel.value, 3.1863 + 0.000129 * 29.8 + 0.0000258 * 273, places=6)
        self.assertEqual(diesel.uncertainty, 5.0)
        self.assertAlmostEqual(wood.value, 0.00468 * 27.0 + 0.0000624 * 273, places=6)
        self.assertAlmostEqual(wood.co2_biogenic, 1.7472, places=6)
        self.assertRecordValues(by_code["TEST.HGV"], [{
            "uom_id": self.env.ref("carbon_accounting.uom_tkm").id, "value": 0.10163, "scope3_category": "4",
        }])
        self.assertRecordValues(by_code["TEST.FRUIT"], [{"basis": "spend", "currency_id": self.usd.id, "value": 0.5}])

    def test_reimport_is_idempotent_and_updates_unused_versions(self):
        first = self._import(GOOD)
        count = self._count()
        self.assertEqual(self._import(GOOD), first)
        self.assertEqual(self._count(), count)
        changed = self._import(GOOD.replace("0.10163", "0.2"))
        self.assertEqual(self._count(), count)
        self.assertEqual(changed.filtered(lambda f: f.code == "TEST.HGV").value, 0.2)

    def test_reimport_refuses_to_change_a_used_version(self):
        hgv = self._import(GOOD).filtered(lambda f: f.code == "TEST.HGV")
        freight = self._product("Freight", uom=self.env.ref("carbon_accounting.uom_tkm"), factor=hgv)
        self._po([(freight, 100, freight.uom_id, 1.0)], confirm=True).order_line.mapped("carbon_amount")
        hgv.invalidate_recordset(["is_locked"])
        with self.assertRaisesRegex(UserError, "Line 5 .*used by confirmed documents"):
            self._import(GOOD.replace("0.10163", "0.2"))
        self.assertEqual(hgv.value, 0.10163)
        # the same figures again are fine
        self._import(GOOD)

    def test_bad_rows_are_named_and_nothing_is_imported(self):
        count = self._count()
        bad = HEADER + (
            "OK.1,Fine,physical,1.0,kg,,3,,,,,,,,,,,,S,,\n"
            "BAD.UNIT,Bad unit,physical,1.0,furlong,,3,,,,,,,,,,,,S,,\n"
            "BAD.NUM,Bad number,physical,1;5,kg,,3,,,,,,,,,,,,S,,\n"
            "BAD.SCOPE,Bad scope,physical,1.0,kg,,1,4,,,,,,,,,,,S,,\n"
            "BAD.DATE,Bad date,physical,1.0,kg,,3,,,2024-13-01,,,,,,,,,S,,\n"
            ",No code,physical,1.0,kg,,3,,,,,,,,,,,,S,,\n"
            "BAD.CUR,No currency,spend,1.0,,,3,,,,,,,,,,,,S,,\n"
            "BAD.GWP,Gases without set,physical,,kg,,1,,,,,,,1.0,,,,,S,,\n"
        )
        with self.assertRaises(UserError) as ctx:
            self._import(bad)
        message = str(ctx.exception)
        for expected in ("Line 4 (code BAD.NUM)", "Line 5 (code BAD.SCOPE)", "Line 6 (code BAD.DATE)",
                         "Line 7: 'code' is required", "Line 8 (code BAD.CUR)", "Line 9 (code BAD.GWP)"):
            self.assertIn(expected, message)
        self.assertEqual(self._count(), count)
        # once the file parses, references are checked: unknown unit, country, currency
        with self.assertRaises(UserError) as ctx:
            self._import(HEADER + "OK.1,Fine,physical,1.0,kg,,3,,,,,,,,,,,,S,,\n"
                         "BAD.UNIT,Bad unit,physical,1.0,furlong,,3,,,,,,,,,,,,S,,\n"
                         "BAD.CTRY,Bad country,physical,1.0,kg,,3,,XX,,,,,,,,,,S,,\n"
                         "BAD.CUR,Bad currency,spend,1.0,,ZZZ,3,,,,,,,,,,,,S,,\n")
        message = str(ctx.exception)
        self.assertIn("Line 3 (code BAD.UNIT): unknown unit 'furlong'", message)
        self.assertIn("Line 4 (code BAD.CTRY): unknown country code 'XX'", message)
        self.assertIn("Line 5 (code BAD.CUR): unknown currency 'ZZZ'", message)
        self.assertEqual(self._count(), count)

    def test_value_must_agree_with_gases(self):
        with self.assertRaisesRegex(UserError, "disagrees"):
            self._import(HEADER + "T.1,Mismatch,physical,5.0,kg,,1,,,,,,AR6,3.0,,,,,S,,\n")
        self._import(HEADER + "T.1,Agrees,physical,3.01,kg,,1,,,,,,AR6,3.0,,,,,S,,\n")

    def test_malformed_files(self):
        with self.assertRaisesRegex(UserError, "missing column"):
            self._import("code,name\nA,B\n")
        with self.assertRaisesRegex(UserError, "unknown column"):
            self._import(HEADER.strip() + ",colour\n")
        with self.assertRaisesRegex(UserError, "empty"):
            self._import("")
        with self.assertRaisesRegex(UserError, "no factor rows"):
            self._import(HEADER)
        with self.assertRaisesRegex(UserError, "not UTF-8"):
            self.Wizard._import_csv(HEADER.encode() + "X,Caf\xe9,physical,1,kg,,3,,,,,,,,,,,,S,,\n".encode("latin-1"))
        with self.assertRaisesRegex(UserError, "more fields"):
            self._import(HEADER + "X,Y,physical,1,kg,,3,,,,,,,,,,,,S,,,extra\n")

    def test_import_for_one_company(self):
        other = self.env["res.company"].create({"name": "Lychee Winery"})
        factors = self._import(GOOD, company=other)
        self.assertEqual(factors.company_id, other)

    def test_wizard_with_file(self):
        wizard = self.Wizard.create(
            {"source_type": "file", "file": base64.b64encode(GOOD.encode()), "filename": "f.csv"}
        )
        action = wizard.action_import()
        self.assertEqual(len(self.Factor.search(action["domain"])), 5)
        with self.assertRaisesRegex(UserError, "Choose a CSV file"):
            self.Wizard.create({"source_type": "file"}).action_import()

    def test_import_from_url(self):
        wizard = self.Wizard.create({"source_type": "url", "url": self.base_url + "/good.csv"})
        action = wizard.action_import()
        self.assertEqual(len(self.Factor.search(action["domain"])), 5)

    def test_url_errors_are_clear_and_import_nothing(self):
        count = self._count()
        cases = {
            "/missing.csv": "404",
            "/error.csv": "500",
            "/broken.csv": "Line 2 \\(code X\\): value 'abc' is not a number",
        }
        for path, message in cases.items():
            with self.subTest(path=path), self.assertRaisesRegex(UserError, message):
                self.Wizard.create({"source_type": "url", "url": self.base_url + path}).action_import()
        # Odoo's test harness raises timeouts under 10 s to 10 s: the slow route answers after 11 s
        with patch.object(carbon_factor_import, "URL_TIMEOUT", 1), \
                self.assertRaisesRegex(UserError, "did not answer in time"):
            self.Wizard.create({"source_type": "url", "url": self.base_url + "/slow.csv"}).action_import()
        with self.assertRaisesRegex(UserError, "could not be reached"):
            # nothing listens on port 9 of the loopback
            self.Wizard.create({"source_type": "url", "url": "http://127.0.0.1:9/x.csv"}).action_import()
        with self.assertRaisesRegex(UserError, "http"):
            self.Wizard.create({"source_type": "url", "url": "file:///etc/passwd"}).action_import()
        self.assertEqual(self._count(), count)

    def test_every_bad_row_is_named_in_one_pass(self):
        hgv = self._import(GOOD).filtered(lambda f: f.code == "TEST.HGV")
        freight = self._product("Freight", uom=self.env.ref("carbon_accounting.uom_tkm"), factor=hgv)
        self._po([(freight, 100, freight.uom_id, 1.0)], confirm=True).order_line.mapped("carbon_amount")
        hgv.invalidate_recordset(["is_locked"])
        count = self._count()
        bad = GOOD.replace("0.10163", "0.2") + (
            "BAD.NUM,Bad number,physical,1;5,kg,,3,,,,,,,,,,,,S,,\n"
            "BAD.UNIT,Bad unit,physical,1.0,furlong,,3,,,,,,,,,,,,S,,\n"
            "BAD.CUR,Bad currency,spend,1.0,,ZZZ,3,,,,,,,,,,,,S,,\n"
        )
        with self.assertRaises(UserError) as ctx:
            self._import(bad)
        message = str(ctx.exception)
        lines = message.splitlines()
        for expected in (
            "Line 5 (code TEST.HGV): version",
            "Line 7 (code BAD.NUM): value '1;5' is not a number",
            "Line 8 (code BAD.UNIT): unknown unit 'furlong'",
            "Line 9 (code BAD.CUR): unknown currency 'ZZZ'",
        ):
            self.assertTrue(any(line.startswith(expected) for line in lines), f"{expected!r} not in {message}")
        self.assertEqual(
            [line.split(" ")[1] for line in lines[1:]], ["5", "7", "8", "9"], "named in the order of the file"
        )
        self.assertEqual(self._count(), count)

    def test_url_errors_read_as_sentences(self):
        with self.assertRaises(UserError) as ctx:
            self.Wizard.create({"source_type": "url", "url": self.base_url + "/missing.csv"}).action_import()
        self.assertEqual(str(ctx.exception), "The URL answered 404 Not Found: nothing was imported.")
        with self.assertRaises(UserError) as ctx:
            self.Wizard.create({"source_type": "url", "url": "http://127.0.0.1:9/x.csv"}).action_import()
        self.assertEqual(str(ctx.exception),
                         "The server at 127.0.0.1 could not be reached (connection refused): nothing was imported.")

    def test_sample_csv_can_be_downloaded_and_imports(self):
        arch = self.env["carbon.factor.import.wizard"].get_view(view_type="form")["arch"]
        self.assertIn(carbon_factor_import.SAMPLE_URL, arch)
        with file_open(
            "carbon_accounting" + carbon_factor_import.SAMPLE_URL.removeprefix("/carbon_accounting"), "rb"
        ) as sample:
            factors = self.Wizard._import_csv(sample.read())
        self.assertTrue(factors)
        self.assertFalse(factors.filtered(lambda f: not f.value))

    def test_missing_file_or_url_has_its_own_message(self):
        arch = self.env["carbon.factor.import.wizard"].get_view(view_type="form")["arch"]
        self.assertNotIn("required", arch, "the client's generic 'invalid field' never stands for the messages below")
        with self.assertRaisesRegex(UserError, "^Choose a CSV file to import.$"):
            self.Wizard.create({"source_type": "file"}).action_import()
        with self.assertRaisesRegex(UserError, "^Give the http:// or https:// address of a factor CSV file.$"):
            self.Wizard.create({"source_type": "url"}).action_import()
