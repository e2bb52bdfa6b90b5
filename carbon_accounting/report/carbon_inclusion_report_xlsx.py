from odoo import api, models

from ..tools import xlsx_renderer


class CarbonInclusionReportXlsx(models.AbstractModel):
    """XLSX of the monitoring report (one sheet per section of the methodology's outline) and of the
    carbon-inclusion summary; the figures come from ``carbon.inclusion.report``."""

    _name = "carbon.inclusion.report.xlsx"
    _description = "Carbon Inclusion Report XLSX"

    @api.model
    def _render_monitoring_xlsx(self, monitoring):
        data = self.env["carbon.inclusion.report"]._get_monitoring_data(monitoring)
        text = {"header": self.env._("Value"), "width": 60}
        project, boundary = data["project"], data["boundary"]
        sheets = [
            {
                "name": self.env._("Project"),
                "title": data["title"],
                "subtitle": project["methodology"],
                "columns": [{"header": self.env._("Item"), "width": 30}, text],
                "rows": [
                    [self.env._("Project"), project["name"]],
                    [self.env._("Registry number"), project["reference"]],
                    [self.env._("Owner"), project["owner"]],
                    [self.env._("Status"), project["state"]],
                    [self.env._("Location"), project["location"]],
                    [self.env._("Start date"), str(project["start_date"] or "")],
                    [self.env._("Crediting period"), f"{project['crediting_start']} – {project['crediting_end']}"],
                    [self.env._("Methodology"), project["methodology"]],
                    [self.env._("Kind"), project["kind"]],
                    [self.env._("Basis"), project["basis"]],
                ]
                + [
                    [self.env._("Participant"), f"{p['partner']} ({p['share']:g} %) {p['activity']}".strip()]
                    for p in project["participants"]
                ],
            },
            {
                "name": self.env._("Boundary"),
                "title": self.env._("Accounting boundary"),
                "columns": [{"header": self.env._("Item"), "width": 30}, text],
                "rows": [
                    [self.env._("Geography"), boundary["geography"]],
                    [self.env._("Accounting period"), boundary["accounting_period"]],
                    [self.env._("Carbon pools"), boundary["carbon_pools"]],
                    [self.env._("Gases"), boundary["gases"]],
                    [self.env._("Monitoring period"), f"{boundary['period'][0]} – {boundary['period'][1]}"],
                    [self.env._("Version"), boundary["version"]],
                ],
            },
            {
                "name": self.env._("Baseline"),
                "title": self.env._("Formulas and parameters"),
                "columns": [
                    {"header": self.env._("Code"), "width": 22},
                    {"header": self.env._("Description"), "width": 40},
                    {"header": self.env._("Value"), "type": "factor"},
                    {"header": self.env._("Unit"), "width": 16},
                    {"header": self.env._("Source"), "width": 60},
                ],
                "rows": [
                    [f["label"], f["formula"], None, self.env._("kgCO2e"), ""] for f in data["baseline"]["formulas"]
                ]
                + [[p["code"], p["name"], p["value"], p["unit"], p["source"]] for p in data["baseline"]["parameters"]],
            },
            {
                "name": self.env._("Monitoring Data"),
                "title": self.env._("Monitoring data and their sources"),
                "columns": [
                    {"header": self.env._("Code"), "width": 22},
                    {"header": self.env._("Parameter"), "width": 36},
                    {"header": self.env._("Value"), "type": "factor"},
                    {"header": self.env._("Unit"), "width": 10},
                    {"header": self.env._("Source"), "width": 40},
                    {"header": self.env._("Origin"), "width": 40},
                    {"header": self.env._("Note"), "width": 30},
                ],
                "rows": [
                    [m["code"], m["name"], m["value"], m["unit"], m["source"], m["origin"], m["note"]]
                    for m in data["monitoring_data"]
                ],
            },
            {
                "name": self.env._("Calculations"),
                "title": self.env._("Calculations"),
                "columns": [{"header": self.env._("Step"), "width": 120}],
                "rows": [[step] for step in data["calculations"]],
            },
            {
                "name": self.env._("Results"),
                "title": self.env._("Results (kgCO2e)"),
                "columns": [
                    {"header": self.env._("Figure"), "width": 40},
                    {"header": self.env._("kgCO2e"), "type": "carbon", "width": 18},
                ],
                "rows": [[label, value] for label, value in data["results"]]
                + [[self.env._("Issuable (whole tCO2e, rounded down)"), data["issuable_tonnes"]]],
            },
            {
                "name": self.env._("Uncertainty and QA-QC"),
                "title": self.env._("Uncertainty, QA/QC"),
                "columns": [{"header": self.env._("Item"), "width": 20}, {"header": self.env._("Text"), "width": 120}],
                "rows": [[self.env._("Uncertainty"), data["uncertainty"]], [self.env._("QA/QC"), data["qa_qc"]]],
            },
            {
                "name": self.env._("Evidence"),
                "title": self.env._("Evidence index"),
                "columns": [
                    {"header": self.env._("Section"), "width": 20},
                    {"header": self.env._("Item"), "width": 50},
                    {"header": self.env._("File"), "width": 40},
                ],
                "rows": [[e["section"], e["item"], e["name"]] for e in data["evidence"]],
            },
        ]
        return xlsx_renderer.render_workbook(sheets)

    @api.model
    def _render_summary_xlsx(self, companies, date_from, date_to):
        data = self.env["carbon.inclusion.report"]._get_summary_data(companies, date_from, date_to)
        carbon = {"type": "carbon", "width": 16, "total": True}
        sheet = {
            "name": self.env._("Carbon Inclusion"),
            "title": self.env._("Carbon-inclusion summary"),
            "subtitle": self.env._(
                "%(companies)s - from %(start)s to %(end)s",
                companies=", ".join(companies.mapped("name")),
                start=date_from,
                end=date_to,
            ),
            "columns": [
                {"header": self.env._("Project"), "width": 40},
                dict(carbon, header=self.env._("Reductions (kgCO2e)")),
                dict(carbon, header=self.env._("Removals (kgCO2e)")),
                dict(carbon, header=self.env._("Credits Issued (tCO2e)")),
                dict(carbon, header=self.env._("Removals Issued as E-assets (tCO2e)")),
                dict(carbon, header=self.env._("Sold (tCO2e)")),
                dict(carbon, header=self.env._("Transferred (tCO2e)")),
                dict(carbon, header=self.env._("Retired (tCO2e)")),
                {"header": self.env._("Participants Paid"), "type": "integer"},
                {"header": self.env._("Amount Paid"), "type": "number", "total": True},
            ],
            "rows": [
                [
                    r["project"].name,
                    r["reductions"],
                    r["removals"],
                    r["credits_issued"],
                    r["removals_issued"],
                    r["sold"],
                    r["transferred"],
                    r["retired"],
                    r["participants_paid"],
                    r["amount_paid"],
                ]
                for r in data["rows"]
            ],
        }
        return xlsx_renderer.render_workbook([sheet])
