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
        help="Carbon entries of documents dated on or before this date are booked on the day after it (the "
        "first open day); the document's date is kept as their original date. The lock never refuses a document.",
    )
    carbon_grid_factor_id = fields.Many2one(
        "carbon.emission.factor",
        string="Grid Factor (Location-based)",
        domain="[('basis', '=', 'physical'), ('scope', '=', '2'), ('company_id', 'in', [False, id])]",
        help="The average emission factor of the grid where the company consumes its energy: each Scope 2 "
        "line keeps, when booked, the location-based figure (its quantity in this factor's unit x its value) "
        "beside the market-based figure booked.",
    )
    carbon_consolidation_approach = fields.Selection(
        [("operational", "Operational control"), ("financial", "Financial control"), ("equity", "Equity share")],
        string="Consolidation Approach", default="operational", required=True,
        help="GHG Protocol organisational boundary: under control, a controlled company counts 100 %; under "
        "equity share, it counts by the group's share of its equity.",
    )
    carbon_equity_share = fields.Float(
        string="Equity Share (%)", digits=(5, 2), default=100.0,
        help="The group's share of this company's equity, applied under the equity share approach.",
    )
    carbon_base_year = fields.Integer(
        string="GHG Base Year",
        help="The year the GHG inventory compares each period against (the same dates in that year), as the "
        "GHG Protocol's base year; empty for no comparison.",
    )
    carbon_scope3_relevance_ids = fields.One2many(
        "carbon.scope3.relevance", "company_id", string="Scope 3 Relevance",
        help="Scope 3 categories assessed: relevant or not, and why.",
    )

    _carbon_equity_share_range = models.Constraint(
        "CHECK(carbon_equity_share >= 0 AND carbon_equity_share <= 100)",
        "An equity share is between 0 and 100 percent.",
    )

    _carbon_base_year_range = models.Constraint(
        "CHECK(carbon_base_year IS NULL OR carbon_base_year = 0 OR carbon_base_year BETWEEN 1990 AND 2100)",
        "A GHG base year is a year from 1990 to 2100.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["carbon.account"].sudo()._create_chart(companies)
        return companies
