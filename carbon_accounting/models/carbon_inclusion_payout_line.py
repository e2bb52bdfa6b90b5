from odoo import fields, models


class CarbonInclusionPayoutLine(models.Model):
    """What one participant is paid out of a project's credit revenue."""

    _name = "carbon.inclusion.payout.line"
    _description = "Carbon Inclusion Payout Line"
    _order = "payout_id, id"
    _check_company_auto = True

    payout_id = fields.Many2one("carbon.inclusion.payout", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="payout_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="payout_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Participant", required=True, check_company=True)
    share_percent = fields.Float(string="Activity Share (%)", digits=(5, 4), readonly=True)
    amount = fields.Monetary(readonly=True)
    bill_id = fields.Many2one("account.move", string="Vendor Bill", readonly=True, copy=False, check_company=True)
    bill_state = fields.Selection(related="bill_id.state", string="Bill Status")
    payment_state = fields.Selection(related="bill_id.payment_state")
