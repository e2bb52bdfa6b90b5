from collections import defaultdict

from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..models.carbon_emission_factor import SCOPE3_CATEGORIES
from ..tools import carbon_math

#: Ledger account type -> GHG Protocol scope of the emissions credited to it.
SCOPE_OF_ACCOUNT = {"direct": "1", "energy": "2", "acquired": "3"}
#: The figures ``_get_totals`` gives and the comparisons set side by side.
TOTAL_KEYS = ("scope1", "scope2_market", "scope2_location", "scope3", "total", "revenue", "intensity")


class CarbonReportGhg(models.AbstractModel):
    """GHG inventory (GHG Protocol Corporate Standard) read from the posted ledger.

    ``_get_data`` builds plain data (numbers, labels, domains for drill-down); the XLSX, the PDF and
    the wizard only render it. Every figure comes from posted ``carbon.move.line`` of the period and
    companies: emissions are the credits on the direct (Scope 1), energy (Scope 2, market-based, the
    figure booked) and acquired (Scope 3, by the lines' category) accounts, i.e. ``carbon_amount``.
    The lines are summed in the database, grouped so that every figure (uncertainty included) is
    exact: the number of queries does not grow with the number of lines.
    """

    _name = "carbon.report.ghg"
    _description = "GHG Inventory Report"

    @api.model
    def _reported_companies(self, companies):
        """A user reads the figures of the companies they may access, whatever is asked."""
        return companies._origin.with_env(self.env) & self.env.user.company_ids

    @api.model
    def _line_domain(self, companies, date_from, date_to):
        return Domain([
            ("state", "=", "posted"), ("company_id", "in", companies.ids),
            ("date", ">=", date_from), ("date", "<=", date_to),
            ("account_type", "in", list(SCOPE_OF_ACCOUNT)),
        ])

    @api.model
    def _category_domain(self, category):
        """Scope 3 lines of ``category``; lines booked without a category count in category 1."""
        if category == "1":
            return Domain("scope3_category", "in", ["1", False])
        return Domain("scope3_category", "=", category)

    @api.model
    def _domains(self, companies, date_from, date_to):
        """Domains on ``carbon.move.line`` of the lines behind each figure (for drill-down): the
        scopes, each Scope 3 category, the unassessed lines and the Scope 2 lines without a
        location-based figure."""
        companies = self._reported_companies(companies)
        base = self._line_domain(companies, date_from, date_to)
        by_account = {scope: base & Domain("account_type", "=", account) for account, scope in SCOPE_OF_ACCOUNT.items()}
        return {
            "scope1": list(by_account["1"]), "scope2": list(by_account["2"]), "scope3": list(by_account["3"]),
            "scope3_by_category": {
                category: list(by_account["3"] & self._category_domain(category)) for category, __ in SCOPE3_CATEGORIES
            },
            "unassessed": list(base & Domain("unassessed", "=", True)),
            "scope2_location_unassessed": list(by_account["2"] & Domain([
                ("location_assessed", "=", False), ("unassessed", "=", False)])),
        }

    @api.model
    def _company_weights(self, companies):
        """{company: percent counted}: 100 under a control approach, the equity share under equity share.
        The approach is the one of the first (reporting) company."""
        approach = companies[:1].carbon_consolidation_approach or "operational"
        return approach, {
            company: company.carbon_equity_share if approach == "equity" else 100.0 for company in companies
        }

    @api.model
    def _quality_of(self, currency_id, has_uom):
        """Quality of a line's activity data (a key of ``carbon_math.ACTIVITY_UNCERTAINTY``): an amount
        spent is secondary data, a quantity in a unit (metered, invoiced, weighed) primary data, a line
        with neither an estimate."""
        if currency_id:
            return "secondary"
        return "primary" if has_uom else "estimate"

    @api.model
    def _revenue(self, companies, date_from, date_to):
        """The period's income in each company's currency: −balance of posted income lines."""
        groups = self.env["account.move.line"].sudo()._read_group(
            [("company_id", "in", companies.ids), ("parent_state", "=", "posted"),
             ("date", ">=", date_from), ("date", "<=", date_to),
             ("account_id.account_type", "in", ("income", "income_other"))],
            ["company_id"], ["balance:sum"],
        )
        return {company.id: -balance for company, balance in groups}

    @api.model
    def _consolidated_revenue(self, companies, share, date_from, date_to):
        """The period's revenue of ``companies`` (each by its share) in the reporting (first) company's
        currency: a company in another currency converted at the rate of the period's end."""
        revenue = self._revenue(companies, date_from, date_to)
        reporting = companies[:1]
        total = 0.0
        for company in companies:
            amount = revenue.get(company.id, 0.0) * share[company.id] / 100.0
            if company.currency_id != reporting.currency_id and not carbon_math.is_zero(amount, 2):
                amount = company.currency_id._convert(amount, reporting.currency_id, reporting, date_to, round=False)
            total += amount
        return total

    @api.model
    def _ledger_groups(self, companies, date_from, date_to):
        """The period's emission lines summed in one query, by company, account type, Scope 3 category,
        factor, spend currency, presence of a unit, unassessed and location-based assessed: rows of
        dicts with the sums of carbon, carbon², biogenic CO2, location-based carbon, |quantity|, and the
        count of lines. Record rules apply."""
        Line = self.env["carbon.move.line"]
        query = Line._search(self._line_domain(companies, date_from, date_to))
        if query.is_empty():
            return []
        table = query.table

        def column(name):
            return Line._field_to_sql(table, name, query)

        keys = {name: column(name) for name in (
            "company_id", "account_type", "scope3_category", "factor_id", "currency_id", "unassessed",
            "location_assessed")}
        keys["has_uom"] = SQL("(%s IS NOT NULL)", column("product_uom_id"))
        carbon = SQL("COALESCE(%s, 0)", column("carbon_amount"))
        sums = {
            "carbon": SQL("SUM(%s)", carbon),
            "squares": SQL("SUM(%s * %s)", carbon, carbon),
            "biogenic": SQL("SUM(COALESCE(%s, 0))", column("biogenic_co2")),
            "location": SQL("SUM(COALESCE(%s, 0))", column("location_carbon")),
            "spend": SQL("SUM(ABS(COALESCE(%s, 0)))", column("quantity")),
            "count": SQL("COUNT(*)"),
        }
        query.groupby = SQL(", ").join(keys.values())
        names = [*keys, *sums]
        rows = self.env.execute_query(query.select(*keys.values(), *sums.values()))
        return [
            {
                name: (float(value) if name in sums and name != "count" else value)
                for name, value in zip(names, row, strict=True)
            }
            for row in rows
        ]

    @api.model
    def _get_totals(self, companies, date_from, date_to):
        """The period's main figures, cheaply (one query on the ledger, one on revenue): Scope 1,
        Scope 2 market- and location-based, Scope 3, total (kgCO2e), revenue in the reporting
        company's currency and the intensity per million of it."""
        companies = self._reported_companies(companies)
        __, weights = self._company_weights(companies)
        share = {company.id: weight for company, weight in weights.items()}
        figures = defaultdict(float)
        for company, account_type, assessed, carbon, location in self.env["carbon.move.line"]._read_group(
                self._line_domain(companies, date_from, date_to),
                ["company_id", "account_type", "location_assessed"], ["carbon_amount:sum", "location_carbon:sum"]):
            scope = SCOPE_OF_ACCOUNT[account_type]
            figures[scope] += carbon * share[company.id] / 100.0
            if scope == "2" and assessed:
                figures["location"] += location * share[company.id] / 100.0
        return self._totals(figures["1"], figures["2"], figures["location"], figures["3"],
                            self._consolidated_revenue(companies, share, date_from, date_to))

    @api.model
    def _totals(self, scope1, scope2, scope2_location, scope3, revenue):
        total = carbon_math.round_carbon(scope1 + scope2 + scope3)
        return {
            "scope1": carbon_math.round_carbon(scope1), "scope2_market": carbon_math.round_carbon(scope2),
            "scope2_location": carbon_math.round_carbon(scope2_location), "scope3": carbon_math.round_carbon(scope3),
            "total": total, "revenue": revenue, "intensity": carbon_math.intensity_per_million(total, revenue),
        }

    @api.model
    def _comparison(self, companies, date_from, date_to, current):
        """This period's totals against the same-length period just before and the same dates in the
        reporting company's base year: their totals, dates and the change (%) of each figure."""
        def against(period_from, period_to, **extra):
            totals = self._get_totals(companies, period_from, period_to)
            return dict(totals, date_from=period_from, date_to=period_to, **extra, change={
                key: carbon_math.change_percent(current[key], totals[key]) for key in TOTAL_KEYS})

        base_year = companies[:1].carbon_base_year
        return {
            "previous": against(*carbon_math.previous_period(date_from, date_to)),
            "base_year": against(*carbon_math.period_in_year(date_from, date_to, base_year), year=base_year)
            if base_year else None,
        }

    @api.model
    def _unit_intensity(self, companies, date_from, date_to, total, product=None, category=None):
        """The period's total per unit of ``product`` (or of the products of ``category``) sold and made.

        Sold: the quantities on the transferred-to-customers account of deliveries to customers and
        drop-shipments, returns from customers netted (they book the quantity back); made: the quantities
        coming into inventory from production. Both read the posted ledger, in the product's unit (for a
        category, the unit its products share, else their common reference unit); a category whose units
        share no reference unit cannot be added up: ``comparable`` is False, with the reason, and no figure.
        """
        if not (product or category):
            return None
        if product:
            products, subject, by_product = product, product.display_name, Domain("product_id", "=", product.id)
        else:
            products = self.env["product.product"].with_context(active_test=False).search(
                [("categ_id", "child_of", category.id)])
            subject, by_product = category.display_name, Domain("product_id.categ_id", "child_of", category.id)
        units = products.uom_id
        first = units[:1]
        result = {"subject": subject, "uom": first, "comparable": True, "note": "", "quantity_sold": 0.0,
                  "quantity_made": 0.0, "per_unit_sold": None, "per_unit_made": None}
        if not all(first._has_common_reference(unit) for unit in units):
            return dict(result, uom=self.env["uom.uom"], comparable=False, quantity_sold=None, quantity_made=None,
                        note=self.env._("Not comparable: the units of %(subject)s (%(units)s) share no reference unit.",
                                        subject=subject, units=", ".join(units.mapped("name"))))
        if len(units) > 1:
            result["uom"] = unit = self.env["uom.uom"].browse(int(first.parent_path.split("/")[0]))
            result["note"] = self.env._(
                "Quantities converted into %s, the reference unit of the products' units.", unit.name
            )
        period = Domain([("state", "=", "posted"), ("company_id", "in", companies.ids),
                         ("date", ">=", date_from), ("date", "<=", date_to)]) & by_product
        sold = period & Domain("account_type", "=", "transferred") & (
            Domain("stock_move_id.location_dest_id.usage", "=", "customer")
            | Domain("stock_move_id.location_id.usage", "=", "customer"))
        made = period & Domain(
            [("account_type", "=", "inventory"), ("stock_move_id.location_id.usage", "=", "production")]
        )
        Line = self.env["carbon.move.line"]
        for key, domain in (("sold", sold), ("made", made)):
            quantity = sum(
                carbon_math.convert_quantity(qty, uom.factor, result["uom"].factor) if uom else qty
                for uom, qty in Line._read_group(domain, ["product_uom_id"], ["quantity:sum"]))
            result[f"quantity_{key}"] = quantity
            result[f"per_unit_{key}"] = None if carbon_math.is_zero(quantity) else total / quantity
        return result

    def _scope3_by_category(self, companies, category_domains, s3_amounts, s3_counts, uncategorised):
        """{category: {label, status (figures, not_relevant, not_assessed), amount, reason, domain}}."""
        relevance = {
            (r.company_id.id, r.category): r for r in self.env["carbon.scope3.relevance"].search(
                [("company_id", "in", companies.ids)])
        }
        scope3_by_category = {}
        for category, label in SCOPE3_CATEGORIES:
            domain = category_domains[category]
            if s3_counts[category]:
                reason = ""
                if category == "1" and uncategorised:
                    reason = self.env._("Includes %s line(s) booked without a Scope 3 category.", uncategorised)
                scope3_by_category[category] = {
                    "label": label, "status": "figures", "amount": carbon_math.round_carbon(s3_amounts[category]),
                    "reason": reason, "domain": domain,
                }
                continue
            marks = [relevance.get((company.id, category)) for company in companies]
            if marks and all(mark and not mark.relevant for mark in marks):
                scope3_by_category[category] = {
                    "label": label,
                    "status": "not_relevant",
                    "amount": None,
                    "reason": "; ".join(
                        dict.fromkeys(mark.reason or self.env._("Marked not relevant") for mark in marks)
                    ),
                    "domain": domain,
                }
            else:
                scope3_by_category[category] = {
                    "label": label, "status": "not_assessed", "amount": None,
                    "reason": self.env._("No posted lines and not marked as not relevant."), "domain": domain,
                }
        return scope3_by_category

    @api.model
    def _get_data(self, companies, date_from, date_to, unit_product=None, unit_category=None):
        companies = self._reported_companies(companies)
        approach, weights = self._company_weights(companies)
        share = {company.id: weight for company, weight in weights.items()}
        groups = self._ledger_groups(companies, date_from, date_to)
        factors = self.env["carbon.emission.factor"].browse({row["factor_id"] for row in groups if row["factor_id"]})
        gas_lines = {factor.id: [(gas.gas_id.code, gas.amount) for gas in factor.gas_line_ids] for factor in factors}
        factor_of = {factor.id: factor for factor in factors}

        scope_sums = defaultdict(float)
        location = biogenic = 0.0
        location_unassessed = uncategorised = unassessed_count = 0
        gases = {"1": defaultdict(float), "2": defaultdict(float)}
        not_broken_down = {"1": 0.0, "2": 0.0}
        s3_amounts, s3_counts = defaultdict(float), defaultdict(int)
        uncertainty_groups = {"1": [], "2": [], "3": []}
        spend = defaultdict(float)
        for row in groups:
            scope = SCOPE_OF_ACCOUNT[row["account_type"]]
            weight = share[row["company_id"]] / 100.0
            amount = row["carbon"] * weight
            factor = factor_of.get(row["factor_id"])
            if row["unassessed"]:
                unassessed_count += row["count"]
                if row["currency_id"]:
                    spend[row["currency_id"]] += row["spend"]
            u_line = carbon_math.combined_uncertainty(
                carbon_math.activity_uncertainty(self._quality_of(row["currency_id"], row["has_uom"])),
                (factor.uncertainty or 0.0) if factor else 0.0)
            uncertainty_groups[scope].append((u_line, amount, row["squares"] * weight ** 2))
            scope_sums[scope] += amount
            if scope == "1":
                biogenic += row["biogenic"] * weight
            elif scope == "2":
                if row["location_assessed"]:
                    location += row["location"] * weight
                elif not row["unassessed"]:
                    location_unassessed += row["count"]
            else:
                category = row["scope3_category"] or "1"
                if not row["scope3_category"]:
                    uncategorised += row["count"]
                s3_amounts[category] += amount
                s3_counts[category] += row["count"]
            if scope in gases:
                if factor and gas_lines[factor.id] and not carbon_math.is_zero(factor.value):
                    for code, gas_amount in gas_lines[factor.id]:
                        gases[scope][code] += amount / factor.value * gas_amount
                else:
                    not_broken_down[scope] += amount

        domains = self._domains(companies, date_from, date_to)
        scope3_by_category = self._scope3_by_category(
            companies, domains["scope3_by_category"], s3_amounts, s3_counts, uncategorised
        )

        removals = self.env["carbon.removal"].search([
            ("company_id", "in", companies.ids), ("verification_state", "=", "verified"),
            ("removal_date", ">=", date_from), ("removal_date", "<=", date_to),
        ])
        totals = self._totals(scope_sums["1"], scope_sums["2"], location, scope_sums["3"],
                              self._consolidated_revenue(companies, share, date_from, date_to))
        currencies = self.env["res.currency"].browse(spend)

        def uncertainty(scope_groups):
            value = carbon_math.aggregate_uncertainty_of_sums(scope_groups)
            return None if value is None else round(value, 2)

        labels = dict(self.env["res.company"]._fields["carbon_consolidation_approach"]._description_selection(self.env))
        return dict(totals, **{
            "companies": [{"id": c.id, "name": c.name, "share": weights[c]} for c in companies],
            "date_from": date_from,
            "date_to": date_to,
            "approach": approach,
            "approach_label": labels.get(approach),
            "boundary": self.env._(
                "%(approach)s: %(companies)s", approach=labels.get(approach),
                companies=", ".join(f"{c.name} ({weights[c]:g} %)" for c in companies)),
            "scope2_location_unassessed_count": location_unassessed,
            "scope3_by_category": scope3_by_category,
            "scope3_uncategorised_count": uncategorised,
            "gases": {
                scope: {
                    "by_gas": {code: carbon_math.round_carbon(kg) for code, kg in sorted(gases[scope].items())},
                    "not_broken_down": carbon_math.round_carbon(not_broken_down[scope]),
                } for scope in ("1", "2")
            },
            "uncertainty": {
                "scope1": uncertainty(uncertainty_groups["1"]), "scope2": uncertainty(uncertainty_groups["2"]),
                "scope3": uncertainty(uncertainty_groups["3"]),
                "total": uncertainty(uncertainty_groups["1"] + uncertainty_groups["2"] + uncertainty_groups["3"]),
            },
            "biogenic_co2": carbon_math.round_carbon(biogenic),
            "removals": carbon_math.round_carbon(sum(
                r.tonnes * share[r.company_id.id] / 100.0 for r in removals)),
            "removal_ids": removals.ids,
            "unassessed_count": unassessed_count,
            "unassessed_spend": {currency.name: spend[currency.id] for currency in currencies},
            "currency": companies[:1].currency_id.name or "",
            "domains": domains,
            "unit_intensity": self._unit_intensity(companies, date_from, date_to, totals["total"],
                                                   product=unit_product, category=unit_category),
            "comparison": self._comparison(companies, date_from, date_to, totals),
        })
