import secrets
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.misc import consteq, hash_sign, verify_hash_signed

TOKEN_SCOPE = "carbon_pact_access_token"
TOKEN_LIFETIME = timedelta(hours=1)


class CarbonPactClient(models.Model):
    """A customer (data recipient) allowed to pull the company's product footprints over PACT: its
    OAuth2 client credentials, and what the data owner grants it."""

    _name = "carbon.pact.client"
    _description = "PACT Client (Data Recipient)"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, check_company=True,
                                 index=True)
    client_id = fields.Char(string="Client ID", required=True, readonly=True, copy=False, index=True,
                            default=lambda self: f"pact-{secrets.token_hex(8)}")
    secret_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
    has_secret = fields.Boolean(compute="_compute_has_secret")
    grant = fields.Selection([("published", "All published footprints"), ("products", "Footprints of products"),
                              ("passports", "Chosen passports")], required=True, default="passports",
                             help="What the customer sees: every published passport of the company, the passports "
                             "of some products, or chosen passports.")
    product_ids = fields.Many2many("product.product", string="Products", check_company=True)
    passport_ids = fields.Many2many("carbon.passport", string="Passports", check_company=True,
                                    domain="[('state', 'in', ('published', 'deprecated'))]")
    last_access = fields.Datetime(readonly=True, copy=False)

    _client_id_unique = models.Constraint("UNIQUE(client_id)", "A PACT client id is its own.")

    @api.depends_context("uid")
    def _compute_has_secret(self):
        hashed = dict(self.sudo().mapped(lambda c: (c.id, bool(c.secret_hash))))
        for client in self:
            client.has_secret = hashed.get(client.id, False)

    def action_generate_secret(self):
        """A new client secret, shown once: only its hash is kept. Tokens issued before are void."""
        self.ensure_one()
        secret = secrets.token_urlsafe(32)
        self._set_secret(secret)
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": self.env._("Client secret of %s", self.client_id), "sticky": True, "type": "warning",
            "message": self.env._("Give it to the customer now, it is not shown again: %s", secret)}}

    def _set_secret(self, secret):
        self.ensure_one()
        self.sudo().secret_hash = self.env["res.users"]._crypt_context().hash(secret)

    # ------------------------------------------------------------------ OAuth2

    @api.model
    def _authenticate(self, client_id, secret):
        """The active client of these credentials, or an empty recordset."""
        client = self.sudo().search([("client_id", "=", client_id or "")], limit=1)
        if not client or not client.secret_hash or not secret:
            return self.browse()
        valid, __ = self.env["res.users"]._crypt_context().verify_and_update(secret, client.secret_hash)
        return client if valid else self.browse()

    def _issue_token(self):
        """A signed bearer token naming the client and its secret (so a new secret voids it), with its
        expiry, and its lifetime in seconds."""
        self.ensure_one()
        expiry = datetime.now() + TOKEN_LIFETIME
        token = hash_sign(self.sudo().env, TOKEN_SCOPE, {
            "client": self.id, "secret": self.sudo().secret_hash[-16:], "exp": int(expiry.timestamp())})
        return token, int(TOKEN_LIFETIME.total_seconds())

    @api.model
    def _from_token(self, token):
        """(client, error code): the client of a valid bearer token; else no client and ``AccessDenied``
        (unknown or forged token, client deactivated, secret renewed) or ``TokenExpired``."""
        try:
            payload = verify_hash_signed(self.sudo().env, TOKEN_SCOPE, token or "")
        except (ValueError, UnicodeDecodeError, TypeError):
            payload = None
        if not isinstance(payload, dict):
            return self.browse(), "AccessDenied"
        client = self.sudo().browse(payload.get("client")).exists()
        if not client or not client.active or not client.secret_hash or \
                not consteq(client.secret_hash[-16:], str(payload.get("secret"))):
            return self.browse(), "AccessDenied"
        if datetime.now().timestamp() >= payload.get("exp", 0):
            return self.browse(), "TokenExpired"
        return client, None

    # ------------------------------------------------------------------ grants

    def _footprint_domain(self):
        """The passports this client may see: of its company, exchangeable, granted."""
        self.ensure_one()
        domain = Domain(self.env["carbon.passport"]._pact_domain()) & Domain("company_id", "=", self.company_id.id)
        if self.grant == "products":
            return domain & Domain("product_id", "in", self.product_ids.ids)
        if self.grant == "passports":
            return domain & Domain("id", "in", self.passport_ids.ids)
        return domain

    def _footprints(self):
        """The granted passports, newest first."""
        self.ensure_one()
        return self.env["carbon.passport"].sudo().search(self._footprint_domain(), order="id desc")

    def action_notify_published(self):
        """Tell the customer's PACT host which footprints it is granted now (a PublishedEvent), through
        the company's connection to that customer."""
        for client in self:
            connection = self.env["carbon.pact.connection"].search([
                ("partner_id", "=", client.partner_id.id), ("company_id", "=", client.company_id.id)], limit=1)
            if not connection:
                raise UserError(self.env._("No PACT connection to %s: there is nowhere to send the notice.",
                                           client.partner_id.display_name))
            passports = client._footprints().filtered(lambda p: p.state == "published")
            if not passports:
                raise UserError(self.env._("%s is granted no published footprint.", client.name))
            connection._post_event("published", {"pfIds": passports.mapped("pact_id")})
        return True
