import base64
import json
from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools.misc import hash_sign

from ..models.carbon_pact_client import TOKEN_SCOPE
from . import common_pact

GTIN13 = "4006381333931"
GTIN14 = "04006381333931"
EVENT_TYPE = "org.wbcsd.pact.ProductFootprint.{}.3"


@tagged("post_install", "-at_install", "carbon_tour")
class TestPactServer(HttpCase):
    """The PACT v3 API served by the real HTTP server on OCA fastapi: OAuth2 client credentials,
    ListFootprints with its filters and pagination, GetFootprint, Events; every answer validated
    against the v3 OpenAPI schema; a client sees only what it was granted, of its company; and the
    client side (a vendor connection) importing from this very server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.cn")
        cls.uom_kg = cls.env.ref("uom.product_uom_kgm")
        Factor = cls.env["carbon.emission.factor"]
        cls.vendor = cls.env["res.partner"].create({"name": "PACT Lychee Orchard"})
        cls.honey = cls._bought("PACT lychee honey", Factor.create({
            "name": "PACT honey factor", "code": "PACT.HONEY", "source": "Test / publisher / 2024",
            "basis": "physical", "uom_id": cls.uom_kg.id, "value": 2.0, "scope": "3", "scope3_category": "1"}),
            barcode=GTIN13)                                            # 10 kg x 2.0: 2.0 per kg
        cls.syrup = cls._bought("PACT lychee syrup", Factor.create({
            "name": "PACT syrup factor", "code": "PACT.SYRUP", "source": "Test / publisher / 2024",
            "basis": "physical", "uom_id": cls.uom_kg.id, "value": 3.0, "scope": "3", "scope3_category": "1"}),
            default_code="LY-SYRUP")                                   # 10 kg x 3.0: 3.0 per kg
        today = fields.Date.today()
        Passport = cls.env["carbon.passport"]

        def publish(product, **vals):
            passport = Passport.create({
                "product_id": product.id, "date_from": today - timedelta(days=30), "date_to": today,
                "dq_technological": "2", "dq_geographical": "1", "dq_temporal": "1", **vals})
            passport.action_publish()
            return passport

        cls.honey_old = publish(cls.honey)
        cls.honey_pp = publish(cls.honey, valid_until=today + timedelta(days=365))   # supersedes honey_old
        cls.verifier = cls.env["res.partner"].create({"name": "PACT Verifier"})
        cls.syrup_pp = publish(cls.syrup, verifier_id=cls.verifier.id, verification_date=today,
                               verification_statement=base64.b64encode(b"%PDF statement"))
        cls.draft = Passport.create({"product_id": cls.honey.id, "date_from": today - timedelta(days=30),
                                     "date_to": today})
        cls.customer = cls.env["res.partner"].create({"name": "Export Customer"})
        Client = cls.env["carbon.pact.client"]
        cls.all_client = Client.create({"name": "All", "partner_id": cls.customer.id, "grant": "published"})
        cls.all_client._set_secret("s3cret-all")
        cls.syrup_client = Client.create({"name": "Syrup only", "partner_id": cls.customer.id,
                                          "grant": "passports", "passport_ids": [Command.set(cls.syrup_pp.ids)]})
        cls.syrup_client._set_secret("s3cret-syrup")
        cls.other_company = cls.env["res.company"].create({"name": "PACT Other Co"})
        cls.other_client = Client.create({"name": "Other company", "partner_id": cls.customer.id,
                                          "grant": "published", "company_id": cls.other_company.id})
        cls.other_client._set_secret("s3cret-other")

    @classmethod
    def _bought(cls, name, factor, **vals):
        product = cls.env["product.product"].create({
            "name": name, "uom_id": cls.uom_kg.id, "purchase_ok": True, "type": "consu", "is_storable": True,
            "carbon_factor_id": factor.id, **vals})
        order = cls.env["purchase.order"].create({
            "partner_id": cls.vendor.id,
            "order_line": [Command.create({"product_id": product.id, "product_qty": 10, "price_unit": 3.0})]})
        order.button_confirm()
        order.picking_ids.move_ids.quantity = 10
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()
        return product

    # ------------------------------------------------------------------ helpers

    def _token(self, client_id, secret):
        response = self.opener.post(f"{self.base_url()}/pact/auth/token", timeout=12,
                                    data={"grant_type": "client_credentials"}, auth=(client_id, secret))
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(body["token_type"], "bearer")
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        return body["access_token"]

    def _get(self, path, token, expect=200, **params):
        response = self.url_open(path, headers={"Authorization": f"Bearer {token}"}, params=params)
        self.assertEqual(response.status_code, expect, response.text)
        if expect == 200:
            (common_pact.LIST_OK if path == "/pact/3/footprints" else common_pact.GET_OK).validate(response.json())
        else:
            common_pact.ERROR.validate(response.json())
        return response

    def _ids(self, response):
        return {pf["id"] for pf in response.json()["data"]}

    # ------------------------------------------------------------------ tests

    def test_openid_configuration_and_token(self):
        response = self.url_open("/pact/.well-known/openid-configuration")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["token_endpoint"], f"{self.base_url()}/pact/auth/token")
        self.assertIn("client_credentials", response.json()["grant_types_supported"])
        self.assertTrue(self._token(self.all_client.client_id, "s3cret-all"))
        # the form's client_id / client_secret work too
        form = self.opener.post(f"{self.base_url()}/pact/auth/token", timeout=12, data={
            "grant_type": "client_credentials", "client_id": self.all_client.client_id,
            "client_secret": "s3cret-all"})
        self.assertEqual(form.status_code, 200)
        # RFC 6749 5.2 errors
        wrong = self.opener.post(f"{self.base_url()}/pact/auth/token", data={"grant_type": "client_credentials"},
                                 auth=(self.all_client.client_id, "wrong"), timeout=12)
        self.assertEqual((wrong.status_code, wrong.json()["error"]), (400, "invalid_client"))
        grant = self.opener.post(f"{self.base_url()}/pact/auth/token", data={"grant_type": "password"},
                                 auth=(self.all_client.client_id, "s3cret-all"), timeout=12)
        self.assertEqual((grant.status_code, grant.json()["error"]), (400, "unsupported_grant_type"))
        self.all_client.active = False
        refused = self.opener.post(f"{self.base_url()}/pact/auth/token", data={"grant_type": "client_credentials"},
                                   auth=(self.all_client.client_id, "s3cret-all"), timeout=12)
        self.assertEqual(refused.json()["error"], "invalid_client")

    def test_footprint_content(self):
        token = self._token(self.all_client.client_id, "s3cret-all")
        footprint = self._get(f"/pact/3/footprints/{self.honey_pp.pact_id}", token).json()["data"]
        self.assertNotEqual(footprint["id"], self.honey_pp.access_token)     # not the public page's token
        pcf = footprint["pcf"]
        self.assertEqual(footprint["status"], "Active")
        self.assertEqual(footprint["precedingPfIds"], [self.honey_old.pact_id])
        self.assertIn(f"urn:gtin:{GTIN14}", footprint["productIds"])
        self.assertEqual(footprint["productNameCompany"], "PACT lychee honey")
        self.assertEqual(footprint["validityPeriodEnd"],
                         f"{fields.Date.today() + timedelta(days=366)}T00:00:00Z")
        # 10 kg bought at 2.0 kgCO2e/kg: 2 per kilogram, as JSON strings
        self.assertEqual((pcf["declaredUnitOfMeasurement"], pcf["declaredUnitAmount"],
                          pcf["productMassPerDeclaredUnit"]), ("kilogram", "1", "1"))
        self.assertEqual((pcf["pcfExcludingBiogenicUptake"], pcf["fossilGhgEmissions"]), ("2", "2"))
        self.assertEqual(pcf["referencePeriodEnd"], f"{fields.Date.today() + timedelta(days=1)}T00:00:00Z")
        self.assertEqual(pcf["geographyCountry"], "CN")
        self.assertEqual(pcf["crossSectoralStandards"], ["GHGP-Product", "ISO14067"])
        self.assertEqual(pcf["dqi"], {"technologicalDQR": "2", "geographicalDQR": "1", "temporalDQR": "1"})
        old = self._get(f"/pact/3/footprints/{self.honey_old.pact_id}", token).json()["data"]
        self.assertEqual(old["status"], "Deprecated")
        syrup = self._get(f"/pact/3/footprints/{self.syrup_pp.pact_id}", token).json()["data"]
        self.assertIn(f"urn:pact:{self.base_url().split('//')[1].split(':')[0]}:product-id:LY-SYRUP",
                      syrup["productIds"])
        self.assertEqual(syrup["pcf"]["pcfExcludingBiogenicUptake"], "3")
        self.assertEqual(syrup["pcf"]["verification"], {"coverage": "product level", "providerName": "PACT Verifier",
                                                        "completedAt": f"{fields.Date.today()}T00:00:00Z"})

    def test_list_filters_and_pagination(self):
        token = self._token(self.all_client.client_id, "s3cret-all")
        published = {self.honey_old.pact_id, self.honey_pp.pact_id, self.syrup_pp.pact_id}
        everything = self._ids(self._get("/pact/3/footprints", token))
        self.assertTrue(published <= everything)
        self.assertNotIn(self.draft.pact_id, everything)
        self.assertEqual(self._ids(self._get("/pact/3/footprints", token, productId=f"URN:GTIN:{GTIN14}")),
                         {self.honey_old.pact_id, self.honey_pp.pact_id})       # case-insensitive
        self.assertEqual(self._ids(self._get("/pact/3/footprints", token, productId=f"urn:gtin:{GTIN14}",
                                             status="Active")), {self.honey_pp.pact_id})
        self.assertEqual(self._ids(self._get("/pact/3/footprints", token, productId=f"urn:gtin:{GTIN14}",
                                             geography="DE")), set())
        self.assertEqual(self._ids(self._get("/pact/3/footprints", token, geography="cn",
                                             validOn=f"{fields.Date.today() + timedelta(days=200)}T00:00:00Z",
                                             productId=f"urn:gtin:{GTIN14}")),
                         {self.honey_pp.pact_id, self.honey_old.pact_id})
        # past its valid-until the new one is not valid; the old one, without one, is for 3 years
        self.assertEqual(self._ids(self._get("/pact/3/footprints", token, productId=f"urn:gtin:{GTIN14}",
                                             validOn=f"{fields.Date.today() + timedelta(days=400)}T00:00:00Z")),
                         {self.honey_old.pact_id})
        self.assertEqual(self._get("/pact/3/footprints", token, 400, status="Gone").json()["code"], "BadRequest")
        self.assertEqual(self._get("/pact/3/footprints", token, 400, validOn="tomorrow").json()["code"],
                         "BadRequest")
        self.assertEqual(self._get("/pact/3/footprints", token, 400, **{"$filter": "x"}).json()["code"],
                         "NotImplemented")
        empty = self._get("/pact/3/footprints", token, limit=0)              # nothing asked, no next page
        self.assertEqual((empty.json()["data"], empty.headers.get("Link")), ([], None))
        # pagination: pages of 1, absolute next links on the request's host, each link callable twice
        pages, url = [], f"{self.base_url()}/pact/3/footprints?limit=1"
        while url:
            response = self.opener.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=12)
            common_pact.LIST_OK.validate(response.json())
            self.assertLessEqual(len(response.json()["data"]), 1)
            pages.append(self._ids(response))
            url = response.links.get("next", {}).get("url")
            if url:
                self.assertTrue(url.startswith(f"{self.base_url()}/pact/3/footprints?"))
                self.assertEqual(self.opener.get(url, headers={"Authorization": f"Bearer {token}"},
                                                 timeout=12).status_code, 200)
        self.assertEqual(set().union(*pages), everything)
        self.assertEqual(len(pages), len(everything))

    def test_access_by_grant_and_company(self):
        token = self._token(self.syrup_client.client_id, "s3cret-syrup")
        self.assertEqual(self._ids(self._get("/pact/3/footprints", token)), {self.syrup_pp.pact_id})
        self.assertEqual(self._get(f"/pact/3/footprints/{self.honey_pp.pact_id}", token, 403).json()["code"],
                         "AccessDenied")
        self.assertEqual(self._get(f"/pact/3/footprints/{self.draft.pact_id}", token, 404).json()["code"],
                         "NotFound")
        self.assertEqual(self._get("/pact/3/footprints/c2a2a8b1-0000-4000-8000-000000000000", token, 404)
                         .json()["code"], "NotFound")
        other = self._token(self.other_client.client_id, "s3cret-other")
        self.assertEqual(self._ids(self._get("/pact/3/footprints", other)), set())
        self.assertEqual(self._get(f"/pact/3/footprints/{self.syrup_pp.pact_id}", other, 403).json()["code"],
                         "AccessDenied")
        # no token, a forged one, an expired one, a revoked client, a renewed secret
        self.assertEqual(self.url_open("/pact/3/footprints").status_code, 400)
        self.assertEqual(self._get("/pact/3/footprints", "forged", 403).json()["code"], "AccessDenied")
        expired = hash_sign(self.env(su=True), TOKEN_SCOPE, {
            "client": self.syrup_client.id, "secret": self.syrup_client.sudo().secret_hash[-16:],
            "exp": int((datetime.now() - timedelta(seconds=5)).timestamp())})
        self.assertEqual(self._get("/pact/3/footprints", expired, 401).json()["code"], "TokenExpired")
        self.syrup_client._set_secret("renewed")
        self.assertEqual(self._get("/pact/3/footprints", token, 403).json()["code"], "AccessDenied")
        self.other_client.active = False
        self.assertEqual(self._get("/pact/3/footprints", other, 403).json()["code"], "AccessDenied")

    def test_events(self):
        token = self._token(self.all_client.client_id, "s3cret-all")

        def post(event, content_type="application/cloudevents+json; charset=UTF-8"):
            return self.opener.post(f"{self.base_url()}/pact/3/events", timeout=12,
                                    data=event if isinstance(event, str) else json.dumps(event),
                                    headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})

        request = {"type": EVENT_TYPE.format("RequestCreatedEvent"), "specversion": "1.0", "id": "req-1",
                   "source": "//customer.example/3/events", "time": "2026-11-01T10:00:00Z",
                   "data": {"productId": [f"urn:gtin:{GTIN14}"], "comment": "For our export declaration"}}
        response = post(request)
        self.assertEqual((response.status_code, response.content), (200, b""))
        self.assertEqual(post(request).status_code, 200)                  # redelivered: recorded once
        events = self.env["carbon.pact.event"].search([("client_id", "=", self.all_client.id)])
        self.assertRecordValues(events, [{"kind": "request", "name": "req-1", "partner_id": self.customer.id}])
        published = dict(request, type=EVENT_TYPE.format("PublishedEvent"), id="pub-1",
                         data={"pfIds": [self.syrup_pp.pact_id]})
        self.assertEqual(post(published).status_code, 200)
        for bad in ("{not json", dict(request, type="org.example.Unknown"), dict(request, id=None),
                    dict(published, id="pub-2", data={"pfIds": []}),
                    dict(request, id="req-2", data={"status": "Gone"}),
                    dict(request, id="rej-1", type=EVENT_TYPE.format("RequestRejectedEvent"),
                         data={"requestEventId": "x", "error": {"code": "Nope"}})):
            response = post(bad)
            self.assertEqual(response.status_code, 400, bad)
            common_pact.ERROR.validate(response.json())
        self.assertEqual(post(request, content_type="text/plain").status_code, 400)
        self.assertEqual(self.env["carbon.pact.event"].search_count([("client_id", "=", self.all_client.id)]), 2)

    def test_client_against_own_server(self):
        """The buyer's side: a connection to this very server imports the vendor's footprints into its
        price lines (honey by its GTIN, syrup by the vendor's product code, bought per gram)."""
        seller = self.env["res.partner"].create({"name": "PACT Honey Seller"})
        Info = self.env["product.supplierinfo"]
        honey_line = Info.create({"partner_id": seller.id, "product_tmpl_id": self.honey.product_tmpl_id.id,
                                  "price": 3.0})
        syrup_line = Info.create({"partner_id": seller.id, "product_tmpl_id": self.syrup.product_tmpl_id.id,
                                  "product_code": "ly-syrup", "product_uom_id": self.env.ref("uom.product_uom_gram").id,
                                  "price": 0.01})
        connection = self.env["carbon.pact.connection"].create({
            "partner_id": seller.id, "base_url": f"{self.base_url()}/pact",
            "client_id": self.all_client.client_id, "client_secret": "s3cret-all", "timeout": 10})
        with self.allow_requests(all_requests=True):        # the connection's requests carry no test cookie
            connection.action_fetch()
        self.assertRecordValues(honey_line | syrup_line, [
            # the vendor's honey footprint rests on secondary factors only (0 % primary data): secondary
            {"carbon_intensity": 2.0, "carbon_data_quality": "secondary",
             "carbon_evidence_filename": f"pact-{self.honey_pp.pact_id}.json"},
            {"carbon_intensity": 0.003, "carbon_data_quality": "verified",          # 3.0 per kg = 0.003 per g
             "carbon_evidence_filename": f"pact-{self.syrup_pp.pact_id}.json"},
        ])
        self.assertTrue(seller.carbon_pact_connected)
        self.assertEqual(connection.state, "connected")
        self.assertIn("2 price lines updated", connection.last_result)

    def test_request_answered_and_publication_notified(self):
        """A customer's request is fulfilled by sending its footprints to the customer's host (here, this
        very server, as a vendor's client would): the fulfilment is imported there; a request for
        nothing granted is rejected (NotFound); a publication is notified."""
        seller = self.env["res.partner"].create({"name": "PACT Answering Vendor"})
        honey_line = self.env["product.supplierinfo"].create({
            "partner_id": seller.id, "product_tmpl_id": self.honey.product_tmpl_id.id, "price": 3.0})
        seller_client = self.env["carbon.pact.client"].create({"name": "Vendor pushing", "partner_id": seller.id})
        seller_client._set_secret("s3cret-seller")
        self.env["carbon.pact.connection"].create({
            "partner_id": self.customer.id, "base_url": f"{self.base_url()}/pact",
            "client_id": seller_client.client_id, "client_secret": "s3cret-seller", "timeout": 10})
        token = self._token(self.all_client.client_id, "s3cret-all")
        host = self.base_url().split("//")[1]
        for ident, product in (("req-honey", f"urn:gtin:{GTIN14}"), ("req-none", "urn:gtin:00000000000000")):
            response = self.opener.post(f"{self.base_url()}/pact/3/events", timeout=12, data=json.dumps({
                "type": EVENT_TYPE.format("RequestCreatedEvent"), "specversion": "1.0", "id": ident,
                "source": f"//{host}/pact/3/events", "time": "2026-11-01T10:00:00Z",
                "data": {"productId": [product], "status": "Active"}}),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/cloudevents+json"})
            self.assertEqual(response.status_code, 200, response.text)
        Event = self.env["carbon.pact.event"]
        requests_in = Event.search([("client_id", "=", self.all_client.id)], order="id")
        with self.allow_requests(all_requests=True):
            requests_in.action_fulfil()
            self.all_client.action_notify_published()
        self.assertRecordValues(requests_in, [
            {"name": "req-honey", "state": "fulfilled", "result": "1 footprints sent"},
            {"name": "req-none", "state": "rejected",
             "result": "NotFound: No footprint you are granted matches the request."}])
        answers = Event.search([("client_id", "=", seller_client.id)], order="id")
        self.assertRecordValues(answers, [
            {"kind": "fulfilled", "request_event_id": "req-honey", "footprint_ids": self.honey_pp.pact_id,
             "result": "1 price lines updated"},
            {"kind": "rejected", "request_event_id": "req-none", "footprint_ids": False,
             "result": "NotFound: No footprint you are granted matches the request."},
            {"kind": "published", "request_event_id": False, "footprint_ids": ", ".join(
                (self.syrup_pp | self.honey_pp).sorted("id", reverse=True).mapped("pact_id")), "result": False},
        ])
        self.assertEqual(answers[:2].mapped("name"), requests_in.mapped("answer_event_id"))
        for pf in json.loads(answers[0].payload)["data"]["pfs"]:
            common_pact.FOOTPRINT.validate(pf)
        self.assertRecordValues(honey_line, [{"carbon_intensity": 2.0, "carbon_data_quality": "secondary",
                                              "carbon_evidence_filename": f"pact-{self.honey_pp.pact_id}.json"}])
        # answered once; a request from elsewhere has nowhere to go
        with self.assertRaisesRegex(UserError, "is not a request waiting for an answer"):
            requests_in[0].action_fulfil()
