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
        _ = self.env._
        subtitle = _("%(company)s - from %(start)s to %(end)s", company=company.name, start=date_from, end=date_to)
        carbon = {"header": _("kgCO2e"), "type": "carbon", "width": 16}
        statement = {
            "name": _("Statement"), "title": _("E-liability statement"), "subtitle": subtitle,
            "columns": [{"header": _("Line"), "width": 60}, carbon],
            "rows": [[label, amount] for _key, label, amount in report._statement_rows(data)]
            + [[_("Closing agrees with the ledger"), None] if data["closing_ok"] else
               [_("Closing differs from the ledger"), data["closing"] - data["ledger_closing"]]]
            + [[label, amount] for _key, label, amount in report._register_rows(data)],
        }
        customers = {
            "name": _("Customers"), "title": _("E-liability transferred per customer (to book as acquired)"),
            "subtitle": subtitle,
            "columns": [{"header": _("Customer"), "width": 40}, dict(carbon, total=True),
                        {"header": _("Lines"), "type": "integer", "width": 8}],
            "rows": [[r["partner"].display_name or _("No partner"), r["carbon"], r["lines"]]
                     for r in data["by_customer"]],
        }
        quality_labels = self._quality_labels()
        suppliers = {
            "name": _("Suppliers"), "title": _("E-liability acquired per supplier and its data quality"),
            "subtitle": subtitle,
            "columns": [{"header": _("Supplier"), "width": 40}, dict(carbon, total=True)]
            + [{"header": label + " (%)", "type": "number", "width": 12} for label in quality_labels.values()],
            "rows": [[r["partner"].display_name or _("No partner"), r["carbon"]]
                     + [r["quality_share"][key] * 100.0 for key in quality_labels] for r in data["by_supplier"]],
        }
        products = {
            "name": _("Products"), "title": _("Carbon per unit bought or made in the period"), "subtitle": subtitle,
            "columns": [{"header": _("Product"), "width": 40}, {"header": _("Quantity"), "type": "number"},
                        {"header": _("Unit"), "width": 10}, dict(carbon, total=True),
                        {"header": _("kgCO2e per Unit"), "type": "factor"},
                        {"header": _("Unassessed Quantity"), "type": "number"}],
            "rows": [[r["product"].display_name, r["quantity"], r["uom"].name, r["carbon"], r["per_unit"],
                      r["unassessed_quantity"] or None] for r in data["by_product"]],
        }
        return [statement, customers, suppliers, products]

    def _quality_labels(self):
        _ = self.env._
        return {"verified": _("Verified primary"), "primary": _("Primary"), "secondary": _("Secondary"),
                "estimate": _("Estimate"), "factor": _("Factor-based"), "spend": _("Spend-based"),
                "other": _("Other")}
