import base64
import json
import uuid
from datetime import datetime, timedelta
from urllib.parse import urljoin

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import grading, pact
from .carbon_passport_pact import PACT_UNITS

#: Pages followed at most in one fetch: a server that never stops paginating is an error.
MAX_PAGES = 1000
SECRET_GROUPS = "carbon_accounting.group_carbon_manager,base.group_system"


class CarbonPactConnection(models.Model):
    """The company's connection, as a data recipient, to a vendor's PACT host system: it fetches the
    vendor's footprints of the products bought from it and imports them into the vendor's price lines
    as declared carbon, the footprint attached as evidence."""

    _name = "carbon.pact.connection"
    _description = "PACT Connection to a Vendor"
    _order = "partner_id, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one("res.partner", string="Vendor", required=True, check_company=True, index=True)
    base_url = fields.Char(string="Base URL", required=True,
                           help="The vendor's PACT API base URL, under which /3/footprints is served.")
    auth_base_url = fields.Char(string="Auth Base URL",
                                help="Where /.well-known/openid-configuration (or /auth/token) is, when "
                                "not under the base URL.")
    client_id = fields.Char(string="Client ID", required=True, groups=SECRET_GROUPS)
    client_secret = fields.Char(groups=SECRET_GROUPS, copy=False)
    access_token = fields.Char(groups="base.group_system", copy=False, readonly=True)
    token_expiry = fields.Datetime(groups="base.group_system", copy=False, readonly=True)
    timeout = fields.Integer(string="Timeout (s)", default=30, required=True,
                             help="Seconds to wait for the vendor's server to answer a request.")
    state = fields.Selection([("new", "Not tried"), ("connected", "Connected"), ("error", "Error")],
                             default="new", required=True, readonly=True, copy=False)
    last_sync = fields.Datetime(readonly=True, copy=False)
    last_result = fields.Text(readonly=True, copy=False)

    _timeout_positive = models.Constraint("CHECK(timeout > 0)", "The timeout is a number of seconds.")

    @api.depends("partner_id.name", "base_url")
    def _compute_name(self):
        for connection in self:
            connection.name = f"{connection.partner_id.name or ''} ({connection.base_url or ''})"

    # ------------------------------------------------------------------ HTTP

    def _http(self, method, url, **kwargs):
        """One HTTP request with the connection's timeout; UserError on a network failure."""
        try:
            return requests.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            raise UserError(self.env._("%(url)s did not answer within %(timeout)s seconds.",
                                       url=url, timeout=self.timeout)) from None
        except requests.RequestException as error:
            raise UserError(self.env._("%(url)s cannot be reached: %(error)s", url=url, error=error)) from None

    def _json(self, response, what):
        try:
            return response.json()
        except ValueError:
            raise UserError(self.env._("The answer of %(url)s to %(what)s is not JSON: %(text)s",
                                       url=response.url, what=what, text=response.text[:200])) from None

    def _token_endpoint(self):
        """The token endpoint: the OpenID configuration's, else ``<auth base>/auth/token``."""
        base = (self.auth_base_url or self.base_url).rstrip("/")
        response = self._http("GET", f"{base}/.well-known/openid-configuration")
        if response.status_code == 200:
            document = self._json(response, "the OpenID configuration request")
            endpoint = document.get("token_endpoint") if isinstance(document, dict) else None
            if isinstance(endpoint, str) and endpoint:
                return urljoin(base + "/", endpoint)
        return f"{base}/auth/token"

    def _new_token(self):
        """A fresh access token (client credentials grant), kept with its expiry."""
        self.ensure_one()
        me = self.sudo()
        response = self._http("POST", self._token_endpoint(), data={"grant_type": "client_credentials"},
                              auth=(me.client_id, me.client_secret or ""),
                              headers={"Accept": "application/json"})
        body = self._json(response, "the token request")
        if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
            detail = body.get("error_description") or body.get("error") if isinstance(body, dict) else body
            raise UserError(self.env._("%(vendor)s refused the client credentials (HTTP %(status)s): %(detail)s",
                                       vendor=self.partner_id.display_name, status=response.status_code,
                                       detail=detail))
        lifetime = body.get("expires_in")
        me.write({"access_token": body["access_token"],
                  "token_expiry": datetime.now() + timedelta(seconds=int(lifetime)) if isinstance(
                      lifetime, int) and lifetime > 0 else False})
        return body["access_token"]

    def _token(self):
        me = self.sudo()
        if me.access_token and (not me.token_expiry or me.token_expiry > datetime.now() + timedelta(seconds=30)):
            return me.access_token
        return self._new_token()

    def _api_get(self, url):
        """GET an API URL with the bearer token: the response of a 200, else UserError."""
        return self._api_call("GET", url, {"Accept": "application/json"})

    def _api_call(self, method, url, headers, **kwargs):
        """Call the API with the bearer token; on a 401 (expired or revoked token) a new token is
        taken once and the call repeated. Returns the response of a 200, else UserError."""
        token = self._token()
        for attempt in (1, 2):
            response = self._http(method, url, headers={**headers, "Authorization": f"Bearer {token}"}, **kwargs)
            if response.status_code != 401 or attempt == 2:
                break
            token = self._new_token()
        if response.status_code != 200:
            try:
                body = response.json()
                detail = f"{body.get('code')}: {body.get('message')}" if isinstance(body, dict) else body
            except ValueError:
                detail = response.text[:200]
            raise UserError(self.env._("%(url)s answered HTTP %(status)s: %(detail)s", url=url,
                                       status=response.status_code, detail=detail))
        return response

    def _fetch_footprints(self):
        """All the footprints the vendor grants us (ListFootprints, following the ``Link: rel="next"``
        pages), checked to be a list of objects; UserError on a broken answer or pagination."""
        self.ensure_one()
        url = f"{self.base_url.rstrip('/')}/3/footprints"
        seen, footprints = set(), []
        while url:
            if url in seen or len(seen) >= MAX_PAGES:
                raise UserError(self.env._("%(vendor)s's pagination does not end: %(url)s is asked again.",
                                           vendor=self.partner_id.display_name, url=url))
            seen.add(url)
            response = self._api_get(url)
            body = self._json(response, "ListFootprints")
            if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                raise UserError(self.env._("The answer of %s is not a list of footprints ({\"data\": [...]}).",
                                           url))
            footprints += body["data"]
            url = response.links.get("next", {}).get("url")
            if url and not pact.same_origin(url, self.base_url):
                raise UserError(self.env._("%(vendor)s's next page %(url)s is not an absolute URL on its host.",
                                           vendor=self.partner_id.display_name, url=url))
        return footprints

    def _post_event(self, kind, data):
        """Send a CloudEvent (structured content mode) of ``kind`` (of ``pact.EVENT_TYPES``) to the
        partner's Action Events endpoint; returns its id."""
        self.ensure_one()
        event_type = {value: key for key, value in pact.EVENT_TYPES.items()}[kind]
        event = {"type": event_type, "specversion": "1.0", "id": str(uuid.uuid4()),
                 "source": f"//{self.get_base_url().split('://')[-1].rstrip('/')}/pact/3/events",
                 "time": pact.timestamp(datetime.now()), "data": data}
        self._api_call("POST", f"{self.base_url.rstrip('/')}/3/events",
                       {"Content-Type": "application/cloudevents+json; charset=UTF-8"},
                       data=json.dumps(event).encode())
        return event["id"]

    # ------------------------------------------------------------------ import

    def action_test_connection(self):
        for connection in self:
            connection._new_token()
            connection._api_get(f"{connection.base_url.rstrip('/')}/3/footprints?limit=1")
            connection.write({"state": "connected"})
            connection.partner_id.commercial_partner_id.carbon_pact_connected = True
        return True

    def action_fetch(self):
        """Fetch the vendor's footprints and import those of the products bought from it: all are
        checked first, then written in one go; nothing is written when anything is wrong."""
        for connection in self:
            footprints = connection._fetch_footprints()
            updated = self._import_footprints(connection.partner_id, connection.company_id, footprints)
            connection.write({"state": "connected", "last_sync": fields.Datetime.now(),
                              "last_result": self.env._("%(count)s footprints received, %(lines)s price lines "
                                                        "updated.", count=len(footprints), lines=len(updated))})
            connection.partner_id.commercial_partner_id.carbon_pact_connected = True
        return True

    @api.model
    def _supplier_identifiers(self, info):
        """The URNs a price line's product is known by, lower-cased: its GTIN and the vendor's product
        code (matched as the last part of the vendor's own URNs)."""
        products = info.product_id or info.product_tmpl_id.product_variant_ids
        gtins = {grading.gtin14(p.barcode) for p in products} - {None, False}
        urns = {f"urn:gtin:{gtin}" for gtin in gtins}
        urns |= {f"urn:gtin:{gtin.lstrip('0')}" for gtin in gtins}
        return urns, (info.product_code or "").strip().lower()

    @api.model
    def _import_footprints(self, partner, company, footprints):
        """Import footprints into ``partner``'s price lines of ``company``: each line takes the
        active, valid footprint of its product (matched by GTIN URN, else by the vendor's product code)
        as declared kgCO2e per its unit, with its data quality, the footprint JSON as evidence.
        Everything is checked before anything is written: UserError naming the first problem."""
        checked = []
        for footprint in footprints:
            try:
                checked.append((pact.check_footprint(footprint), footprint))
            except ValueError as error:
                raise UserError(self.env._("%(vendor)s sent a malformed footprint: %(error)s",
                                           vendor=partner.display_name, error=error)) from None
        now = datetime.now()
        usable = [(c, pf) for c, pf in checked if c["status"] == "Active" and c["validity"][0] <= now
                  <= c["validity"][1]]
        infos = self.env["product.supplierinfo"].sudo().search([
            ("partner_id", "child_of", partner.commercial_partner_id.id),
            ("company_id", "in", (company.id, False))])
        writes = []
        for info in infos:
            urns, code = self._supplier_identifiers(info)
            match = [(c, pf) for c, pf in usable if urns & set(c["product_ids"])] or \
                [(c, pf) for c, pf in usable if code and any(p.rsplit(":", 1)[-1] == code for p in c["product_ids"])]
            if not match:
                continue
            found, footprint = max(match, key=lambda item: item[0]["validity"][0])
            writes.append((info, self._declaration(info, found, footprint)))
        for info, vals in writes:
            info.write(vals)
        return self.env["product.supplierinfo"].browse([info.id for info, __ in writes])

    @api.model
    def _declaration(self, info, found, footprint):
        """The price line's values of a checked footprint: kgCO2e per the line's unit."""
        unit_xmlid = {unit: xmlid for xmlid, unit in PACT_UNITS}.get(found["unit"])
        pact_uom = self.env.ref(unit_xmlid, raise_if_not_found=False) if unit_xmlid else None
        uom = info.product_uom_id
        per_reference = found["pcf"] / found["amount"]
        if pact_uom and uom._has_common_reference(pact_uom):
            intensity = per_reference * uom._compute_quantity(1.0, pact_uom, round=False)
        elif found["unit"] == "kilogram" and (info.product_id or info.product_tmpl_id).weight > 0:
            product = info.product_id or info.product_tmpl_id
            intensity = per_reference * product.weight * uom._compute_quantity(1.0, product.uom_id, round=False)
        else:
            raise UserError(self.env._(
                "Footprint %(id)s of %(product)s is per %(unit)s: it cannot be converted to %(uom)s, the unit of "
                "the price line.", id=found["id"], product=info.product_tmpl_id.display_name, unit=found["unit"],
                uom=uom.name))
        if intensity < 0:
            raise UserError(self.env._("Footprint %s declares a negative footprint: not a vendor's declaration.",
                                       found["id"]))
        return {
            "carbon_intensity": intensity,
            "carbon_data_quality": pact.data_quality(found),
            "carbon_evidence": base64.b64encode(json.dumps(footprint, indent=1, ensure_ascii=False).encode()),
            "carbon_evidence_filename": f"pact-{found['id']}.json",
        }
