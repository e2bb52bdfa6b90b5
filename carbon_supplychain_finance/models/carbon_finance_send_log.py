from odoo import fields, models


class CarbonFinanceSendLog(models.Model):
    """One attempt at posting a finance request's data pack to the financier, and its answer."""

    _name = "carbon.finance.send.log"
    _description = "Green Finance Data-pack Sending"
    _order = "id desc"

    request_id = fields.Many2one("carbon.finance.request", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    attempt = fields.Integer(required=True)
    url = fields.Char(string="Endpoint", required=True)
    idempotency_key = fields.Char(required=True)
    status_code = fields.Integer(string="HTTP Status", help="0: no answer (network error or timeout).")
    response_body = fields.Text(string="Answer")
    error = fields.Text()
    duration_ms = fields.Integer(string="Duration (ms)")
