from odoo import api, fields, models


class CarbonIntegrityCheck(models.Model):
    """The record of one check of the chain of a company's posted carbon entries: who ran it, when,
    what it covered (first and last hash, number of entries) and where the chain breaks, if it does."""

    _name = "carbon.integrity.check"
    _description = "Carbon Integrity Check"
    _order = "date desc, id desc"
    _check_company_auto = True

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one("res.users", string="Checked by", required=True, readonly=True,
                              default=lambda self: self.env.user)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)
    result = fields.Selection([("intact", "Intact"), ("broken", "Broken")], required=True, readonly=True)
    entry_count = fields.Integer(string="Entries Checked", readonly=True)
    first_hash = fields.Char(readonly=True, help="The hash of the first posted entry of the chain.")
    last_hash = fields.Char(readonly=True, help="The hash of the last posted entry: it seals every entry before it.")
    broken_move_id = fields.Many2one("carbon.move", string="Breaks at", readonly=True, check_company=True,
                                     help="The first entry changed, removed or reordered after posting.")
    message = fields.Char(compute="_compute_message")
    evidence_pack_ids = fields.Many2many(
        "ir.attachment", compute="_compute_evidence_pack_ids",
        help="The evidence pack made in the background whose cover reports this check.")

    def _compute_evidence_pack_ids(self):
        attachments = self.env["ir.attachment"].search([("res_model", "=", self._name), ("res_id", "in", self.ids)])
        for check in self:
            check.evidence_pack_ids = attachments.filtered(lambda a, check=check: a.res_id == check.id)

    @api.depends("date")
    def _compute_display_name(self):
        for check in self:
            check.display_name = self.env._("Integrity check of %s", fields.Datetime.to_string(
                fields.Datetime.context_timestamp(check, check.date))) if check.date else self.env._("Integrity check")

    @api.depends("result", "company_id", "broken_move_id", "entry_count")
    def _compute_message(self):
        for check in self:
            if check.result == "broken":
                check.message = self.env._(
                    "The chain of posted carbon entries of %(company)s breaks at %(name)s: it was changed, "
                    "removed or reordered after posting.",
                    company=check.company_id.name, name=check.broken_move_id.name)
            else:
                check.message = self.env._("All %(count)s posted carbon entries of %(company)s are intact.",
                                           count=check.entry_count, company=check.company_id.name)

    def action_check_integrity(self):
        """Check the chain now (the list's button): the new check joins the list."""
        action = self.env["carbon.move"].action_check_integrity()
        action["params"]["next"] = {"type": "ir.actions.client", "tag": "soft_reload"}
        return action
