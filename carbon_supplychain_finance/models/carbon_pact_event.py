import json
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import pact

EVENT_KINDS = [("request", "Footprints requested"), ("fulfilled", "Request fulfilled"),
               ("rejected", "Request rejected"), ("published", "Footprints published")]


class CarbonPactEvent(models.Model):
    """A PACT event (CloudEvent) received from a partner's system: a customer's request for
    footprints, a vendor's fulfilment (its footprints imported) or rejection of a request, or a
    vendor's notice that footprints were published or updated."""

    _name = "carbon.pact.event"
    _description = "PACT Event"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Event ID", required=True, readonly=True)
    kind = fields.Selection(EVENT_KINDS, required=True, readonly=True)
    source = fields.Char(required=True, readonly=True)
    time = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    client_id = fields.Many2one("carbon.pact.client", string="Sent by", required=True, readonly=True,
                                check_company=True, ondelete="cascade")
    partner_id = fields.Many2one(related="client_id.partner_id", store=True)
    request_event_id = fields.Char(string="Request Event ID", readonly=True,
                                   help="For a fulfilment or a rejection: the id of the request answered.")
    footprint_ids = fields.Char(string="Footprint IDs", readonly=True)
    payload = fields.Text(readonly=True, help="The event as received (JSON).")
    result = fields.Text(readonly=True)
    state = fields.Selection([("received", "Received"), ("fulfilled", "Fulfilled"), ("rejected", "Rejected")],
                             default="received", required=True, readonly=True,
                             help="For a customer's request: whether it was answered, and how.")
    answer_event_id = fields.Char(string="Answer Event ID", readonly=True, copy=False)

    _event_unique = models.Constraint("UNIQUE(client_id, source, name)",
                                      "An event is identified by its source and id: it is received once.")

    @api.model
    def _check_envelope(self, event):
        """The kind of a CloudEvent after checking its envelope; PactError (BadRequest) when invalid."""
        if not isinstance(event, dict):
            raise pact.PactError("BadRequest", "The event is not a JSON object.")
        missing = [key for key in ("type", "specversion", "id", "source", "time", "data") if key not in event]
        if missing:
            raise pact.PactError("BadRequest", f"The event lacks {', '.join(missing)}.")
        kind = pact.EVENT_TYPES.get(event["type"])
        if not kind:
            raise pact.PactError("BadRequest", f"Unknown event type {event['type']}.")
        if not all(isinstance(event[key], str) and event[key] for key in ("specversion", "id", "source", "time")) \
                or not isinstance(event["data"], dict):
            raise pact.PactError("BadRequest", "specversion, id, source and time are strings, data an object.")
        try:
            pact.parse_timestamp(event["time"], "time")
        except ValueError as error:
            raise pact.PactError("BadRequest", str(error)) from None
        return kind

    def _receive(self, client, event):
        """Record a CloudEvent sent by ``client``; for a fulfilment, first check then import its
        footprints into the vendor's price lines. PactError (BadRequest) when the event is invalid:
        nothing is recorded nor imported then."""
        kind = self._check_envelope(event)
        data = event["data"]
        Event = self.sudo()
        if Event.search_count([("client_id", "=", client.id), ("source", "=", event["source"]),
                               ("name", "=", event["id"])]):
            return Event.browse()     # a redelivery: accepted, recorded once
        vals = {"name": event["id"], "kind": kind, "source": event["source"], "time": event["time"],
                "company_id": client.company_id.id, "client_id": client.id,
                "payload": json.dumps(event, indent=1, ensure_ascii=False)}
        if kind in ("fulfilled", "rejected"):
            if not isinstance(data.get("requestEventId"), str):
                raise pact.PactError("BadRequest", "data.requestEventId is required.")
            vals["request_event_id"] = data["requestEventId"]
        if kind == "rejected":
            error = data.get("error")
            if not isinstance(error, dict) or error.get("code") not in pact.ERRORS or \
                    not isinstance(error.get("message"), str):
                raise pact.PactError("BadRequest", "data.error is a PACT error ({code, message}).")
            vals["result"] = f"{error['code']}: {error['message']}"
        if kind == "published":
            ids = data.get("pfIds")
            if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
                raise pact.PactError("BadRequest", "data.pfIds is a non-empty list of footprint ids.")
            vals["footprint_ids"] = ", ".join(ids)
        if kind == "request":
            try:
                pact.parse_list_query([(key, value) for key, values in data.items() if key != "comment"
                                       for value in (values if isinstance(values, list) else [values])])
            except pact.PactError as error:
                raise pact.PactError("BadRequest", f"data: {error.message}") from None
        if kind == "fulfilled":
            footprints = data.get("pfs")
            if not isinstance(footprints, list) or not footprints:
                raise pact.PactError("BadRequest", "data.pfs is a non-empty list of ProductFootprints.")
            Connection = self.env["carbon.pact.connection"].sudo().with_company(client.company_id)
            try:
                with self.env.cr.savepoint():
                    imported = Connection._import_footprints(client.partner_id, client.company_id, footprints)
            except UserError as error:
                raise pact.PactError("BadRequest", error.args[0]) from None
            vals["footprint_ids"] = ", ".join(pf.get("id", "") for pf in footprints)
            vals["result"] = self.env._("%s price lines updated", len(imported))
        return Event.create(vals)

    # ------------------------------------------------------------------ answering a request

    def _reply_connection(self):
        """The connection to the requesting customer's PACT host, whose host is the request's
        ``source`` (validated before anything is sent back)."""
        self.ensure_one()
        source = urlsplit("http:" + self.source if self.source.startswith("//") else self.source).netloc.lower()
        connections = self.env["carbon.pact.connection"].search([
            ("partner_id", "=", self.partner_id.id), ("company_id", "=", self.company_id.id)])
        connection = connections.filtered(lambda c: urlsplit(c.base_url).netloc.lower() == source)[:1]
        if not connection:
            raise UserError(self.env._(
                "No PACT connection to %(partner)s on %(host)s, the source of the request: the answer has nowhere "
                "to go.", partner=self.partner_id.display_name, host=source or self.source))
        return connection

    def _check_open_request(self):
        self.ensure_one()
        if self.kind != "request" or self.state != "received":
            raise UserError(self.env._("%s is not a request waiting for an answer.", self.name))

    def action_fulfil(self):
        """Send the customer the footprints it requested among those it is granted (a fulfilment),
        or a rejection (NotFound) when there are none."""
        for event in self:
            event._check_open_request()
            connection = event._reply_connection()
            data = json.loads(event.payload)["data"]
            filters, __, __ = pact.parse_list_query([
                (key, value) for key, values in data.items() if key != "comment"
                for value in (values if isinstance(values, list) else [values])])
            footprints = [pf for pf in (p._pact_footprint() for p in event.client_id._footprints())
                          if pact.matches(pf, filters)]
            if not footprints:
                event._reject(connection, "NotFound", self.env._("No footprint you are granted matches the request."))
                continue
            answer = connection._post_event("fulfilled", {"requestEventId": event.name, "pfs": footprints})
            event.write({"state": "fulfilled", "answer_event_id": answer,
                         "result": self.env._("%s footprints sent", len(footprints))})
        return True

    def action_reject(self):
        for event in self:
            event._check_open_request()
            event._reject(event._reply_connection(), "AccessDenied",
                          self.env._("The data owner declined the request."))
        return True

    def _reject(self, connection, code, message):
        answer = connection._post_event("rejected", {"requestEventId": self.name,
                                                     "error": {"code": code, "message": message}})
        self.write({"state": "rejected", "answer_event_id": answer, "result": f"{code}: {message}"})
