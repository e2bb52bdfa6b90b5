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
        latest = data["latest"]
        rows = [
            [self.env._("Company"), None, data["company"]],
            [self.env._("Scopes covered"), None, data["scopes"]],
            [self.env._("Method"), None, data["method_label"]],
            [self.env._("Annual reduction (% of base, linear)"), data["rate"], ""],
            [self.env._("Unit"), None, data["unit"]],
            [self.env._("Base year"), data["base_year"], ""],
            [self.env._("Base figure now"), data["base"], data["base_reason"]],
            [self.env._("Base figure recorded"), data["base_recorded"], ""],
            [self.env._("Base change (%)"), data["change_percent"], ""],
            [self.env._("Target year"), data["target_year"], ""],
            [self.env._("Target-year figure"), data["target"], self.env._("-%s %%", data["reduction_percent"])],
            [self.env._("Latest year tracked after the base year"), latest["year"] if latest else None,
             self.env["carbon.target"]._statuses()[latest["status"] if latest else "no_data"]],
        ] + [[self.env._("Warning"), None, warning] for warning in data["warnings"]]
        return {
            "name": self.env._("Target"),
            "title": self.env._("Emission Reduction Target: %s", data["name"]),
            "columns": [
                {"header": self.env._("Item"), "width": 36},
                {"header": self.env._("Figure"), "type": "number", "width": 18},
                {"header": self.env._("Notes"), "width": 70},
            ],
            "rows": rows,
        }

    @api.model
    def _sheet_path(self, data):
        statuses = self.env["carbon.target"]._statuses()
        rows = [
            [row["year"], row["target"], row["actual"], row["gap"], statuses[row["status"]]] for row in data["path"]
        ]
        return {
            "name": self.env._("Path"),
            "title": self.env._("Path and Actual (%s)", data["unit"]),
            "subtitle": data["name"],
            "columns": [
                {"header": self.env._("Year"), "type": "integer", "width": 8},
                {"header": self.env._("Target path"), "type": "carbon", "width": 18},
                {"header": self.env._("Actual"), "type": "carbon", "width": 18},
                {"header": self.env._("Gap (actual - target)"), "type": "carbon", "width": 18},
                {"header": self.env._("Status"), "width": 14},
            ],
            "rows": rows,
        }
