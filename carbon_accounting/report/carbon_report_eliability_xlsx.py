from odoo import api, models

from ..tools import xlsx_renderer


class CarbonReportEliabilityXlsx(models.AbstractModel):
    """XLSX of the E-liability statement: the statement, then one sheet per customer, supplier and
    product table. The figures come from ``carbon.report.eliability._get_data``."""

    _name = "report.carbon_accounting.eliability_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "E-liability Statement XLSX"

    def get_workbook_options(self):
        return dict(xlsx_renderer.WORKBOOK_OPTIONS)

    def generate_xlsx_report(self, workbook, data, objs):
        wizard = objs.ensure_one()
        xlsx_renderer.write_sheets(workbook, self._sheets(wizard.company_id, wizard.date_from, wizard.date_to))

    @api.model
    def _sheets(self, company, date_from, date_to):
        report = self.env["carbon.report.eliability"]
        data = report._get_data(company, date_from, date_to)
        subtitle = self.env._(
            "%(company)s - from %(start)s to %(end)s", company=company.name, start=date_from, end=date_to
        )
        carbon = {"header": self.env._("kgCO2e"), "type": "carbon", "width": 16}
        statement = {
            "name": self.env._("Statement"), "title": self.env._("E-liability statement"), "subtitle": subtitle,
            "columns": [{"header": self.env._("Line"), "width": 60}, carbon],
            "rows": [[label, amount] for _key, label, amount in report._statement_rows(data)]
            + [[self.env._("Closing agrees with the ledger"), None] if data["closing_ok"] else
               [self.env._("Closing differs from the ledger"), data["closing"] - data["ledger_closing"]]]
            + [[label, amount] for _key, label, amount in report._register_rows(data)],
        }
        customers = {
            "name": self.env._("Customers"),
            "title": self.env._("E-liability transferred per customer (to book as acquired)"),
            "subtitle": subtitle,
            "columns": [
                {"header": self.env._("Customer"), "width": 40},
                dict(carbon, total=True),
                {"header": self.env._("Lines"), "type": "integer", "width": 8},
            ],
            "rows": [
                [r["partner"].display_name or self.env._("No partner"), r["carbon"], r["lines"]]
                for r in data["by_customer"]
            ],
        }
        quality_labels = self._quality_labels()
        suppliers = {
            "name": self.env._("Suppliers"),
            "title": self.env._("E-liability acquired per supplier and its data quality"),
            "subtitle": subtitle,
            "columns": [{"header": self.env._("Supplier"), "width": 40}, dict(carbon, total=True)]
            + [{"header": label + " (%)", "type": "number", "width": 12} for label in quality_labels.values()],
            "rows": [
                [r["partner"].display_name or self.env._("No partner"), r["carbon"]]
                + [r["quality_share"][key] * 100.0 for key in quality_labels]
                for r in data["by_supplier"]
            ],
        }
        products = {
            "name": self.env._("Products"),
            "title": self.env._("Carbon per unit bought or made in the period"),
            "subtitle": subtitle,
            "columns": [
                {"header": self.env._("Product"), "width": 40},
                {"header": self.env._("Quantity"), "type": "number"},
                {"header": self.env._("Unit"), "width": 10},
                dict(carbon, total=True),
                {"header": self.env._("kgCO2e per Unit"), "type": "factor"},
                {"header": self.env._("Unassessed Quantity"), "type": "number"},
            ],
            "rows": [
                [
                    r["product"].display_name,
                    r["quantity"],
                    r["uom"].name,
                    r["carbon"],
                    r["per_unit"],
                    r["unassessed_quantity"] or None,
                ]
                for r in data["by_product"]
            ],
        }
        return [statement, customers, suppliers, products]

    def _quality_labels(self):
        return {
            "verified": self.env._("Verified primary"),
            "primary": self.env._("Primary"),
            "secondary": self.env._("Secondary"),
            "estimate": self.env._("Estimate"),
            "factor": self.env._("Factor-based"),
            "spend": self.env._("Spend-based"),
            "other": self.env._("Other"),
        }
