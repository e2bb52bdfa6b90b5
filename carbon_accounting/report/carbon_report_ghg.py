from collections import defaultdict

from odoo import api, models
from odoo.fields import Domain

from ..models.carbon_emission_factor import SCOPE3_CATEGORIES
from ..tools import carbon_math

#: Ledger account type -> GHG Protocol scope of the emissions credited to it.
SCOPE_OF_ACCOUNT = {"direct": "1", "energy": "2", "acquired": "3"}


class CarbonReportGhg(models.AbstractModel):
    """GHG inventory (GHG Protocol Corporate Standard) read from the posted ledger.

    ``_get_data`` builds plain data (numbers, labels, line ids for drill-down); the XLSX, the PDF and
    the wizard only render it. Every figure comes from posted ``carbon.move.line`` of the period and
    companies: emissions are the credits on the direct (Scope 1), energy (Scope 2, market-based, the
    figure booked) and acquired (Scope 3, by the lines' category) accounts, i.e. ``carbon_amount``.
    """

    _name = "carbon.report.ghg"
    _description = "GHG Inventory Report"

    @api.model
    def _line_domain(self, companies, date_from, date_to):
        return Domain([
            ("state", "=", "posted"), ("company_id", "in", companies.ids),
            ("date", ">=", date_from), ("date", "<=", date_to),
            ("account_type", "in", list(SCOPE_OF_ACCOUNT)),
        ])

    @api.model
    def _company_weights(self, companies):
        """{company: percent counted}: 100 under a control approach, the equity share under equity share.
        The approach is the one of the first (reporting) company."""
        approach = companies[:1].carbon_consolidation_approach or "operational"
        return approach, {
            company: company.carbon_equity_share if approach == "equity" else 100.0 for company in companies
        }

    @api.model
    def _line_quality(self, line):
        """Quality of a line's activity data (a key of ``carbon_math.ACTIVITY_UNCERTAINTY``): an amount
        spent is secondary data, a quantity in a unit (metered, invoiced, weighed) primary data, a line
        with neither an estimate."""
        if line.currency_id:
            return "secondary"
        return "primary" if line.product_uom_id else "estimate"

    @api.model
    def _revenue(self, companies, date_from, date_to):
        """The period's income in each company's currency: −balance of posted income lines."""
        groups = self.env["account.move.line"].sudo()._read_group(
            [("company_id", "in", companies.ids), ("parent_state", "=", "posted"),
             ("date", ">=", date_from), ("date", "<=", date_to),
             ("account_id.account_type", "in", ("income", "income_other"))],
            ["company_id"], ["balance:sum"],
        )
        return {company: -balance for company, balance in groups}

    @api.model
    def _get_data(self, companies, date_from, date_to):
        _ = self.env._
        # a user reads the figures of the companies they may access, whatever is asked
        companies = companies._origin.with_env(self.env) & self.env.user.company_ids
        lines = self.env["carbon.move.line"].search(self._line_domain(companies, date_from, date_to), order="id")
        approach, weights = self._company_weights(companies)
        share = {company.id: weight for company, weight in weights.items()}

        def counted(line, amount):
            return carbon_math.round_carbon(amount * share[line.company_id.id] / 100.0)

        scope1 = scope2 = scope2_location = biogenic = 0.0
        location_unassessed = []
        gases = {"1": defaultdict(float), "2": defaultdict(float)}
        not_broken_down = {"1": 0.0, "2": 0.0}
        s3_amounts = defaultdict(float)
        s3_lines = defaultdict(list)
        uncategorised = self.env["carbon.move.line"]
        unassessed = self.env["carbon.move.line"]
        pairs = {"1": [], "2": [], "3": []}
        line_ids = {"1": [], "2": [], "3": []}
        for line in lines:
            scope = SCOPE_OF_ACCOUNT[line.account_type]
            if line.unassessed:
                unassessed |= line
            amount = counted(line, line.carbon_amount)
            line_ids[scope].append(line.id)
            factor = line.factor_id
            u_factor = factor.uncertainty or 0.0
            u_line = carbon_math.combined_uncertainty(
                carbon_math.activity_uncertainty(self._line_quality(line)), u_factor)
            pairs[scope].append((u_line, amount))
            if scope == "1":
                scope1 += amount
                biogenic += counted(line, line.biogenic_co2)
            elif scope == "2":
                scope2 += amount
                if line.location_assessed:
                    scope2_location += counted(line, line.location_carbon)
                elif not line.unassessed:
                    location_unassessed.append(line.id)
            else:
                category = line.scope3_category or "1"
                if not line.scope3_category:
                    uncategorised |= line
                s3_amounts[category] += amount
                s3_lines[category].append(line.id)
            if scope in gases:
                if factor.gas_line_ids and not carbon_math.is_zero(factor.value):
                    factor_quantity = amount / factor.value
                    for gas_line in factor.gas_line_ids:
                        gases[scope][gas_line.gas_id.code] += factor_quantity * gas_line.amount
                else:
                    not_broken_down[scope] += amount

        relevance = {
            (r.company_id.id, r.category): r for r in self.env["carbon.scope3.relevance"].search(
                [("company_id", "in", companies.ids)])
        }
        scope3_by_category = {}
        for category, label in SCOPE3_CATEGORIES:
            if s3_lines[category]:
                reason = ""
                if category == "1" and uncategorised:
                    reason = _("Includes %s line(s) booked without a Scope 3 category.", len(uncategorised))
                scope3_by_category[category] = {
                    "label": label, "status": "figures", "amount": carbon_math.round_carbon(s3_amounts[category]),
                    "reason": reason, "line_ids": s3_lines[category],
                }
                continue
            marks = [relevance.get((company.id, category)) for company in companies]
            if marks and all(mark and not mark.relevant for mark in marks):
                scope3_by_category[category] = {
                    "label": label, "status": "not_relevant", "amount": None,
                    "reason": "; ".join(dict.fromkeys(mark.reason or _("Marked not relevant") for mark in marks)),
                    "line_ids": [],
                }
            else:
                scope3_by_category[category] = {
                    "label": label, "status": "not_assessed", "amount": None,
                    "reason": _("No posted lines and not marked as not relevant."), "line_ids": [],
                }
        scope3 = carbon_math.round_carbon(sum(s3_amounts.values()))

        removals = self.env["carbon.removal"].search([
            ("company_id", "in", companies.ids), ("verification_state", "=", "verified"),
            ("removal_date", ">=", date_from), ("removal_date", "<=", date_to),
        ])
        revenue = self._revenue(companies, date_from, date_to)
        currencies = companies.currency_id
        total_revenue = sum(revenue.get(company, 0.0) * share[company.id] / 100.0 for company in companies)
        total = carbon_math.round_carbon(scope1 + scope2 + scope3)
        unassessed_spend = defaultdict(float)
        for line in unassessed.filtered("currency_id"):
            unassessed_spend[line.currency_id.name] += abs(line.quantity)

        def uncertainty(scope_pairs):
            value = carbon_math.aggregate_uncertainty(scope_pairs)
            return None if value is None else round(value, 2)

        labels = dict(self.env["res.company"]._fields["carbon_consolidation_approach"]._description_selection(self.env))
        return {
            "companies": [{"id": c.id, "name": c.name, "share": weights[c]} for c in companies],
            "date_from": date_from,
            "date_to": date_to,
            "approach": approach,
            "approach_label": labels.get(approach),
            "boundary": _(
                "%(approach)s: %(companies)s", approach=labels.get(approach),
                companies=", ".join(f"{c.name} ({weights[c]:g} %)" for c in companies)),
            "scope1": carbon_math.round_carbon(scope1),
            "scope2_market": carbon_math.round_carbon(scope2),
            "scope2_location": carbon_math.round_carbon(scope2_location),
            "scope2_location_unassessed_count": len(location_unassessed),
            "scope2_location_unassessed_line_ids": location_unassessed,
            "scope3": scope3,
            "scope3_by_category": scope3_by_category,
            "scope3_uncategorised_count": len(uncategorised),
            "total": total,
            "gases": {
                scope: {
                    "by_gas": {code: carbon_math.round_carbon(kg) for code, kg in sorted(gases[scope].items())},
                    "not_broken_down": carbon_math.round_carbon(not_broken_down[scope]),
                } for scope in ("1", "2")
            },
            "uncertainty": {
                "scope1": uncertainty(pairs["1"]), "scope2": uncertainty(pairs["2"]),
                "scope3": uncertainty(pairs["3"]), "total": uncertainty(pairs["1"] + pairs["2"] + pairs["3"]),
            },
            "biogenic_co2": carbon_math.round_carbon(biogenic),
            "removals": carbon_math.round_carbon(sum(
                r.tonnes * share[r.company_id.id] / 100.0 for r in removals)),
            "removal_ids": removals.ids,
            "unassessed_count": len(unassessed),
            "unassessed_line_ids": unassessed.ids,
            "unassessed_spend": dict(unassessed_spend),
            "revenue": total_revenue,
            "currency": currencies[:1].name if len(currencies) == 1 else "",
            "intensity": None if len(currencies) > 1 else carbon_math.intensity_per_million(total, total_revenue),
            "line_ids": {"scope1": line_ids["1"], "scope2": line_ids["2"], "scope3": line_ids["3"]},
        }
