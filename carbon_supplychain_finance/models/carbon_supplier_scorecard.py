from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from odoo.addons.carbon_accounting.tools import carbon_math

from ..tools import grading

GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("E", "E")]


class CarbonSupplierScorecard(models.Model):
    """A vendor's carbon data for a period: how much of the carbon bought from it rests on primary and
    on verified data, its intensity against the category benchmarks and per currency spent, the trend
    against the previous period, the age of its newest evidence, its PACT connectivity, and a grade.
    Computed by ``_generate`` from the posted ledger and stored, so that lists and pivots rank vendors."""

    _name = "carbon.supplier.scorecard"
    _description = "Supplier Carbon Scorecard"
    _order = "date_to desc, score desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Vendor", required=True, readonly=True, index=True,
                                 ondelete="cascade")
    date_from = fields.Date(required=True, readonly=True)
    date_to = fields.Date(required=True, readonly=True, index=True)
    carbon = fields.Float(string="Carbon Acquired (kgCO2e)", digits="Carbon", readonly=True, aggregator="sum")
    primary_share = fields.Float(string="Primary-data Share", readonly=True, aggregator="avg",
                                 help="Share of the carbon acquired from the vendor backed by its primary data "
                                 "(verified included).")
    verified_share = fields.Float(string="Verified-data Share", readonly=True, aggregator="avg")
    source_rating = fields.Float(string="Data-source Rating", digits=(2, 2), readonly=True, aggregator="avg",
                                 help="1 (verified primary data) to 5 (spend-based or untraced), weighed by carbon: "
                                 "verified 1, primary 2, secondary 3, estimate and emission factors 4, spend and "
                                 "other 5.")
    temporal_rating = fields.Integer(readonly=True, aggregator="avg",
                                     help="Pedigree temporal rating of the newest evidence: 1 under 3 years old, "
                                     "2 under 6, 3 under 10, 4 under 15, 5 older or none.")
    quantity = fields.Float(digits="Product Unit", readonly=True, aggregator=None)
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True,
                             help="Set when every product bought from the vendor is counted in one unit.")
    intensity_unit = fields.Float(string="kgCO2e per Unit", digits="Carbon Factor", readonly=True, aggregator=None)
    benchmark_ratio = fields.Float(string="Against Benchmark", readonly=True, aggregator=None,
                                   help="The carbon of the products that have a category benchmark over what the "
                                   "benchmarks give for the same quantities (100 %: at the benchmark).")
    benchmark_known = fields.Boolean(readonly=True)
    spend = fields.Monetary(currency_field="currency_id", readonly=True, aggregator="sum",
                            help="Value of the vendor's receipts in the period (less returns to it).")
    intensity_currency = fields.Float(string="kgCO2e per Currency Unit", digits="Carbon Factor", readonly=True,
                                      aggregator=None)
    previous_intensity_currency = fields.Float(string="Previous kgCO2e per Currency Unit", digits="Carbon Factor",
                                               readonly=True, aggregator=None)
    trend = fields.Float(readonly=True, aggregator=None,
                         help="Change of the kgCO2e per currency unit against the previous period of the same length.")
    trend_known = fields.Boolean(readonly=True)
    evidence_age_days = fields.Integer(string="Evidence Age (days)", readonly=True, aggregator="avg")
    has_evidence = fields.Boolean(readonly=True)
    pact_connected = fields.Boolean(string="PACT Connected", readonly=True)
    score = fields.Float(digits=(5, 1), readonly=True, aggregator="avg")
    grade = fields.Selection(GRADES, readonly=True, index=True,
                             help="A from 80 points, B from 65, C from 50, D from 35, E below (see the README).")
    assessed = fields.Boolean(readonly=True, help="Some carbon acquired from the vendor is assessed.")
    ledger_domain = fields.Char(readonly=True)

    _unique_period = models.Constraint("UNIQUE(company_id, partner_id, date_from, date_to)",
                                       "A vendor has one scorecard per period.")

    @api.model
    def _generate(self, company, date_from, date_to):
        """(Re)compute the scorecards of every vendor carbon was acquired from in the period."""
        Report = self.env["carbon.report.eliability"]
        rows = [row for row in Report._get_data(company, date_from, date_to)["by_supplier"] if row["partner"]]
        partners = self.env["res.partner"].union(*[row["partner"] for row in rows])
        days = (date_to - date_from).days + 1
        prev_from, prev_to = date_from - timedelta(days=days), date_from - timedelta(days=1)
        previous = {row["partner"]: row["carbon"] for row in Report._get_data(company, prev_from, prev_to)[
            "by_supplier"] if row["partner"]}
        spend = self._spend(company, date_from, date_to, partners)
        prev_spend = self._spend(company, prev_from, prev_to, partners)
        products = self._products(company, date_from, date_to, partners)
        evidence = self._evidence_dates(partners)
        self.search([("company_id", "=", company.id), ("date_from", "=", date_from),
                     ("date_to", "=", date_to)]).unlink()
        vals_list = []
        for row in rows:
            partner = row["partner"]
            vals = self._card_values(company, row, products.get(partner, []), spend.get(partner, 0.0),
                                     previous.get(partner), prev_spend.get(partner, 0.0), evidence.get(partner),
                                     date_to)
            vals.update(company_id=company.id, partner_id=partner.id, date_from=date_from, date_to=date_to,
                        ledger_domain=str(row["domain"]))
            vals_list.append(vals)
        return self.create(vals_list)

    def _card_values(self, company, row, products, spend, previous_carbon, previous_spend, evidence_date, date_to):
        carbon = row["carbon"]
        assessed = not carbon_math.is_zero(carbon)
        shares = row["quality_share"]
        primary = shares["verified"] + shares["primary"]
        verified = shares["verified"]
        ratio = self._benchmark_ratio(products, company)
        units = {uom for __, __, __, uom in products}
        unit = units.pop() if len(units) == 1 else self.env["uom.uom"]
        quantity = sum(qty for __, __, qty, __ in products)
        intensity_currency = carbon_math.intensity(carbon, spend) if spend > 0 else None
        previous = carbon_math.intensity(previous_carbon, previous_spend) \
            if previous_carbon is not None and previous_spend > 0 else None
        trend = (intensity_currency - previous) / previous \
            if intensity_currency is not None and previous and not carbon_math.is_zero(previous) else None
        age = max((date_to - evidence_date).days, 0) if evidence_date else None
        partner = row["partner"]
        score = grading.scorecard_score(primary, verified, ratio, age, partner.carbon_pact_connected) \
            if assessed else None
        return {
            "carbon": carbon, "assessed": assessed, "primary_share": primary, "verified_share": verified,
            "source_rating": grading.source_rating(shares) or 0.0 if assessed else 0.0,
            "temporal_rating": grading.temporal_rating(age),
            "quantity": quantity, "uom_id": unit.id,
            "intensity_unit": carbon / quantity if unit and quantity > 0 else 0.0,
            "benchmark_ratio": ratio or 0.0, "benchmark_known": ratio is not None,
            "spend": spend, "intensity_currency": intensity_currency or 0.0,
            "previous_intensity_currency": previous or 0.0,
            "trend": trend or 0.0, "trend_known": trend is not None,
            "evidence_age_days": age or 0, "has_evidence": age is not None,
            "pact_connected": partner.carbon_pact_connected,
            "score": score or 0.0, "grade": grading.scorecard_grade(score),
        }

    def _benchmark_ratio(self, products, company):
        """Carbon of the products that have a benchmark over the benchmarks' carbon of their quantities."""
        Benchmark = self.env["carbon.product.benchmark"]
        actual = expected = 0.0
        for product, carbon, quantity, __ in products:
            benchmark = Benchmark._for_product(product, company)
            reference = benchmark._per_unit_of(product) if benchmark else None
            if reference is None or quantity <= 0:
                continue
            actual += carbon
            expected += quantity * reference
        return actual / expected if expected > 0 else None

    def _products(self, company, date_from, date_to, partners):
        """{partner: [(product, carbon, quantity, unit)]} of the carbon acquired in the period."""
        domain = self.env["carbon.report.eliability"]._ledger_domain(company, date_from, date_to) & Domain([
            ("account_type", "=", "acquired"), ("partner_id", "in", partners.ids), ("product_id", "!=", False)])
        result = defaultdict(list)
        for partner, product, balance, quantity in self.env["carbon.move.line"]._read_group(
                domain, ["partner_id", "product_id"], ["balance:sum", "quantity:sum"]):
            result[partner].append((product, -balance, -quantity, product.uom_id))
        return result

    def _spend(self, company, date_from, date_to, partners):
        """{partner: value of its receipts done in the period less returns to it}, company currency."""
        moves = self.env["stock.move"].search([
            ("company_id", "=", company.id), ("state", "=", "done"),
            ("date", ">=", datetime.combine(date_from, time.min)), ("date", "<=", datetime.combine(date_to, time.max)),
            "|", ("location_id.usage", "=", "supplier"), ("location_dest_id.usage", "=", "supplier"),
        ])
        result = defaultdict(float)
        for move in moves:
            partner = move._carbon_partner()
            if partner in partners:
                result[partner] += -abs(move.value) if move.location_dest_id.usage == "supplier" else abs(move.value)
        return result

    def _evidence_dates(self, partners):
        """{partner: date its newest carbon evidence was attached to one of its price lines}."""
        infos = self.env["product.supplierinfo"].search([("partner_id", "in", partners.ids)])
        partner_of = {info.id: info.partner_id.commercial_partner_id for info in infos}
        result = {}
        for res_id, created in self.env["ir.attachment"].sudo()._read_group([
                ("res_model", "=", "product.supplierinfo"), ("res_field", "=", "carbon_evidence"),
                ("res_id", "in", infos.ids)], ["res_id"], ["create_date:max"]):
            partner = partner_of[res_id]
            day = created.date()
            if partner not in result or result[partner] < day:
                result[partner] = day
        return result

    def action_view_ledger(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "carbon.move.line", "view_mode": "list",
            "name": self.env._("Carbon acquired from %s", self.partner_id.display_name),
            "domain": self.ledger_domain,
        }
