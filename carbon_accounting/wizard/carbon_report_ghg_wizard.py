import base64

from odoo import api, fields, models
from odoo.tools import date_utils

from ..models.carbon_emission_factor import SCOPE3_CATEGORIES


class CarbonReportGhgWizard(models.TransientModel):
    """The GHG inventory in the browser: the figures of ``carbon.report.ghg`` for the companies and
    period chosen, the PDF and XLSX, and the ledger lines behind each figure."""

    _name = "carbon.report.ghg.wizard"
    _description = "GHG Inventory"

    company_ids = fields.Many2many("res.company", string="Companies", required=True,
                                   default=lambda self: self.env.companies)
    date_from = fields.Date(
        required=True, default=lambda self: date_utils.start_of(fields.Date.context_today(self), "year")
    )
    date_to = fields.Date(
        required=True, default=lambda self: date_utils.end_of(fields.Date.context_today(self), "year")
    )
    boundary = fields.Char(compute="_compute_figures")
    scope1 = fields.Float(string="Scope 1 (kgCO2e)", digits="Carbon", compute="_compute_figures")
    scope2_market = fields.Float(string="Scope 2 market-based (kgCO2e)", digits="Carbon", compute="_compute_figures")
    scope2_location = fields.Float(
        string="Scope 2 location-based (kgCO2e)", digits="Carbon", compute="_compute_figures"
    )
    scope2_location_unassessed_count = fields.Integer(string="Lines without Location-based Figure",
                                                      compute="_compute_figures")
    scope3 = fields.Float(string="Scope 3 (kgCO2e)", digits="Carbon", compute="_compute_figures")
    total = fields.Float(string="Total (kgCO2e)", digits="Carbon", compute="_compute_figures")
    uncertainty_total = fields.Char(string="Uncertainty (total)", compute="_compute_figures")
    biogenic_co2 = fields.Float(string="Biogenic CO2, memo (kg)", digits="Carbon", compute="_compute_figures")
    removals = fields.Float(string="Verified Removals (tCO2e)", digits="Carbon", compute="_compute_figures")
    unassessed_count = fields.Integer(string="Unassessed Lines", compute="_compute_figures")
    intensity = fields.Char(string="kgCO2e per Million of Revenue", compute="_compute_figures")
    scope3_html = fields.Html(string="Scope 3 by Category", compute="_compute_figures", sanitize=False)
    unit_product_id = fields.Many2one("product.product", string="Intensity per Unit of Product",
                                      help="The period's total per unit of this product sold and made.")
    unit_category_id = fields.Many2one("product.category", string="Intensity per Unit of Category",
                                       help="The period's total per unit of the products of this category sold and "
                                       "made (when their units can be added up).")
    unit_html = fields.Html(string="Intensity per Unit", compute="_compute_figures", sanitize=False)
    comparison_html = fields.Html(string="Comparison", compute="_compute_figures", sanitize=False)
    drill_category = fields.Selection(SCOPE3_CATEGORIES, string="Scope 3 Category to Open")
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.depends("date_from", "date_to")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._("GHG Inventory %(start)s to %(end)s", start=wizard.date_from or "",
                                             end=wizard.date_to or "")

    def _get_report_data(self):
        self.ensure_one()
        return self.env["carbon.report.ghg"]._get_data(
            self.company_ids, self.date_from, self.date_to,
            unit_product=self.unit_product_id or None, unit_category=self.unit_category_id or None)

    @api.depends("company_ids", "date_from", "date_to", "unit_product_id", "unit_category_id")
    def _compute_figures(self):
        for wizard in self:
            if not (wizard.company_ids and wizard.date_from and wizard.date_to):
                wizard.update({name: False for name in (
                    "boundary", "scope1", "scope2_market", "scope2_location", "scope2_location_unassessed_count",
                    "scope3", "total", "uncertainty_total", "biogenic_co2", "removals", "unassessed_count",
                    "intensity", "scope3_html", "unit_html", "comparison_html")})
                continue
            data = wizard._get_report_data()
            uncertainty = data["uncertainty"]["total"]
            wizard.update(
                {
                    "boundary": data["boundary"],
                    "scope1": data["scope1"],
                    "scope2_market": data["scope2_market"],
                    "scope2_location": data["scope2_location"],
                    "scope2_location_unassessed_count": data["scope2_location_unassessed_count"],
                    "scope3": data["scope3"],
                    "total": data["total"],
                    "uncertainty_total": self.env._("± %s %%", uncertainty)
                    if uncertainty is not None
                    else self.env._("n/a"),
                    "biogenic_co2": data["biogenic_co2"],
                    "removals": data["removals"],
                    "unassessed_count": data["unassessed_count"],
                    "intensity": f"{data['intensity']:,.3f}"
                    if data["intensity"] is not None
                    else self.env._("n/a (no revenue)"),
                    "scope3_html": self.env["ir.qweb"]._render(
                        "carbon_accounting.carbon_report_ghg_scope3_table", {"data": data, "statuses": self._statuses()}
                    ),
                    "unit_html": self.env["ir.qweb"]._render(
                        "carbon_accounting.carbon_report_ghg_unit_table", {"data": data}
                    )
                    if data["unit_intensity"]
                    else False,
                    "comparison_html": self.env["ir.qweb"]._render(
                        "carbon_accounting.carbon_report_ghg_comparison_table",
                        {"data": data, "rows": self._comparison_rows()},
                    ),
                }
            )

    def _statuses(self):
        return {
            "figures": self.env._("Figures"),
            "not_relevant": self.env._("Not relevant"),
            "not_assessed": self.env._("Not assessed"),
        }

    def _comparison_rows(self):
        """(key, label) of the figures the comparison sets side by side."""
        return [
            ("scope1", self.env._("Scope 1")),
            ("scope2_market", self.env._("Scope 2 market-based")),
            ("scope2_location", self.env._("Scope 2 location-based")),
            ("scope3", self.env._("Scope 3")),
            ("total", self.env._("Total")),
            ("intensity", self.env._("kgCO2e per million of revenue")),
        ]

    def _domains(self):
        self.ensure_one()
        return self.env["carbon.report.ghg"]._domains(self.company_ids, self.date_from, self.date_to)

    def _open_lines(self, domain, name):
        return {
            "type": "ir.actions.act_window", "name": name, "res_model": "carbon.move.line",
            "view_mode": "list,form", "domain": domain, "context": {"create": False},
        }

    def action_open_scope1(self):
        return self._open_lines(self._domains()["scope1"], self.env._("Scope 1 Lines"))

    def action_open_scope2(self):
        return self._open_lines(self._domains()["scope2"], self.env._("Scope 2 Lines"))

    def action_open_scope3(self):
        return self._open_lines(self._domains()["scope3"], self.env._("Scope 3 Lines"))

    def action_open_category(self):
        self.ensure_one()
        category = self.drill_category or "1"
        return self._open_lines(self._domains()["scope3_by_category"][category],
                                dict(SCOPE3_CATEGORIES)[category])

    def action_open_unassessed(self):
        return self._open_lines(self._domains()["unassessed"], self.env._("Unassessed Lines"))

    def action_open_location_unassessed(self):
        return self._open_lines(self._domains()["scope2_location_unassessed"],
                                self.env._("Scope 2 Lines without Location-based Figure"))

    def action_print_pdf(self):
        return self.env.ref("carbon_accounting.action_report_carbon_ghg").report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        content, __ = self.env["ir.actions.report"]._render_xlsx("carbon_accounting.ghg_xlsx", self.ids, {})
        self.write({"file": base64.b64encode(content),
                    "filename": f"ghg_inventory_{self.date_from}_{self.date_to}.xlsx"})
        return {
            "type": "ir.actions.act_url", "target": "self",
            "url": f"/web/content/{self._name}/{self.id}/file/{self.filename}?download=true",
        }
