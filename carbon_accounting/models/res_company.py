from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    carbon_spend_factor_id = fields.Many2one(
        "carbon.emission.factor",
        string="Default Spend-based Factor",
        domain="[('basis', '=', 'spend'), ('company_id', 'in', [False, id])]",
        help="Last resort for purchase lines that no vendor declaration, product or category "
        "factor covers: kgCO2e per currency unit spent.",
    )
    carbon_lock_date = fields.Date(
        string="Carbon Lock Date",
        help="Carbon entries of documents dated on or before this date are booked on the day after it (the "
        "first open day); the document's date is kept as their original date. The lock never refuses a document.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["carbon.account"].sudo()._create_chart(companies)
        return companies
