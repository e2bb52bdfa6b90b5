from datetime import date

from odoo import api, models
from odoo.fields import Domain

from odoo.addons.carbon_accounting.tools import carbon_math, xlsx_renderer

from ..models.carbon_sll_target import KPIS
from ..tools import finance_math

#: Unit and direction of each KPI, and how it is read from the ledger.
KPI_DEFINITIONS = {
    "scope12": ("kgCO2e", True, "Scope 1 plus market-based Scope 2 of the posted ledger in the calendar year "
                "(carbon.report.ghg totals)."),
    "intensity_revenue": ("kgCO2e / million revenue", True, "Scope 1+2 over the year's revenue (posted income "
                          "lines, company currency), per million."),
    "verified_supplier_share": ("share (0-1)", False, "Carbon acquired from vendors backed by verified data over "
                                "all carbon acquired from vendors in the year (E-liability by supplier)."),
    "verified_removals": ("tCO2e", False, "Verified removals dated in the year, less their reversal-risk buffer."),
}
SLLP_COMPONENTS = (
    ("kpi", "Selection of KPIs"), ("calibration", "Calibration of SPTs"),
    ("characteristics", "Loan characteristics"), ("reporting", "Reporting"), ("verification", "Verification"),
)


class CarbonReportSll(models.AbstractModel):
    """The data of a sustainability-linked loan's KPI report, built apart from its renderers (the
    QWeb PDF and the XLSX): KPIs from the ledger, targets, actual against target, the ratchet."""

    _name = "carbon.report.sll"
    _description = "Sustainability-Linked Loan KPI Report"

    @api.model
    def _kpi_actuals(self, company, year):
        """{kpi: actual or None} of ``company`` in calendar ``year``."""
        date_from, date_to = date(year, 1, 1), date(year, 12, 31)
        Ghg = self.env["carbon.report.ghg"]
        totals = Ghg._get_totals(company, date_from, date_to)
        # a year with nothing posted has no figure, not a zero that would meet any target
        posted = bool(self.env["carbon.move.line"].search_count(
            Ghg._line_domain(company, date_from, date_to) & Domain("account_type", "in", ["direct", "energy"]),
            limit=1))
        scope12 = carbon_math.round_carbon(totals["scope1"] + totals["scope2_market"]) if posted else None
        rows = [row for row in self.env["carbon.report.eliability"]._get_data(company, date_from, date_to)[
            "by_supplier"] if row["partner"]]
        acquired = sum(row["carbon"] for row in rows)
        verified = sum(row["carbon"] * row["quality_share"].get("verified", 0.0) for row in rows)
        removals = self.env["carbon.removal"].search([
            ("company_id", "=", company.id), ("verification_state", "=", "verified"),
            ("removal_date", ">=", date_from), ("removal_date", "<=", date_to)])
        return {
            "scope12": scope12,
            "intensity_revenue": carbon_math.intensity_per_million(scope12, totals["revenue"]) if posted else None,
            "verified_supplier_share": None if carbon_math.is_zero(acquired) else verified / acquired,
            "verified_removals": carbon_math.round_carbon(sum(
                carbon_math.net_of_buffer(removal.tonnes, removal.buffer_percent) for removal in removals)),
        }

    @api.model
    def _target_row(self, spt, cache):
        """The report row of one target; ``cache`` keeps the actuals of each (company, year)."""
        key = (spt.loan_id.company_id.id, spt.year)
        if key not in cache:
            cache[key] = self._kpi_actuals(spt.loan_id.company_id, spt.year) if spt.kpi and spt.year else {}
        unit, lower_is_better, __ = KPI_DEFINITIONS.get(spt.kpi, ("", True, ""))
        actual = cache[key].get(spt.kpi)
        met = finance_math.target_met(actual, spt.target, lower_is_better)
        status = "no_data" if met is None else "missed" if not met else "met" if spt.verified else "not_verified"
        return {
            "kpi": spt.kpi, "label": dict(KPIS).get(spt.kpi), "unit": unit, "lower_is_better": lower_is_better,
            "target": spt.target, "actual": actual, "met": met, "verified": spt.verified, "status": status,
            "verifier": spt.verifier_id.name or None, "verification_date": spt.verification_date or None,
            "assurance": spt.assurance or None,
            "verified_value": spt.verified_value if spt.verified else None,
            # what the ratchet counts: met and verified, missed, or neither (not reported / not verified)
            "result": True if status == "met" else False if status == "missed" else None,
        }

    @api.model
    def _get_data(self, loan):
        cache = {}
        years = []
        for year in sorted(set(loan.target_ids.mapped("year"))):
            targets = loan.target_ids.filtered(lambda t, year=year: t.year == year)
            rows = [self._target_row(spt, cache) for spt in targets]
            adjustment = finance_math.margin_ratchet(
                [row["result"] for row in rows], loan.ratchet_step_bps, loan.ratchet_two_way,
                loan.ratchet_cap_bps or None)
            years.append({"year": year, "rows": rows, "adjustment_bps": adjustment,
                          "margin_bps": loan.base_margin_bps + adjustment})
        return {
            "name": loan.name, "company": loan.company_id.name, "lender": loan.financier_id.name,
            "currency": loan.currency_id.name, "principal": loan.principal,
            "signing_date": loan.signing_date, "maturity_date": loan.maturity_date or None,
            "base_margin_bps": loan.base_margin_bps, "step_bps": loan.ratchet_step_bps,
            "two_way": loan.ratchet_two_way, "cap_bps": loan.ratchet_cap_bps or None,
            "kpi_rationale": loan.kpi_rationale or "", "calibration": loan.calibration or "",
            "reporting": loan.reporting or "", "verifier": loan.verifier_id.name or None,
            "kpis": [{"code": code, "label": label, "unit": KPI_DEFINITIONS[code][0],
                      "lower_is_better": KPI_DEFINITIONS[code][1], "definition": KPI_DEFINITIONS[code][2]}
                     for code, label in KPIS if code in loan.target_ids.mapped("kpi")],
            "years": years,
            "components": [label for __, label in SLLP_COMPONENTS],
        }

    @api.model
    def _render_xlsx(self, data):
        statuses = dict(self.env["carbon.sll.target"]._fields["status"]._description_selection(self.env))
        ratchet = self.env._("two-way") if data["two_way"] else self.env._("one-way")
        loan_rows = [
            [self.env._("Company"), data["company"]],
            [self.env._("Lender"), data["lender"]],
            [self.env._("Principal"), f"{data['principal']:,.2f} {data['currency']}"],
            [self.env._("Signed"), str(data["signing_date"])],
            [self.env._("Maturity"), str(data["maturity_date"] or "")],
            [self.env._("Base margin (bp)"), data["base_margin_bps"]],
            [
                self.env._("Ratchet"),
                self.env._(
                    "%(kind)s, %(step)s bp a KPI, cap %(cap)s",
                    kind=ratchet,
                    step=data["step_bps"],
                    cap=data["cap_bps"] if data["cap_bps"] is not None else self.env._("none"),
                ),
            ],
            [self.env._("KPI selection"), data["kpi_rationale"]],
            [self.env._("Target calibration"), data["calibration"]],
            [self.env._("Reporting"), data["reporting"]],
            [self.env._("Verifier"), data["verifier"] or ""],
        ] + [[kpi["label"], f"{kpi['unit']}: {kpi['definition']}"] for kpi in data["kpis"]]
        result_rows = [
            [
                year["year"],
                row["label"],
                row["unit"],
                row["target"],
                row["actual"],
                statuses[row["status"]],
                row["verifier"] or "",
                str(row["verification_date"] or ""),
                year["adjustment_bps"],
                year["margin_bps"],
            ]
            for year in data["years"]
            for row in year["rows"]
        ]
        return xlsx_renderer.render_workbook(
            [
                {
                    "name": self.env._("Loan"),
                    "title": self.env._("Sustainability-Linked Loan: %s", data["name"]),
                    "columns": [
                        {"header": self.env._("Item"), "width": 28},
                        {"header": self.env._("Value"), "width": 90},
                    ],
                    "rows": loan_rows,
                },
                {
                    "name": self.env._("KPIs"),
                    "title": self.env._("Actual against Target"),
                    "subtitle": data["name"],
                    "columns": [
                        {"header": self.env._("Year"), "type": "integer", "width": 8},
                        {"header": self.env._("KPI"), "width": 44},
                        {"header": self.env._("Unit"), "width": 24},
                        {"header": self.env._("Target"), "type": "factor", "width": 16},
                        {"header": self.env._("Actual"), "type": "factor", "width": 16},
                        {"header": self.env._("Status"), "width": 18},
                        {"header": self.env._("Verifier"), "width": 24},
                        {"header": self.env._("Verified on"), "width": 12},
                        {"header": self.env._("Margin move (bp)"), "type": "integer", "width": 12},
                        {"header": self.env._("Margin (bp)"), "type": "integer", "width": 12},
                    ],
                    "rows": result_rows,
                },
            ]
        )
