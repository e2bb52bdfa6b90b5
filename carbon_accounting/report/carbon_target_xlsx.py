from odoo import api, models

from ..tools import xlsx_renderer


class CarbonTargetXlsx(models.AbstractModel):
    """An emission target as an OCA report_xlsx report: renders the plain data of ``carbon.target``
    (its ``_get_report_data``)."""

    _name = "report.carbon_accounting.target_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Emission Target XLSX Report"

    def get_workbook_options(self):
        return dict(xlsx_renderer.WORKBOOK_OPTIONS)

    def generate_xlsx_report(self, workbook, data, objs):
        data = objs.ensure_one()._get_report_data()
        xlsx_renderer.write_sheets(workbook, [self._sheet_target(data), self._sheet_path(data)])

    @api.model
    def _sheet_target(self, data):
        _ = self.env._
        latest = data["latest"]
        rows = [
            [_("Company"), None, data["company"]],
            [_("Scopes covered"), None, data["scopes"]],
            [_("Method"), None, data["method_label"]],
            [_("Annual reduction (% of base, linear)"), data["rate"], ""],
            [_("Unit"), None, data["unit"]],
            [_("Base year"), data["base_year"], ""],
            [_("Base figure now"), data["base"], data["base_reason"]],
            [_("Base figure recorded"), data["base_recorded"], ""],
            [_("Base change (%)"), data["change_percent"], ""],
            [_("Target year"), data["target_year"], ""],
            [_("Target-year figure"), data["target"], _("-%s %%", data["reduction_percent"])],
            [_("Latest year tracked after the base year"), latest["year"] if latest else None,
             self.env["carbon.target"]._statuses()[latest["status"] if latest else "no_data"]],
        ] + [[_("Warning"), None, warning] for warning in data["warnings"]]
        return {
            "name": _("Target"), "title": _("Emission Reduction Target: %s", data["name"]),
            "columns": [{"header": _("Item"), "width": 36}, {"header": _("Figure"), "type": "number", "width": 18},
                        {"header": _("Notes"), "width": 70}],
            "rows": rows,
        }

    @api.model
    def _sheet_path(self, data):
        _ = self.env._
        statuses = self.env["carbon.target"]._statuses()
        rows = [[row["year"], row["target"], row["actual"], row["gap"], statuses[row["status"]]] for row in data["path"]]
        return {
            "name": _("Path"), "title": _("Path and Actual (%s)", data["unit"]), "subtitle": data["name"],
            "columns": [{"header": _("Year"), "type": "integer", "width": 8},
                        {"header": _("Target path"), "type": "carbon", "width": 18},
                        {"header": _("Actual"), "type": "carbon", "width": 18},
                        {"header": _("Gap (actual - target)"), "type": "carbon", "width": 18},
                        {"header": _("Status"), "width": 14}],
            "rows": rows,
        }
