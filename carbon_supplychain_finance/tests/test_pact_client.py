import base64
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

GTIN = "04006381333931"


def footprint(product_id, value="1.5", **pcf):
    """A valid v3 ProductFootprint of a product, ``value`` kgCO2e per kilogram."""
    return {
        "id": str(uuid.uuid4()), "specVersion": "3.0.3", "created": "2026-01-05T00:00:00Z", "status": "Active",
        "companyName": "Misbehaving Vendor", "companyIds": ["urn:pact:vendor.example:company:1"],
        "productDescription": "Lychee", "productIds": [product_id], "productNameCompany": "Lychee",
        "pcf": {"declaredUnitOfMeasurement": "kilogram", "declaredUnitAmount": "1",
                "productMassPerDeclaredUnit": "1", "referencePeriodStart": "2026-01-01T00:00:00Z",
                "referencePeriodEnd": "2026-07-01T00:00:00Z", "pcfExcludingBiogenicUptake": value,
                "pcfIncludingBiogenicUptake": value, "fossilGhgEmissions": value, "fossilCarbonContent": "0",
                "ipccCharacterizationFactors": ["AR6"], "crossSectoralStandards": ["ISO14067"],
                "exemptedEmissionsPercent": "0", "primaryDataShare": "60", **pcf},
    }


class VendorServer(BaseHTTPRequestHandler):
    """A vendor's PACT host system on 127.0.0.1 that misbehaves as the test says (``mode``)."""

    mode = "ok"
    pages = []                 # the ListFootprints pages, each a list of footprints
    tokens_issued = 0
    calls = []

    def log_message(self, *args):
        pass

    def _send(self, status, body, headers=None):
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self):
        cls = type(self)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != "/auth/token":
            return self._send(404, {"code": "NotFound", "message": "no"})
        if self.headers.get("Authorization") != "Basic " + base64.b64encode(b"vendor-client:vendor-secret").decode():
            return self._send(400, {"error": "invalid_client", "error_description": "Authentication failed"})
        cls.tokens_issued += 1
        return self._send(200, {"access_token": f"token-{cls.tokens_issued}", "token_type": "bearer",
                                "expires_in": 3600})

    def do_GET(self):
        cls = type(self)
        cls.calls.append(self.path)
        if self.path == "/.well-known/openid-configuration":
            return self._send(404, {"code": "NotFound", "message": "no OpenID configuration"})
        if not self.path.startswith("/3/footprints"):
            return self._send(404, {"code": "NotFound", "message": "no"})
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        if cls.mode == "expired" and token == "token-1" or cls.mode == "always_expired":
            return self._send(401, {"code": "TokenExpired", "message": "The specified access token has expired"})
        if cls.mode == "malformed":
            return self._send(200, b'{"data": [ {"id": ')
        if cls.mode == "not_a_list":
            return self._send(200, {"data": {"id": "x"}})
        if cls.mode == "error":
            return self._send(500, {"code": "InternalError", "message": "An internal error has occurred"})
        if cls.mode == "timeout":
            time.sleep(10.5)
        page = int(self.path.partition("page=")[2] or 0)
        headers = {}
        host = f"http://127.0.0.1:{self.server.server_address[1]}"
        if cls.mode == "loop":
            headers["Link"] = f'<{host}/3/footprints?page=0>; rel="next"'
        elif cls.mode == "foreign_link":
            headers["Link"] = '<http://elsewhere.example/3/footprints?page=1>; rel="next"'
        elif page + 1 < len(cls.pages):
            headers["Link"] = f'<{host}/3/footprints?page={page + 1}>; rel="next"'
        return self._send(200, {"data": cls.pages[page] if cls.pages else []}, headers)


