from datetime import timedelta

from odoo import api, models
from odoo.fields import Domain

from ..tools import xlsx_renderer


class CarbonRegisterReport(models.AbstractModel):
    """Data of the auditors' XLSX: the factor register and the carbon of purchases.

    Builds plain sheets (see ``tools/xlsx_renderer``); rendering happens there.
    """

    _name = "carbon.register.report"
    _description = "Carbon Register XLSX Report"

    @api.model
    def _render_xlsx(self, date_from=None, date_to=None, sections=("factors", "purchases", "summary", "ledger")):
        return xlsx_renderer.render_workbook(self._sheets(date_from, date_to, sections))

    @api.model
    def _sheets(self, date_from=None, date_to=None, sections=("factors", "purchases", "summary", "ledger")):
        builders = {
            "factors": self._sheet_factors,
            "purchases": self._sheet_purchases,
            "summary": self._sheet_summary,
            "ledger": self._sheet_ledger,
        }
        return [builders[s](date_from, date_to) for s in sections]

    def _selection_label(self, model, fname, value):
        return dict(self.env[model]._fields[fname]._description_selection(self.env)).get(value, value or "")

    def _period_label(self, date_from, date_to):
        companies = ", ".join(self.env.companies.mapped("name"))
        if date_from or date_to:
            return self.env._("%(companies)s - orders from %(start)s to %(end)s", companies=companies,
                              start=date_from or "-", end=date_to or "-")
        return companies

    @api.model
    def _sheet_factors(self, date_from=None, date_to=None):
        factors = self.env["carbon.emission.factor"].with_context(active_test=False).search(
            [("company_id", "in", [False, *self.env.companies.ids])]
        )
        usage = factors._get_usage_counts()
        label = self._selection_label
        rows = [[
            f.code, f.version, f.name, label(f._name, "basis", f.basis), f.value, f.unit_label,
            label(f._name, "scope", f.scope), label(f._name, "scope3_category", f.scope3_category),
            f.country_id.code or "", f.date_from, f.date_to, f.uncertainty, f.gwp_set_id.code or "",
            f.co2_biogenic, f.source, f.reference_url or "", f.company_id.name or self.env._("Shared"),
            usage.get(f.id, 0), self.env._("Yes") if f.active else self.env._("No"),
        ] for f in factors]
        columns = [
            {"header": self.env._("Code"), "width": 28},
            {"header": self.env._("Version"), "type": "integer", "width": 8},
            {"header": self.env._("Name"), "width": 36},
            {"header": self.env._("Basis"), "width": 18},
            {"header": self.env._("kgCO2e per Unit"), "type": "factor"},
            {"header": self.env._("Per"), "width": 16},
            {"header": self.env._("Scope"), "width": 24},
            {"header": self.env._("Scope 3 Category"), "width": 30},
            {"header": self.env._("Country"), "width": 8},
            {"header": self.env._("Valid From"), "type": "date", "width": 11},
            {"header": self.env._("Valid To"), "type": "date", "width": 11},
            {"header": self.env._("Uncertainty (%)"), "type": "number", "width": 11},
            {"header": self.env._("GWP Set"), "width": 8},
            {"header": self.env._("Biogenic CO2 (kg per Unit)"), "type": "factor"},
            {"header": self.env._("Source"), "width": 40},
            {"header": self.env._("Reference URL"), "width": 40},
            {"header": self.env._("Company"), "width": 20},
            {"header": self.env._("Confirmed Lines Using It"), "type": "integer", "width": 12},
            {"header": self.env._("Active"), "width": 7},
        ]
        return {"name": self.env._("Emission Factors"), "title": self.env._("Emission factor register"),
                "subtitle": self._period_label(None, None), "columns": columns, "rows": rows}

    def _purchase_lines(self, date_from, date_to):
        domain = Domain([
            ("order_id.state", "in", ("purchase", "done")), ("display_type", "=", False),
            ("product_id", "!=", False),
        ])
        if date_from:
            domain &= Domain("order_id.date_order", ">=", date_from)
        if date_to:
            domain &= Domain("order_id.date_order", "<", date_to + timedelta(days=1))
        return self.env["purchase.order.line"].search(domain, order="date_order, order_id, sequence, id")

    @api.model
    def _sheet_purchases(self, date_from=None, date_to=None):
        label = self._selection_label
        rows = []
        for line in self._purchase_lines(date_from, date_to):
            factor = line.carbon_factor_id
            scope = factor.scope if factor else ("3" if line.carbon_source == "vendor" else "")
            # unknown carbon is no figure: its cells stay blank, never 0
            known = line.carbon_source not in (False, "unassessed")
            rows.append(
                [
                    line.order_id.name,
                    line.order_id.date_order.date(),
                    line.company_id.name,
                    line.partner_id.display_name,
                    line.product_id.display_name,
                    line.product_qty,
                    line.product_uom_id.name,
                    line.price_subtotal,
                    line.currency_id.name,
                    label(line._name, "carbon_source", line.carbon_source),
                    factor.code or "",
                    factor.version or None,
                    line.carbon_quantity if known else None,
                    line.carbon_quantity_unit if known else None,
                    line.carbon_rate if known else None,
                    line.carbon_amount if known else None,
                    line.carbon_intensity if known else None,
                    line.product_id.uom_id.name if known else None,
                    label("carbon.emission.factor", "scope", scope),
                    label(
                        "carbon.emission.factor",
                        "scope3_category",
                        factor.scope3_category or ("1" if scope == "3" else False),
                    ),
                    line.carbon_note or "",
                ]
            )
        columns = [
            {"header": self.env._("Order"), "width": 12},
            {"header": self.env._("Order Date"), "type": "date", "width": 11},
            {"header": self.env._("Company"), "width": 18},
            {"header": self.env._("Vendor"), "width": 24},
            {"header": self.env._("Product"), "width": 28},
            {"header": self.env._("Quantity"), "type": "number"},
            {"header": self.env._("Unit"), "width": 8},
            {"header": self.env._("Untaxed Amount"), "type": "number"},
            {"header": self.env._("Currency"), "width": 8},
            {"header": self.env._("Carbon Source"), "width": 20},
            {"header": self.env._("Factor Code"), "width": 26},
            {"header": self.env._("Factor Version"), "type": "integer", "width": 8},
            {"header": self.env._("Basis Quantity"), "type": "factor"},
            {"header": self.env._("Basis Unit"), "width": 10},
            {"header": self.env._("Rate (kgCO2e per Basis Unit)"), "type": "factor"},
            {"header": self.env._("Carbon (kgCO2e)"), "type": "carbon", "total": True},
            {"header": self.env._("kgCO2e per Unit"), "type": "factor"},
            {"header": self.env._("Per"), "width": 8},
            {"header": self.env._("Scope"), "width": 24},
            {"header": self.env._("Scope 3 Category"), "width": 30},
            {"header": self.env._("Note"), "width": 50},
        ]
        return {"name": self.env._("Purchase Carbon"), "title": self.env._("Carbon of confirmed purchases"),
                "subtitle": self._period_label(date_from, date_to), "columns": columns, "rows": rows}

    @api.model
    def _sheet_summary(self, date_from=None, date_to=None):
        lines = self._purchase_lines(date_from, date_to)
        label = self._selection_label
        rows = []
        for source, __ in self.env["purchase.order.line"]._fields["carbon_source"]._description_selection(self.env):
            subset = lines.filtered(lambda line, s=source: line.carbon_source == s)
            if subset:
                carbon = sum(subset.mapped("carbon_amount")) if source != "unassessed" else None
                rows.append([label(lines._name, "carbon_source", source), len(subset), carbon])
        columns = [
            {"header": self.env._("Carbon Source"), "width": 26},
            {"header": self.env._("Lines"), "type": "integer", "total": True},
            {"header": self.env._("Carbon (kgCO2e)"), "type": "carbon", "total": True},
        ]
        return {"name": self.env._("Summary"), "title": self.env._("Purchase carbon by source"),
                "subtitle": self._period_label(date_from, date_to), "columns": columns, "rows": rows}

    @api.model
    def _sheet_ledger(self, date_from=None, date_to=None):
        """Posted carbon by E-liability account and scope over the period."""
        domain = Domain([("state", "=", "posted")])
        if date_from:
            domain &= Domain("date", ">=", date_from)
        if date_to:
            domain &= Domain("date", "<=", date_to)
        groups = self.env["carbon.move.line"]._read_group(
            domain, ["company_id", "account_id", "scope"],
            ["debit:sum", "credit:sum", "balance:sum", "carbon_amount:sum"], order="company_id, account_id, scope")
        label = self._selection_label
        rows = [[account.code, account.name, label("carbon.account", "account_type", account.account_type),
                 label("carbon.move.line", "scope", scope), company.name, debit, credit, balance, carbon]
                for company, account, scope, debit, credit, balance, carbon in groups]
        columns = [
            {"header": self.env._("Account"), "width": 10},
            {"header": self.env._("Name"), "width": 40},
            {"header": self.env._("Type"), "width": 28},
            {"header": self.env._("Scope"), "width": 26},
            {"header": self.env._("Company"), "width": 20},
            {"header": self.env._("Debit (kgCO2e)"), "type": "carbon", "total": True},
            {"header": self.env._("Credit (kgCO2e)"), "type": "carbon", "total": True},
            {"header": self.env._("Balance (kgCO2e)"), "type": "carbon", "total": True},
            # read in each account's direction (emissions positive): never added across accounts
            {"header": self.env._("Carbon (kgCO2e)"), "type": "carbon"},
        ]
        return {
            "name": self.env._("Carbon Ledger"),
            "title": self.env._("E-liability ledger: posted carbon by account and scope"),
            "subtitle": self._period_label(date_from, date_to),
            "columns": columns,
            "rows": rows,
        }


class CarbonRegisterXlsx(models.AbstractModel):
    """The register export as an OCA report_xlsx report of the export wizard (its sections and period)."""

    _name = "report.carbon_accounting.register_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Carbon Register XLSX"

    def get_workbook_options(self):
        return dict(xlsx_renderer.WORKBOOK_OPTIONS)

    def generate_xlsx_report(self, workbook, data, objs):
        wizard = objs.ensure_one()
        sheets = self.env["carbon.register.report"]._sheets(wizard.date_from, wizard.date_to, wizard._sections())
        xlsx_renderer.write_sheets(workbook, sheets)
