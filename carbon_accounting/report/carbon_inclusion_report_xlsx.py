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
        _ = self.env._
        text = {"header": _("Value"), "width": 60}
        project, boundary = data["project"], data["boundary"]
        sheets = [
            {"name": _("Project"), "title": data["title"], "subtitle": project["methodology"],
             "columns": [{"header": _("Item"), "width": 30}, text],
             "rows": [[_("Project"), project["name"]], [_("Registry number"), project["reference"]],
                      [_("Owner"), project["owner"]], [_("Status"), project["state"]],
                      [_("Location"), project["location"]], [_("Start date"), str(project["start_date"] or "")],
                      [_("Crediting period"), f"{project['crediting_start']} – {project['crediting_end']}"],
                      [_("Methodology"), project["methodology"]], [_("Kind"), project["kind"]],
                      [_("Basis"), project["basis"]]]
             + [[_("Participant"), f"{p['partner']} ({p['share']:g} %) {p['activity']}".strip()]
                for p in project["participants"]]},
            {"name": _("Boundary"), "title": _("Accounting boundary"),
             "columns": [{"header": _("Item"), "width": 30}, text],
             "rows": [[_("Geography"), boundary["geography"]], [_("Accounting period"), boundary["accounting_period"]],
                      [_("Carbon pools"), boundary["carbon_pools"]], [_("Gases"), boundary["gases"]],
                      [_("Monitoring period"), f"{boundary['period'][0]} – {boundary['period'][1]}"],
                      [_("Version"), boundary["version"]]]},
            {"name": _("Baseline"), "title": _("Formulas and parameters"),
             "columns": [{"header": _("Code"), "width": 22}, {"header": _("Description"), "width": 40},
                         {"header": _("Value"), "type": "factor"}, {"header": _("Unit"), "width": 16},
                         {"header": _("Source"), "width": 60}],
             "rows": [[f["label"], f["formula"], None, _("kgCO2e"), ""] for f in data["baseline"]["formulas"]]
             + [[p["code"], p["name"], p["value"], p["unit"], p["source"]] for p in data["baseline"]["parameters"]]},
            {"name": _("Monitoring Data"), "title": _("Monitoring data and their sources"),
             "columns": [{"header": _("Code"), "width": 22}, {"header": _("Parameter"), "width": 36},
                         {"header": _("Value"), "type": "factor"}, {"header": _("Unit"), "width": 10},
                         {"header": _("Source"), "width": 40}, {"header": _("Origin"), "width": 40},
                         {"header": _("Note"), "width": 30}],
             "rows": [[m["code"], m["name"], m["value"], m["unit"], m["source"], m["origin"], m["note"]]
                      for m in data["monitoring_data"]]},
            {"name": _("Calculations"), "title": _("Calculations"),
             "columns": [{"header": _("Step"), "width": 120}], "rows": [[step] for step in data["calculations"]]},
            {"name": _("Results"), "title": _("Results (kgCO2e)"),
             "columns": [{"header": _("Figure"), "width": 40}, {"header": _("kgCO2e"), "type": "carbon", "width": 18}],
             "rows": [[label, value] for label, value in data["results"]]
             + [[_("Issuable (whole tCO2e, rounded down)"), data["issuable_tonnes"]]]},
            {"name": _("Uncertainty and QA-QC"), "title": _("Uncertainty, QA/QC"),
             "columns": [{"header": _("Item"), "width": 20}, {"header": _("Text"), "width": 120}],
             "rows": [[_("Uncertainty"), data["uncertainty"]], [_("QA/QC"), data["qa_qc"]]]},
            {"name": _("Evidence"), "title": _("Evidence index"),
             "columns": [{"header": _("Section"), "width": 20}, {"header": _("Item"), "width": 50},
                         {"header": _("File"), "width": 40}],
             "rows": [[e["section"], e["item"], e["name"]] for e in data["evidence"]]},
        ]
        return xlsx_renderer.render_workbook(sheets)

    @api.model
    def _render_summary_xlsx(self, companies, date_from, date_to):
        data = self.env["carbon.inclusion.report"]._get_summary_data(companies, date_from, date_to)
        _ = self.env._
        carbon = {"type": "carbon", "width": 16, "total": True}
        sheet = {
            "name": _("Carbon Inclusion"), "title": _("Carbon-inclusion summary"),
            "subtitle": _("%(companies)s - from %(start)s to %(end)s", companies=", ".join(companies.mapped("name")),
                          start=date_from, end=date_to),
            "columns": [{"header": _("Project"), "width": 40},
                        dict(carbon, header=_("Reductions (kgCO2e)")), dict(carbon, header=_("Removals (kgCO2e)")),
                        dict(carbon, header=_("Credits Issued (tCO2e)")),
                        dict(carbon, header=_("Removals Issued as E-assets (tCO2e)")),
                        dict(carbon, header=_("Sold (tCO2e)")), dict(carbon, header=_("Retired (tCO2e)")),
                        {"header": _("Participants Paid"), "type": "integer"},
                        {"header": _("Amount Paid"), "type": "number", "total": True}],
            "rows": [[r["project"].name, r["reductions"], r["removals"], r["credits_issued"], r["removals_issued"],
                      r["sold"], r["retired"], r["participants_paid"], r["amount_paid"]] for r in data["rows"]],
        }
        return xlsx_renderer.render_workbook([sheet])
