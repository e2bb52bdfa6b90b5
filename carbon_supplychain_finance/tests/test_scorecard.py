import ast
import base64
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.carbon_accounting.tests.common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestScorecard(StockCarbonCommon):
    """Scorecards of two vendors of honey over 30 days, against hand calculations: the first declares
    primary data (and bought from on factors the period before), the second verified data over PACT."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.date_from = cls.today - timedelta(days=29)
        cls.env["carbon.product.benchmark"].create({
            "categ_id": cls.categ_avco.id, "value": 2.0, "uom_id": cls.uom_kg.id, "source": "Test sector study"})
        cls.vendor_b.carbon_pact_connected = True
        cls.Scorecard = cls.env["carbon.supplier.scorecard"]

    def _backdate(self, moves, day):
        self.env.flush_all()
        entries = moves.carbon_move_line_ids.move_id
        self.env.cr.execute("UPDATE carbon_move SET date = %s WHERE id = ANY(%s)", [day, entries.ids])
        self.env.cr.execute("UPDATE carbon_move_line SET date = %s WHERE move_id = ANY(%s)", [day, entries.ids])
        self.env.cr.execute("UPDATE stock_move SET date = %s WHERE id = ANY(%s)", [day, moves.ids])
        self.env.invalidate_all()

    def _flow(self):
        # the previous period: 10 kg at the product factor 2.0 = 20 kgCO2e for 10 USD
        self._backdate(self._receive(self.honey, 10), self.date_from - timedelta(days=10))
        # the period: 10 kg declared 1.5 (primary) = 15 for 10 USD, the declaration's evidence attached today
        self._receive(self.honey, 10, declared=1.5)
        self.honey.seller_ids.filtered(lambda s: s.partner_id == self.vendor).write({
            "carbon_evidence": base64.b64encode(b"%PDF EPD"), "carbon_evidence_filename": "epd.pdf"})
        # 10 kg declared 1.0 verified by vendor B = 10 for 10 USD
        self.env["product.supplierinfo"].create({
            "partner_id": self.vendor_b.id, "product_tmpl_id": self.honey.product_tmpl_id.id,
            "carbon_intensity": 1.0, "carbon_data_quality": "verified",
        })
        self._receive(self.honey, 10, partner=self.vendor_b)

    def test_figures_and_grades(self):
        self._flow()
        cards = self.Scorecard._generate(self.company, self.date_from, self.today)
        card_a = cards.filtered(lambda c: c.partner_id == self.vendor)
        card_b = cards.filtered(lambda c: c.partner_id == self.vendor_b)
        self.assertRecordValues(card_a | card_b, [{
            # 15 kgCO2e, all primary; 15 / (10 kg x 2.0) = 75 % of the benchmark; 15 / 10 USD = 1.5 per USD
            # against 20 / 10 = 2.0 before: -25 %; evidence of today: 0 days
            "carbon": 15.0, "assessed": True, "primary_share": 1.0, "verified_share": 0.0, "source_rating": 2.0,
            "temporal_rating": 1, "quantity": 10.0, "uom_id": self.uom_kg.id, "intensity_unit": 1.5,
            "benchmark_known": True, "benchmark_ratio": 0.75, "spend": 10.0, "intensity_currency": 1.5,
            "previous_intensity_currency": 2.0, "trend_known": True, "trend": -0.25,
            "has_evidence": True, "evidence_age_days": 0, "pact_connected": False,
            # 40 x 1 + 20 x 0 + 25 (<= 80 %) + 10 (evidence within a year) = 75
            "score": 75.0, "grade": "B",
        }, {
            # 10 kgCO2e verified; 10 / 20 = 50 % of the benchmark; 1.0 per USD, nothing before; no evidence
            "carbon": 10.0, "assessed": True, "primary_share": 1.0, "verified_share": 1.0, "source_rating": 1.0,
            "temporal_rating": 5, "quantity": 10.0, "uom_id": self.uom_kg.id, "intensity_unit": 1.0,
            "benchmark_known": True, "benchmark_ratio": 0.5, "spend": 10.0, "intensity_currency": 1.0,
            "previous_intensity_currency": 0.0, "trend_known": False, "trend": 0.0,
            "has_evidence": False, "evidence_age_days": 0, "pact_connected": True,
            # 40 + 20 + 25 + 0 + 5 (PACT) = 90
            "score": 90.0, "grade": "A",
        }])
        # generated again: replaced, not doubled
        again = self.Scorecard._generate(self.company, self.date_from, self.today)
        self.assertFalse(cards.exists())
        self.assertEqual(len(again.filtered(lambda c: c.partner_id in (self.vendor | self.vendor_b))), 2)
        # on the vendor form and in the RFQ comparison
        self.assertRecordValues(self.vendor_b, [{"carbon_scorecard_grade": "A", "carbon_scorecard_count": 1}])
        rfq = self._po([(self.honey, 5, self.uom_kg, 1.0)], partner=self.vendor_b)
        rfq_a = self._po([(self.honey, 5, self.uom_kg, 1.0)], partner=self.vendor)
        self.assertEqual((rfq.order_line.carbon_supplier_grade, rfq_a.order_line.carbon_supplier_grade), ("A", "B"))
        ledger = self.env["carbon.move.line"].search(ast.literal_eval(again.filtered(
            lambda c: c.partner_id == self.vendor).action_view_ledger()["domain"]))
        self.assertEqual(sum(ledger.mapped("credit")) - sum(ledger.mapped("debit")), 15.0)

    def test_vendor_on_spend_factors_only(self):
        """Spend-based carbon only, no benchmark, no evidence: grade E."""
        spend_vendor = self.env["res.partner"].create({"name": "Spend-only Traders"})
        self.company.carbon_spend_factor_id = self.factor_spend
        self._receive(self.unknown, 7, partner=spend_vendor)
        card = self.Scorecard._generate(self.company, self.date_from, self.today).filtered(
            lambda c: c.partner_id == spend_vendor)
        self.assertRecordValues(card, [{"assessed": True, "primary_share": 0.0, "source_rating": 5.0,
                                        "benchmark_known": False, "score": 0.0, "grade": "E"}])
