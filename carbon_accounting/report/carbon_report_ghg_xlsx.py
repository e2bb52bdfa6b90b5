from odoo import api, models

from ..tools import xlsx_renderer


class CarbonReportGhgXlsx(models.AbstractModel):
    """The GHG inventory as an OCA report_xlsx report of its wizard: renders the plain data of
    ``carbon.report.ghg`` (the wizard's ``_get_report_data``)."""

    _name = "report.carbon_accounting.ghg_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "GHG Inventory XLSX Report"

    def get_workbook_options(self):
        return dict(xlsx_renderer.WORKBOOK_OPTIONS)

    def generate_xlsx_report(self, workbook, data, objs):
        xlsx_renderer.write_sheets(workbook, self._sheets(objs.ensure_one()._get_report_data()))

    @api.model
    def _sheets(self, data):
        return [self._sheet_inventory(data), self._sheet_scope3(data), self._sheet_gases(data),
                self._sheet_comparison(data)]

    def _subtitle(self, data):
        return self.env._("%(start)s to %(end)s - %(boundary)s", start=data["date_from"], end=data["date_to"],
                          boundary=data["boundary"])

    @api.model
    def _sheet_inventory(self, data):
        uncertainty = data["uncertainty"]

        def pct(value):
            return self.env._("± %s %%", value) if value is not None else self.env._("n/a")

        rows = [
            [self.env._("Scope 1 - Direct emissions"), data["scope1"], pct(uncertainty["scope1"])],
            [self.env._("Scope 2 - Purchased energy, market-based"), data["scope2_market"], pct(uncertainty["scope2"])],
            [
                self.env._("Scope 2 - Purchased energy, location-based"),
                data["scope2_location"],
                self.env._("%s line(s) without a location-based figure", data["scope2_location_unassessed_count"])
                if data["scope2_location_unassessed_count"]
                else "",
            ],
            [self.env._("Scope 3 - Value chain"), data["scope3"], pct(uncertainty["scope3"])],
            [self.env._("Total (Scopes 1, 2 market-based and 3)"), data["total"], pct(uncertainty["total"])],
            [self.env._("Memo: biogenic CO2 (kg), outside the scopes"), data["biogenic_co2"], ""],
            [self.env._("Removals verified (tCO2e), apart, never deducted"), data["removals"], ""],
            [
                self.env._("Unassessed lines (carbon unknown)"),
                data["unassessed_count"],
                ", ".join(f"{amount:.2f} {currency}" for currency, amount in data["unassessed_spend"].items()),
            ],
            [self.env._("Revenue (%s)", data["currency"] or self.env._("several currencies")), data["revenue"], ""],
            [
                self.env._("Intensity (kgCO2e per million of revenue)"),
                data["intensity"] if data["intensity"] is not None else "",
                "" if data["intensity"] is not None else self.env._("n/a"),
            ],
        ]
        unit = data["unit_intensity"]
        if unit:
            uom = unit["uom"].name or self.env._("no common unit")
            rows += [
                [
                    self.env._("Quantity sold of %(subject)s (%(uom)s)", subject=unit["subject"], uom=uom),
                    unit["quantity_sold"] if unit["quantity_sold"] is not None else "",
                    unit["note"],
                ],
                [
                    self.env._("Intensity (kgCO2e per %s sold)", uom),
                    unit["per_unit_sold"] if unit["per_unit_sold"] is not None else "",
                    "" if unit["per_unit_sold"] is not None else self.env._("n/a"),
                ],
                [
                    self.env._("Quantity made of %(subject)s (%(uom)s)", subject=unit["subject"], uom=uom),
                    unit["quantity_made"] if unit["quantity_made"] is not None else "",
                    unit["note"],
                ],
                [
                    self.env._("Intensity (kgCO2e per %s made)", uom),
                    unit["per_unit_made"] if unit["per_unit_made"] is not None else "",
                    "" if unit["per_unit_made"] is not None else self.env._("n/a"),
                ],
            ]
        return {
            "name": self.env._("GHG Inventory"),
            "title": self.env._("GHG Inventory (kgCO2e)"),
            "subtitle": self._subtitle(data),
            "columns": [
                {"header": self.env._("Figure"), "width": 52},
                {"header": self.env._("Amount"), "type": "carbon", "width": 18},
                {"header": self.env._("Uncertainty / Notes"), "width": 40},
            ],
            "rows": rows,
        }

    @api.model
    def _sheet_scope3(self, data):
        statuses = self.env["carbon.report.ghg.wizard"]._statuses()
        rows = [[values["label"], statuses[values["status"]], values["amount"] if values["amount"] is not None else "",
                 values["reason"]] for values in data["scope3_by_category"].values()]
        return {
            "name": self.env._("Scope 3"),
            "title": self.env._("Scope 3 by Category (kgCO2e)"),
            "subtitle": self._subtitle(data),
            "columns": [
                {"header": self.env._("Category"), "width": 44},
                {"header": self.env._("Status"), "width": 14},
                {"header": self.env._("kgCO2e"), "type": "carbon", "width": 18, "total": True},
                {"header": self.env._("Reason"), "width": 50},
            ],
            "rows": rows,
        }

    @api.model
    def _sheet_gases(self, data):
        rows = []
        for scope in ("1", "2"):
            gases = data["gases"][scope]
            rows += [[self.env._("Scope %s", scope), code, kg] for code, kg in gases["by_gas"].items()]
            rows.append(
                [self.env._("Scope %s", scope), self.env._("Not broken down (kgCO2e)"), gases["not_broken_down"]]
            )
        return {
            "name": self.env._("Gases"),
            "title": self.env._("Scope 1 and 2 by Gas (kg of gas)"),
            "subtitle": self._subtitle(data),
            "columns": [
                {"header": self.env._("Scope"), "width": 12},
                {"header": self.env._("Gas"), "width": 30},
                {"header": self.env._("kg"), "type": "carbon", "width": 18},
            ],
            "rows": rows,
        }

    @api.model
    def _sheet_comparison(self, data):
        previous, base = data["comparison"]["previous"], data["comparison"]["base_year"]

        def value(figures, key):
            return figures[key] if figures and figures[key] is not None else ""

        def change(figures, key):
            return figures["change"][key] if figures and figures["change"][key] is not None else ""

        rows = [
            [label, value(data, key), value(previous, key), change(previous, key), value(base, key), change(base, key)]
            for key, label in self.env["carbon.report.ghg.wizard"]._comparison_rows()
        ]
        base_header = (
            self.env._(
                "Base year %(year)s (%(start)s to %(end)s)",
                year=base["year"],
                start=base["date_from"],
                end=base["date_to"],
            )
            if base
            else self.env._("Base year (not set)")
        )
        return {
            "name": self.env._("Comparison"),
            "title": self.env._("This Period against the Previous One and the Base Year"),
            "subtitle": self._subtitle(data),
            "columns": [
                {"header": self.env._("Figure"), "width": 36},
                {"header": self.env._("This period"), "type": "carbon", "width": 18},
                {
                    "header": self.env._(
                        "Previous period (%(start)s to %(end)s)", start=previous["date_from"], end=previous["date_to"]
                    ),
                    "type": "carbon",
                    "width": 24,
                },
                {"header": self.env._("Change (%)"), "type": "number", "width": 12},
                {"header": base_header, "type": "carbon", "width": 24},
                {"header": self.env._("Change (%)"), "type": "number", "width": 12},
            ],
            "rows": rows,
        }
