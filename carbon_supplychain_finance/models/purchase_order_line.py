from odoo import api, fields, models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    carbon_supplier_grade = fields.Selection(
        [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("E", "E")], string="Vendor Carbon Grade",
        compute="_compute_carbon_supplier_grade", groups="carbon_accounting.group_carbon_user",
        help="The grade of the vendor's latest carbon scorecard: how far its carbon data can be relied upon.")

    @api.depends("partner_id", "company_id")
    def _compute_carbon_supplier_grade(self):
        cards = self.env["carbon.supplier.scorecard"].search([
            ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
            ("company_id", "in", self.company_id.ids)], order="date_to desc, id desc")
        latest = {}
        for card in cards:
            latest.setdefault((card.partner_id, card.company_id), card.grade)
        for line in self:
            line.carbon_supplier_grade = latest.get((line.partner_id.commercial_partner_id, line.company_id), False)
