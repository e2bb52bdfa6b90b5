from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    carbon_pact_connected = fields.Boolean(
        string="PACT Connected", default=False,
        help="Product footprints are exchanged with this partner over PACT (set by the PACT connection).")
    carbon_scorecard_ids = fields.One2many("carbon.supplier.scorecard", "partner_id", string="Carbon Scorecards",
                                           groups="carbon_accounting.group_carbon_user")
    carbon_scorecard_count = fields.Integer(compute="_compute_carbon_scorecard",
                                            groups="carbon_accounting.group_carbon_user")
    carbon_scorecard_grade = fields.Selection(
        [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("E", "E")], string="Carbon Grade",
        compute="_compute_carbon_scorecard", groups="carbon_accounting.group_carbon_user",
        help="The grade of the vendor's latest carbon scorecard in the current company.")

    @api.depends("carbon_scorecard_ids.grade", "carbon_scorecard_ids.date_to")
    @api.depends_context("company")
    def _compute_carbon_scorecard(self):
        Scorecard = self.env["carbon.supplier.scorecard"]
        cards = Scorecard.search([("partner_id", "in", self.commercial_partner_id.ids),
                                  ("company_id", "=", self.env.company.id)], order="date_to desc, id desc")
        for partner in self:
            own = cards.filtered(lambda c, partner=partner: c.partner_id == partner.commercial_partner_id)
            partner.carbon_scorecard_count = len(own)
            partner.carbon_scorecard_grade = own[:1].grade

    def action_view_carbon_scorecards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "carbon_supplychain_finance.carbon_supplier_scorecard_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
