from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import carbon_math

STATES = [("draft", "Draft"), ("confirmed", "Confirmed"), ("billed", "Billed")]


class CarbonInclusionPayout(models.Model):
    """Credit revenue of a project shared out to its participants by their activity share (to the
    cent, by the largest remainder), as a payout list that can become vendor bills."""

    _name = "carbon.inclusion.payout"
    _inherit = ["mail.thread"]
    _description = "Carbon Inclusion Benefit Payout"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, default=lambda self: self.env._("Benefit sharing"))
    project_id = fields.Many2one("carbon.inclusion.project", required=True, ondelete="restrict", index=True,
                                 check_company=True)
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    revenue = fields.Monetary(string="Credit Revenue", required=True, tracking=True)
    movement_id = fields.Many2one("carbon.register.movement", string="Sale", check_company=True,
                                  domain="[('movement_type', '=', 'sell')]",
                                  help="The sale of credits whose revenue is shared.")
    state = fields.Selection(STATES, required=True, default="draft", readonly=True, tracking=True, copy=False)
    line_ids = fields.One2many("carbon.inclusion.payout.line", "payout_id", string="Payout List", copy=False)
    amount_total = fields.Monetary(compute="_compute_amount_total", string="Paid out")
    bill_count = fields.Integer(compute="_compute_amount_total")

    _revenue_positive = models.Constraint("CHECK(revenue >= 0)", "Credit revenue is zero or more.")

    @api.depends("line_ids.amount", "line_ids.bill_id")
    def _compute_amount_total(self):
        for payout in self:
            payout.amount_total = sum(payout.line_ids.mapped("amount"))
            payout.bill_count = len(payout.line_ids.bill_id)

    def action_compute_lines(self):
        for payout in self:
            if payout.state != "draft":
                raise UserError(self.env._("%s: a confirmed payout list is fixed.", payout.name))
            participants = payout.project_id.participant_ids
            if not participants:
                raise UserError(self.env._("%s: the project has no participants.", payout.project_id.name))
            try:
                amounts = carbon_math.distribute_by_share(payout.revenue, participants.mapped("share_percent"),
                                                          payout.currency_id.decimal_places)
            except ValueError as error:
                raise UserError(self.env._("%(project)s: %(error)s", project=payout.project_id.name,
                                           error=error)) from None
            payout.line_ids = [fields.Command.clear()] + [
                fields.Command.create({"partner_id": participant.partner_id.id,
                                       "share_percent": participant.share_percent, "amount": amount})
                for participant, amount in zip(participants, amounts, strict=True)]
        return True

    def action_confirm(self):
        for payout in self:
            if not payout.line_ids:
                payout.action_compute_lines()
            payout.state = "confirmed"
        return True

    def action_create_bills(self):
        """One draft vendor bill per participant owed more than zero, in the payout's currency."""
        bills = self.env["account.move"]
        for payout in self:
            if payout.state == "draft":
                raise UserError(self.env._("%s: confirm the payout list first.", payout.name))
            lines = payout.line_ids.filtered(lambda line: not line.bill_id and line.amount > 0)
            created = self.env["account.move"].create([{
                "move_type": "in_invoice", "partner_id": line.partner_id.id, "company_id": payout.company_id.id,
                "currency_id": payout.currency_id.id, "invoice_date": payout.date,
                "ref": f"{payout.project_id.name} / {payout.name}",
                "invoice_line_ids": [fields.Command.create({
                    "name": self.env._("Carbon-inclusion benefit share %(share)s %% of %(project)s",
                                       share=f"{line.share_percent:g}", project=payout.project_id.name),
                    "quantity": 1, "price_unit": line.amount, "tax_ids": [fields.Command.clear()]})],
            } for line in lines])
            for line, bill in zip(lines, created, strict=True):
                line.bill_id = bill
            payout.state = "billed"
            bills |= created
        return {"type": "ir.actions.act_window", "res_model": "account.move", "name": self.env._("Vendor Bills"),
                "view_mode": "list,form", "domain": [("id", "in", bills.ids)]}

    def action_open_bills(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "account.move", "name": self.env._("Vendor Bills"),
                "view_mode": "list,form", "domain": [("id", "in", self.line_ids.bill_id.ids)]}