@tagged("post_install", "-at_install")
class TestPactClient(TransactionCase):
    """A vendor connection against a misbehaving PACT server on 127.0.0.1: malformed JSON, server
    errors, timeouts, expired tokens, broken pagination, malformed footprints. A clear error each
    time, and nothing half-imported."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), VendorServer)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        uom_kg = cls.env.ref("uom.product_uom_kgm")
        cls.vendor = cls.env["res.partner"].create({"name": "Misbehaving Vendor"})
        Product = cls.env["product.product"]
        cls.lychee = Product.create({"name": "Fresh lychee", "uom_id": uom_kg.id, "barcode": GTIN[1:]})
        cls.longan = Product.create({"name": "Dried longan", "uom_id": uom_kg.id})
        Info = cls.env["product.supplierinfo"]
        cls.lychee_line = Info.create({
            "partner_id": cls.vendor.id, "product_tmpl_id": cls.lychee.product_tmpl_id.id,
            "carbon_intensity": 9.0, "carbon_data_quality": "estimate"})
        cls.longan_line = Info.create({
            "partner_id": cls.vendor.id, "product_tmpl_id": cls.longan.product_tmpl_id.id,
            "product_code": "LONGAN-1", "product_uom_id": cls.env.ref("uom.product_uom_ton").id})
        cls.connection = cls.env["carbon.pact.connection"].create({
            "partner_id": cls.vendor.id, "base_url": f"http://127.0.0.1:{cls.server.server_address[1]}",
            "client_id": "vendor-client", "client_secret": "vendor-secret", "timeout": 10})

    def setUp(self):
        super().setUp()
        VendorServer.mode, VendorServer.tokens_issued, VendorServer.calls = "ok", 0, []
        verification = {"providerName": "Verifier", "completedAt": "2026-07-02T00:00:00Z"}
        VendorServer.pages = [[footprint(f"urn:gtin:{GTIN}", "1.5")],
                              [footprint("urn:pact:vendor.example:product-id:longan-1", "4.25",
                                         verification=verification)]]

    def assertNothingImported(self):
        self.assertRecordValues(self.lychee_line | self.longan_line, [
            {"carbon_intensity": 9.0, "carbon_data_quality": "estimate", "carbon_evidence_filename": False},
            {"carbon_intensity": 0.0, "carbon_data_quality": False, "carbon_evidence_filename": False},
        ])
        self.assertFalse(self.vendor.carbon_pact_connected)

    def test_import_over_pages(self):
        self.connection.action_fetch()
        first, second = VendorServer.pages[0][0], VendorServer.pages[1][0]
        # the lychee by its GTIN (13 digits on the product, 14 in the URN): 1.5 per kg, 60 % primary data;
        # the longan by the vendor's code, bought by the tonne: 4.25 per kg = 4250 per t, verified
        self.assertRecordValues(self.lychee_line | self.longan_line, [
            {"carbon_intensity": 1.5, "carbon_data_quality": "primary",
             "carbon_evidence_filename": f"pact-{first['id']}.json"},
            {"carbon_intensity": 4250.0, "carbon_data_quality": "verified",
             "carbon_evidence_filename": f"pact-{second['id']}.json"},
        ])
        evidence = json.loads(self.env["ir.attachment"].search([
            ("res_model", "=", "product.supplierinfo"), ("res_id", "=", self.lychee_line.id),
            ("res_field", "=", "carbon_evidence")]).raw)
        self.assertEqual(evidence, first)
        self.assertTrue(self.vendor.carbon_pact_connected)
        self.assertEqual(VendorServer.tokens_issued, 1)
        self.assertEqual(VendorServer.calls, ["/.well-known/openid-configuration", "/3/footprints",
                                              "/3/footprints?page=1"])

    def test_expired_token_renewed_once(self):
        VendorServer.mode = "expired"                    # token-1 is refused: a new one is taken, once
        self.connection.action_fetch()
        self.assertEqual(VendorServer.tokens_issued, 2)
        self.assertEqual(self.lychee_line.carbon_intensity, 1.5)

    def test_token_always_refused(self):
        VendorServer.mode = "always_expired"
        with self.assertRaisesRegex(UserError, "HTTP 401: TokenExpired"):
            self.connection.action_fetch()
        self.assertEqual(VendorServer.tokens_issued, 2)
        self.assertNothingImported()

    def test_wrong_credentials(self):
        self.connection.client_secret = "wrong"
        with self.assertRaisesRegex(UserError, "refused the client credentials .HTTP 400.: Authentication failed"):
            self.connection.action_fetch()
        self.assertNothingImported()

    def test_malformed_answers(self):
        # (Odoo's test runner raises any timeout under 10 s to 10 s: the server sleeps longer than that)
        for mode, message in (("malformed", "is not JSON"), ("not_a_list", "not a list of footprints"),
                              ("error", "HTTP 500: InternalError"), ("timeout", "did not answer within 10 seconds"),
                              ("loop", "pagination does not end"), ("foreign_link", "not an absolute URL on its host")):
            VendorServer.mode = mode
            with self.subTest(mode=mode), self.assertRaisesRegex(UserError, message):
                self.connection.action_fetch()
            self.assertNothingImported()

    def test_malformed_footprint_on_a_later_page(self):
        """The first page is fine, the second holds a footprint with a number where PACT wants a
        decimal string: nothing is imported, not even the first page's."""
        VendorServer.pages[1][0]["pcf"]["pcfExcludingBiogenicUptake"] = 4.25
        with self.assertRaisesRegex(UserError, "pcfExcludingBiogenicUptake is not a decimal string"):
            self.connection.action_fetch()
        self.assertNothingImported()

    def test_unconvertible_unit(self):
        """A footprint per litre for a price line counted by the tonne: a clear error, nothing imported."""
        VendorServer.pages[1][0]["pcf"]["declaredUnitOfMeasurement"] = "liter"
        with self.assertRaisesRegex(UserError, "is per liter: it cannot be converted to Ton, the unit of the price"):
            self.connection.action_fetch()
        self.assertNothingImported()

    def test_unreachable(self):
        self.connection.base_url = "http://127.0.0.1:9"
        with self.assertRaisesRegex(UserError, "cannot be reached"):
            self.connection.action_fetch()
        self.assertNothingImported()

    def test_secret_access_and_companies(self):
        """The client secret is readable by carbon managers (and system) only; connections, clients and
        events are per company."""
        user = new_test_user(self.env, "pact_user", groups="carbon_accounting.group_carbon_user")
        manager = new_test_user(self.env, "pact_manager", groups="carbon_accounting.group_carbon_manager")
        self.assertEqual(self.connection.with_user(manager).client_secret, "vendor-secret")
        self.assertEqual(self.connection.with_user(user).partner_id, self.vendor)
        with self.assertRaises(AccessError):
            self.connection.with_user(user).read(["client_secret"])
        with self.assertRaises(AccessError):
            self.connection.with_user(user).write({"base_url": "http://elsewhere.example"})
        client = self.env["carbon.pact.client"].create({"name": "Customer", "partner_id": self.vendor.id})
        client._set_secret("x")
        with self.assertRaises(AccessError):
            client.with_user(manager).read(["secret_hash"])
        self.assertTrue(client.with_user(manager).has_secret)
        other = self.env["res.company"].create({"name": "PACT other company"})
        outsider = new_test_user(self.env, "pact_outsider", groups="carbon_accounting.group_carbon_manager",
                                 company_id=other.id, company_ids=[Command.set(other.ids)])
        self.assertFalse(self.env["carbon.pact.connection"].with_user(outsider).search([]))
        self.assertFalse(self.env["carbon.pact.client"].with_user(outsider).search([]))

    def test_test_connection_marks_partner(self):
        self.connection.action_test_connection()
        self.assertEqual(self.connection.state, "connected")
        self.assertTrue(self.vendor.carbon_pact_connected)
        self.assertEqual(self.lychee_line.carbon_intensity, 9.0)        # a test of the connection imports nothing
