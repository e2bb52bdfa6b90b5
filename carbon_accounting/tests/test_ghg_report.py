import base64
import io
import math
from datetime import date

from openpyxl import load_workbook
from psycopg2.errors import CheckViolation

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common_bill import BillCarbonCommon

STATEMENT = base64.b64encode(b"Verification statement of the biochar batch")


@tagged("post_install", "-at_install")
class TestGhgReport(BillCarbonCommon):
    """The GHG inventory read from the posted ledger of a fixed flow, key by key, with hand calculations:

    - diesel: 1,000 L received (well-to-tank 0.6 kg/L, Scope 3 cat. 3) = 600; 300 L burnt (use factor
      2.7 kg/L, all CO2, 5 % uncertainty, biogenic 0.1 kg/L) = 810 Scope 1, 30 kg biogenic
    - wood burnt (activity): 200 kg x 0.05 = 10 Scope 1, 200 x 1.5 = 300 kg biogenic
    - electricity: a bill of 1,000 kWh at the vendor's contract factor 0.2 (10 %) = 200 market-based;
      the company's grid factor 0.5: 500 location-based
    - fertiliser: 100 kg x 2.0 = 200 Scope 3 cat. 1; a spare part without factor: unassessed
    - cat. 6 marked not relevant; a verified removal of 4 t; revenue 100,000 USD
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Factor = cls.env["carbon.emission.factor"]
        litre = cls.uom_litre
        cls.diesel_upstream, cls.diesel_burnt = cls._diesel_factors(
            "TEST.GHG", uncertainty=5.0, co2_biogenic=0.1, gwp_set_id=cls.ar6.id,
            gas_line_ids=[Command.create({"gas_id": cls.env.ref("carbon_accounting.gas_co2").id, "amount": 2.7})])
        cls.wood = Factor.create({
            "name": "Wood logs burnt", "code": "TEST.GHG.WOOD", "source": "Test", "basis": "physical",
            "uom_id": cls.uom_kg.id, "value": 0.05, "co2_biogenic": 1.5, "scope": "1",
        })
        cls.contract = Factor.create({
            "name": "Green tariff", "code": "TEST.GHG.CONTRACT", "source": "Vendor contract", "basis": "physical",
            "uom_id": cls.kwh.id, "value": 0.2, "scope": "2", "uncertainty": 10.0,
        })
        cls.company.carbon_grid_factor_id = cls.factor_grid
        cls.power.carbon_factor_id = cls.contract
        cls.diesel_stock = cls._product("Diesel (tank)", uom=litre, factor=cls.diesel_upstream, categ=cls.categ_avco,
                                        is_storable=True, carbon_use_factor_id=cls.diesel_burnt.id)
        cls.spare_part = cls._product("Spare part", uom=cls.uom_unit, categ=cls.categ_avco, is_storable=True)
        cls.tractors = cls.env["stock.location"].create({
            "name": "Tractor fleet", "usage": "production", "company_id": cls.company.id,
        })
        cls.env["carbon.scope3.relevance"].create({
            "company_id": cls.company.id, "category": "6", "relevant": False,
            "reason": "No business travel: all staff work on site.",
        })
        cls.date_from, cls.date_to = date(2024, 1, 1), fields.Date.today()

    def _flow(self):
        self._receive(self.diesel_stock, 1000)
        self._move(self.diesel_stock, 300, self.stock, self.tractors)
        self._receive(self.fertiliser, 100)
        self._receive(self.spare_part, 7)
        activity = self.env["carbon.activity"].create({
            "name": "Wood stove", "date": date(2024, 6, 10), "quantity": 200, "uom_id": self.uom_kg.id,
            "factor_id": self.wood.id, "activity_type": "stationary",
            "attachment_ids": [Command.create({"name": "stove.pdf", "raw": b"%PDF log"})],
        })
        activity.action_post()
        self._bill([{"product_id": self.power.id, "quantity": 1000, "price_unit": 0.1}])
        self.env["carbon.removal"].create({
            "name": "Biochar batch", "method": "biochar", "tonnes": 4.0, "removal_date": date(2024, 9, 1),
            "vintage": 2024, "durability_years": 100, "verification_statement": STATEMENT,
            "verification_statement_name": "statement.pdf", "verification_state": "verified",
        })
        self.env["carbon.removal"].create({
            "name": "Unverified batch", "method": "biochar", "tonnes": 9.0, "removal_date": date(2024, 9, 1),
        })
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.vendor_b.id,
                "invoice_date": date(2024, 7, 1),
                "invoice_line_ids": [
                    Command.create({"name": "Lychees", "quantity": 1, "price_unit": 100000.0, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()

    def test_figures_key_by_key(self):
        self._flow()
        data = self.env["carbon.report.ghg"]._get_data(self.company, self.date_from, self.date_to)
        self.assertAlmostEqual(data["scope1"], 820.0)            # 810 diesel + 10 wood
        self.assertAlmostEqual(data["scope2_market"], 200.0)     # 1,000 kWh x 0.2
        self.assertAlmostEqual(data["scope2_location"], 500.0)   # 1,000 kWh x 0.5
        self.assertEqual(data["scope2_location_unassessed_count"], 0)
        self.assertAlmostEqual(data["scope3"], 800.0)            # 200 fertiliser + 600 diesel upstream
        self.assertAlmostEqual(data["total"], 1820.0)
        by_category = data["scope3_by_category"]
        self.assertEqual(sorted(by_category, key=int), [str(i) for i in range(1, 16)])
        self.assertEqual((by_category["1"]["status"], by_category["1"]["amount"]), ("figures", 200.0))
        self.assertEqual((by_category["3"]["status"], by_category["3"]["amount"]), ("figures", 600.0))
        self.assertEqual(by_category["6"], dict(by_category["6"], status="not_relevant", amount=None,
                                                reason="No business travel: all staff work on site."))
        for category in ("2", "4", "5", "7", "8", "9", "10", "11", "12", "13", "14", "15"):
            self.assertEqual((by_category[category]["status"], by_category[category]["amount"]), ("not_assessed", None))
        self.assertAlmostEqual(data["biogenic_co2"], 330.0)      # 300 L x 0.1 + 200 kg x 1.5
        self.assertAlmostEqual(data["removals"], 4.0)            # verified tonnes only, apart
        self.assertEqual(data["unassessed_count"], 1)            # the spare part
        self.assertEqual(data["gases"]["1"], {"by_gas": {"co2": 810.0}, "not_broken_down": 10.0})
        self.assertEqual(data["gases"]["2"], {"by_gas": {}, "not_broken_down": 200.0})
        self.assertAlmostEqual(data["revenue"], 100000.0)
        self.assertAlmostEqual(data["intensity"], 18200.0)       # 1,820 kg / 0.1 million USD
        # drill-down: the lines behind each figure
        Line = self.env["carbon.move.line"]
        self.assertAlmostEqual(sum(Line.search(data["domains"]["scope1"]).mapped("carbon_amount")), 820.0)
        self.assertAlmostEqual(sum(Line.search(by_category["3"]["domain"]).mapped("carbon_amount")), 600.0)
        energy = Line.search(data["domains"]["scope2"])
        self.assertRecordValues(energy, [{"carbon_amount": 200.0, "location_carbon": 500.0, "location_assessed": True}])
        # nothing before the period
        empty = self.env["carbon.report.ghg"]._get_data(self.company, date(2020, 1, 1), date(2020, 12, 31))
        self.assertEqual(
            (empty["scope1"], empty["scope3"], empty["biogenic_co2"], empty["removals"]), (0.0, 0.0, 0.0, 0.0)
        )

    def test_uncertainty_approach_1(self):
        self._flow()
        data = self.env["carbon.report.ghg"]._get_data(self.company, self.date_from, self.date_to)
        # Scope 1: diesel √(5² + 5²) = 7.0711 % on 810, wood √(5² + 0²) = 5 % on 10:
        # √((7.0711 x 810)² + (5 x 10)²) / 820 = √(32,805,000 + 2,500) / 820 = 5,727.78 / 820 = 6.99 %
        self.assertEqual(data["uncertainty"]["scope1"], round(math.sqrt(50 * 810 ** 2 + 50 ** 2) / 820, 2))
        self.assertEqual(data["uncertainty"]["scope1"], 6.99)
        # Scope 2: √(5² + 10²) = 11.18 % on one line
        self.assertEqual(data["uncertainty"]["scope2"], 11.18)

    def test_received_energy_keeps_location_figure(self):
        order = self._po([(self.power, 1000, self.kwh, 0.1)], order_date=fields.Date.today(), confirm=True)
        order.order_line.qty_received = 400                  # market 400 x 0.2 = 80, location 400 x 0.5 = 200
        order.order_line.qty_received = 1000                 # 600 more: market 120, location 300
        lines = self.env["carbon.move.line"].search(
            [("purchase_line_id", "=", order.order_line.id), ("account_type", "=", "energy")], order="id")
        self.assertRecordValues(lines, [
            {"credit": 80.0, "quantity": -400.0, "location_carbon": 200.0, "location_assessed": True},
            {"credit": 120.0, "quantity": -600.0, "location_carbon": 300.0, "location_assessed": True},
        ])
        data = self.env["carbon.report.ghg"]._get_data(self.company, self.date_from, self.date_to)
        self.assertEqual((data["scope2_market"], data["scope2_location"]), (200.0, 500.0))

    def test_acquired_without_category_counts_in_category_1_with_a_note(self):
        self.expense_account.carbon_factor_id = self.factor_spend.copy(
            {"code": "TEST.GHG.SPEND", "scope3_category": False}
        )
        bill = self._bill([{"name": "Orchard consulting", "quantity": 1, "price_unit": 100.0,
                            "account_id": self.expense_account.id}])
        # 100 USD = 700 CNY in 2024 x 0.1 kg per CNY = 70, booked without a Scope 3 category
        self.assertEqual(bill.carbon_move_ids.line_ids.mapped("scope3_category"), [False, False])
        data = self.env["carbon.report.ghg"]._get_data(self.company, self.date_from, self.date_to)
        category = data["scope3_by_category"]["1"]
        self.assertEqual((category["status"], category["amount"]), ("figures", 70.0))
        self.assertEqual(category["reason"], "Includes 1 line(s) booked without a Scope 3 category.")
        self.assertEqual(data["scope3_uncategorised_count"], 1)
        # a spend-based line is secondary data: √(15² + 0²) = 15 %
        self.assertEqual(data["uncertainty"]["scope3"], 15.0)

    def test_reversed_bill_takes_back_both_scope_2_figures(self):
        bill = self._bill([{"product_id": self.power.id, "quantity": 1000, "price_unit": 0.1}])
        bill.button_draft()
        data = self.env["carbon.report.ghg"]._get_data(self.company, self.date_from, self.date_to)
        self.assertEqual((data["scope2_market"], data["scope2_location"]), (0.0, 0.0))
        self.assertEqual(
            self.env["carbon.move.line"].search_count(data["domains"]["scope2"]), 2
        )  # the bill's line and its reversal, both shown

    def test_location_unassessed_without_grid_factor(self):
        self.company.carbon_grid_factor_id = False
        self._bill([{"product_id": self.power.id, "quantity": 1000, "price_unit": 0.1}])
        data = self.env["carbon.report.ghg"]._get_data(self.company, self.date_from, self.date_to)
        self.assertAlmostEqual(data["scope2_market"], 200.0)
        self.assertEqual((data["scope2_location"], data["scope2_location_unassessed_count"]), (0.0, 1))

    def _company_burning_wood(self, name, factor_code, **company_vals):
        """Another company (in USD) that burnt 1,000 kg of wood logs in June 2024, posted with its log:
        with its own copy ``factor_code`` of the wood factor, 50 kgCO2e Scope 1 and 1,500 kg biogenic."""
        company = self.env["res.company"].create({"name": name, "currency_id": self.usd.id, **company_vals})
        factor = self.wood.copy({"code": factor_code, "company_id": company.id})
        self.env["carbon.activity"].with_company(company).create({
            "name": f"{name} stove", "date": date(2024, 6, 10), "quantity": 1000, "uom_id": self.uom_kg.id,
            "factor_id": factor.id, "company_id": company.id,
            "attachment_ids": [Command.create({"name": "stove_log.pdf", "raw": b"%PDF log"})],
        }).action_post()
        return company

    def test_consolidated_with_equity_share(self):
        self._flow()
        company_b = self._company_burning_wood("Lychee JV", "TEST.GHG.WOOD.B", carbon_equity_share=40.0)
        both = self.company | company_b
        Report = self.env["carbon.report.ghg"].with_context(allowed_company_ids=both.ids)
        alone = Report._get_data(company_b, self.date_from, self.date_to)
        self.assertAlmostEqual(alone["scope1"], 50.0)            # 1,000 kg x 0.05, under control: 100 %
        control = Report._get_data(both, self.date_from, self.date_to)
        self.assertAlmostEqual(control["scope1"], 870.0)         # 820 + 50
        self.company.carbon_consolidation_approach = "equity"
        self.company.carbon_equity_share = 100.0
        equity = Report._get_data(both, self.date_from, self.date_to)
        self.assertAlmostEqual(equity["scope1"], 840.0)          # 820 + 40 % of 50
        self.assertAlmostEqual(equity["biogenic_co2"], 330.0 + 0.4 * 1500.0)
        self.assertEqual(equity["approach"], "equity")
        self.assertIn("Lychee JV (40 %)", equity["boundary"])

    def test_user_of_a_never_sees_b(self):
        self._flow()
        company_b = self._company_burning_wood("Other farm", "TEST.GHG.WOOD.B2")
        auditor = new_test_user(self.env, "ghg_auditor", groups="carbon_accounting.group_carbon_auditor",
                                company_id=self.company.id, company_ids=[self.company.id])
        data = self.env["carbon.report.ghg"].with_user(auditor)._get_data(
            self.company | company_b, self.date_from, self.date_to)
        self.assertAlmostEqual(data["scope1"], 820.0)
        self.assertNotIn(company_b.id, [c["id"] for c in data["companies"]])

    def _wizard(self):
        return self.env["carbon.report.ghg.wizard"].create({
            "company_ids": [Command.set(self.company.ids)], "date_from": self.date_from, "date_to": self.date_to,
        })

    def test_wizard_figures_and_drill_down(self):
        self._flow()
        wizard = self._wizard()
        self.assertRecordValues(wizard, [{"scope1": 820.0, "scope2_market": 200.0, "scope2_location": 500.0,
                                          "scope3": 800.0, "total": 1820.0, "biogenic_co2": 330.0, "removals": 4.0,
                                          "unassessed_count": 1, "intensity": "18,200.000"}])
        Line = self.env["carbon.move.line"]
        scope1 = Line.search(wizard.action_open_scope1()["domain"])
        self.assertEqual(set(scope1.mapped("account_type")), {"direct"})
        self.assertAlmostEqual(sum(scope1.mapped("carbon_amount")), 820.0)
        wizard.drill_category = "3"
        category = Line.search(wizard.action_open_category()["domain"])
        self.assertEqual(set(category.mapped("scope3_category")), {"3"})
        self.assertAlmostEqual(sum(category.mapped("carbon_amount")), 600.0)
        self.assertIn("No business travel: all staff work on site.", wizard.scope3_html)
        # the form computes the figures before the wizard is saved (a new record's companies)
        draft = self.env["carbon.report.ghg.wizard"].new({
            "company_ids": [Command.set(self.company.ids)], "date_from": self.date_from, "date_to": self.date_to})
        self.assertEqual((draft.scope1, draft.total), (820.0, 1820.0))
        self.assertNotIn("Not relevant", self.env["carbon.report.ghg.wizard"].new({
            "company_ids": [], "date_from": self.date_from, "date_to": self.date_to}).scope3_html or "")

    def test_xlsx_read_back(self):
        self._flow()
        wizard = self._wizard()
        wizard.action_export_xlsx()
        book = load_workbook(io.BytesIO(base64.b64decode(wizard.file)), data_only=True)
        inventory = {row[0]: row[1] for row in book["GHG Inventory"].iter_rows(min_row=4, values_only=True)}
        self.assertEqual(inventory["Scope 1 - Direct emissions"], 820.0)
        self.assertEqual(inventory["Scope 2 - Purchased energy, market-based"], 200.0)
        self.assertEqual(inventory["Scope 2 - Purchased energy, location-based"], 500.0)
        self.assertEqual(inventory["Scope 3 - Value chain"], 800.0)
        self.assertEqual(inventory["Memo: biogenic CO2 (kg), outside the scopes"], 330.0)
        self.assertEqual(inventory["Removals verified (tCO2e), apart, never deducted"], 4.0)
        scope3 = {row[0]: row[1:] for row in book["Scope 3"].iter_rows(min_row=4, values_only=True)}
        self.assertEqual(scope3["3. Fuel- and energy-related activities"][:2], ("Figures", 600.0))
        self.assertEqual(
            scope3["6. Business travel"], ("Not relevant", None, "No business travel: all staff work on site.")
        )
        self.assertEqual(scope3["2. Capital goods"][0], "Not assessed")
        self.assertEqual(scope3["Total"][1], 800.0)

    def test_pdf_html_text(self):
        self._flow()
        wizard = self._wizard()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "carbon_accounting.action_report_carbon_ghg", wizard.ids)[0].decode()
        for text in ("GHG Inventory", "820.000", "200.000", "500.000", "800.000", "1820.000", "330.000", "4.000",
                     "18200.000", "Not relevant", "No business travel: all staff work on site.", "Operational control"):
            self.assertIn(text, html)


@tagged("post_install", "-at_install")
class TestGhgIntensityAndComparison(BillCarbonCommon):
    """Intensity per unit sold and made, comparisons with the previous period and the base year,
    revenue of companies in other currencies, and the builder's queries — each with a hand calculation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wood = cls.env["carbon.emission.factor"].create({
            "name": "Wood logs burnt", "code": "TEST.GHGC.WOOD", "source": "Test", "basis": "physical",
            "uom_id": cls.uom_kg.id, "value": 0.05, "scope": "1",
        })
        cls.categ_honey = cls.env["product.category"].create({"name": "Honey", "property_cost_method": "average"})
        cls.honey_kg = cls._product("Lychee honey, bulk", uom=cls.uom_kg, factor=cls.factor_kg, categ=cls.categ_honey,
                                    is_storable=True)
        cls.honey_jar = cls._product("Lychee honey, grams", uom=cls.uom_g, factor=cls.factor_kg,
                                     categ=cls.categ_honey, is_storable=True)
        cls.harvest = cls.env["stock.location"].create({
            "name": "Hives (production)", "usage": "production", "company_id": cls.company.id})

    def _burn(self, kg, day, company=None, factor=None):
        company = company or self.company
        activity = self.env["carbon.activity"].with_company(company).create({
            "name": "Stove", "date": day, "quantity": kg, "uom_id": self.uom_kg.id,
            "factor_id": (factor or self.wood).id, "company_id": company.id,
            "attachment_ids": [Command.create({"name": "log.pdf", "raw": b"%PDF log"})],
        })
        activity.action_post()
        return activity

    def _revenue(self, amount, day):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": day,
                "invoice_line_ids": [
                    Command.create({"name": "Lychees", "quantity": 1, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()

    def _honey_flow(self):
        """Honey: 500 kg bought (500 x 2.0 = 1,000 kgCO2e acquired), 200 kg made from the hives, 300 kg
        delivered and 50 kg returned by the customer: 250 kg sold. Jars: 1,000 g bought (1 kg x 2.0 =
        2 kgCO2e), 400 g delivered. The period's total: 1,002 kgCO2e."""
        self._receive(self.honey_kg, 500)
        self._move(self.honey_kg, 200, self.harvest, self.stock)
        delivery = self._deliver(self.honey_kg, 300)
        self._return(delivery, 50)
        self._receive(self.honey_jar, 1000)
        self._deliver(self.honey_jar, 400)

    def test_intensity_per_unit_of_a_product(self):
        self._honey_flow()
        Report = self.env["carbon.report.ghg"]
        today = fields.Date.today()
        data = Report._get_data(self.company, date(2024, 1, 1), today, unit_product=self.honey_kg)
        self.assertAlmostEqual(data["total"], 1002.0)
        unit = data["unit_intensity"]
        self.assertEqual((unit["uom"], unit["comparable"]), (self.uom_kg, True))
        self.assertAlmostEqual(unit["quantity_sold"], 250.0)          # 300 delivered - 50 returned
        self.assertAlmostEqual(unit["quantity_made"], 200.0)          # from the hives
        self.assertAlmostEqual(unit["per_unit_sold"], 4.008)          # 1,002 / 250
        self.assertAlmostEqual(unit["per_unit_made"], 5.01)           # 1,002 / 200
        self.assertIsNone(Report._get_data(self.company, date(2024, 1, 1), today)["unit_intensity"])
        # nothing sold or made in 2020: no figure per unit, never a division by zero
        empty = Report._get_data(self.company, date(2020, 1, 1), date(2020, 12, 31), unit_product=self.honey_kg)
        self.assertEqual({key: empty["unit_intensity"][key] for key in (
            "quantity_sold", "quantity_made", "per_unit_sold", "per_unit_made")},
            {"quantity_sold": 0.0, "quantity_made": 0.0, "per_unit_sold": None, "per_unit_made": None})

    def test_intensity_per_unit_of_a_category(self):
        self._honey_flow()
        Report = self.env["carbon.report.ghg"]
        today = fields.Date.today()
        unit = Report._get_data(self.company, date(2024, 1, 1), today, unit_category=self.categ_honey)["unit_intensity"]
        # kg and g share a reference unit, the gram: 250 kg + 400 g = 250,400 g sold, 200,000 g made
        self.assertEqual(unit["uom"], self.uom_g)
        self.assertAlmostEqual(unit["quantity_sold"], 250400.0)
        self.assertAlmostEqual(unit["quantity_made"], 200000.0)
        self.assertAlmostEqual(unit["per_unit_sold"], 1002.0 / 250400.0)
        self.assertAlmostEqual(unit["per_unit_made"], 0.00501)         # 1,002 / 200,000
        self.assertIn("g", unit["note"])
        # a category mixing kg and Units: not comparable, no sum
        self._product("Honey gift box", uom=self.uom_unit, categ=self.categ_honey, is_storable=True)
        mixed = Report._get_data(self.company, date(2024, 1, 1), today, unit_category=self.categ_honey)[
            "unit_intensity"
        ]
        self.assertEqual((mixed["comparable"], mixed["quantity_sold"], mixed["per_unit_sold"], mixed["per_unit_made"]),
                         (False, None, None, None))
        self.assertFalse(mixed["uom"])
        self.assertIn("share no reference unit", mixed["note"])

    def test_comparison_with_previous_period_and_base_year(self):
        """2023 (base year): 1,000 kg of wood burnt = 50 kgCO2e, revenue 100,000: 500 per million;
        2024: 2,000 kg = 100, revenue 125,000: 800; 2025: 1,500 kg = 75, revenue 100,000: 750.
        2025 against 2024: Scope 1 (75 - 100) / 100 = -25 %, revenue -20 %, intensity (750 - 800) / 800 = -6.25 %;
        against 2023: (75 - 50) / 50 = +50 %, intensity (750 - 500) / 500 = +50 %."""
        for day, kg, revenue in ((date(2023, 5, 1), 1000, 100000.0), (date(2024, 5, 1), 2000, 125000.0),
                                 (date(2025, 5, 1), 1500, 100000.0)):
            self._burn(kg, day)
            self._revenue(revenue, day)
        Report = self.env["carbon.report.ghg"]
        data = Report._get_data(self.company, date(2025, 1, 1), date(2025, 12, 31))
        self.assertEqual(
            (data["scope1"], data["total"], data["revenue"], data["intensity"]), (75.0, 75.0, 100000.0, 750.0)
        )
        self.assertIsNone(data["comparison"]["base_year"])            # no base year set
        previous = data["comparison"]["previous"]
        self.assertEqual((previous["date_from"], previous["date_to"]), (date(2024, 1, 1), date(2024, 12, 31)))
        self.assertEqual((previous["scope1"], previous["revenue"], previous["intensity"]), (100.0, 125000.0, 800.0))
        self.assertEqual(previous["change"], {"scope1": -25.0, "scope2_market": None, "scope2_location": None,
                                              "scope3": None, "total": -25.0, "revenue": -20.0, "intensity": -6.25})
        self.company.carbon_base_year = 2023
        base = Report._get_data(self.company, date(2025, 1, 1), date(2025, 12, 31))["comparison"]["base_year"]
        self.assertEqual(
            (base["year"], base["date_from"], base["date_to"]), (2023, date(2023, 1, 1), date(2023, 12, 31))
        )
        self.assertEqual((base["scope1"], base["intensity"]), (50.0, 500.0))
        self.assertEqual(
            (base["change"]["scope1"], base["change"]["revenue"], base["change"]["intensity"]), (50.0, 0.0, 50.0)
        )
        # the totals alone, as targets read them per year
        self.assertEqual(Report._get_totals(self.company, date(2024, 1, 1), date(2024, 12, 31)), {
            "scope1": 100.0, "scope2_market": 0.0, "scope2_location": 0.0, "scope3": 0.0, "total": 100.0,
            "revenue": 125000.0, "intensity": 800.0})
        with self.assertRaises(CheckViolation), self.cr.savepoint():
            self.company.carbon_base_year = 1850

    def test_intensity_across_currencies(self):
        """A (USD): 1,000 kg of wood = 50 kgCO2e, revenue 100,000 USD. B (CNY): 2,000 kg = 100 kgCO2e,
        revenue 700,000 CNY = 100,000 USD at the rate of 31 December 2024 (7 CNY per USD).
        Consolidated: 150 kgCO2e / 0.2 million USD = 750 kgCO2e per million USD."""
        company_b = self.env["res.company"].create({"name": "Lychee Farm Guangzhou", "currency_id": self.cny.id})
        income = self.env["account.account"].create({
            "name": "Sales", "code": "GZ700", "account_type": "income", "company_ids": [Command.link(company_b.id)]})
        cash = self.env["account.account"].create({
            "name": "Cash", "code": "GZ100", "account_type": "asset_cash", "company_ids": [Command.link(company_b.id)]})
        journal = self.env["account.journal"].create({
            "name": "Miscellaneous", "code": "GZMIS", "type": "general", "company_id": company_b.id})
        self.env["account.move"].with_company(company_b).create({
            "move_type": "entry", "journal_id": journal.id, "date": date(2024, 5, 1), "company_id": company_b.id,
            "line_ids": [Command.create({"account_id": cash.id, "debit": 700000.0, "credit": 0.0}),
                         Command.create({"account_id": income.id, "debit": 0.0, "credit": 700000.0})],
        }).action_post()
        self._revenue(100000.0, date(2024, 5, 1))
        self._burn(1000, date(2024, 5, 1))
        self._burn(2000, date(2024, 5, 1), company=company_b,
                   factor=self.wood.copy({"code": "TEST.GHGC.WOOD.B", "company_id": company_b.id}))
        both = self.company | company_b
        Report = self.env["carbon.report.ghg"].with_context(allowed_company_ids=both.ids)
        data = Report._get_data(both, date(2024, 1, 1), date(2024, 12, 31))
        self.assertEqual((data["total"], data["currency"]), (150.0, "USD"))
        self.assertAlmostEqual(data["revenue"], 200000.0)               # 100,000 + 700,000 / 7
        self.assertAlmostEqual(data["intensity"], 750.0)
        alone = Report._get_data(company_b, date(2024, 1, 1), date(2024, 12, 31))
        self.assertEqual((alone["currency"], alone["revenue"], alone["intensity"]), ("CNY", 700000.0, 100 / 0.7))

    def test_builder_queries_do_not_grow_with_the_lines(self):
        self._honey_flow()
        Report = self.env["carbon.report.ghg"]
        period = (self.company, date(2024, 1, 1), fields.Date.today())

        def build():
            self.env.invalidate_all()
            return Report._get_data(*period, unit_product=self.honey_kg)

        build()
        self.env.flush_all()
        before = self.cr.sql_log_count
        build()
        queries = self.cr.sql_log_count - before
        self.assertLessEqual(queries, 25)
        Line = self.env["carbon.move.line"]
        domain = Report._domains(*period)["scope3"]
        lines = Line.search_count(domain)
        for __ in range(5):
            self._honey_flow()
        for day in range(1, 21):
            self._burn(10, date(2024, 6, day))
        with self.assertQueryCount(queries):
            large = build()
        self.assertEqual(Line.search_count(domain), 6 * lines)
        self.assertAlmostEqual(large["total"], 6 * 1002.0 + 20 * 0.5)

    def test_wizard_pdf_and_xlsx_show_unit_intensity_and_comparison(self):
        self._honey_flow()
        self._burn(1000, date(2023, 5, 1))                          # base year 2023: 50 kgCO2e
        self.company.carbon_base_year = 2023
        today = fields.Date.today()
        wizard = self.env["carbon.report.ghg.wizard"].create({
            "company_ids": [Command.set(self.company.ids)], "date_from": date(today.year, 1, 1),
            "date_to": date(today.year, 12, 31), "unit_product_id": self.honey_kg.id,
        })
        for text in ("4.008000", "5.010000", "250.000", "200.000", "kg"):
            self.assertIn(text, wizard.unit_html)
        # 1,002 against 50 in the base year: (1,002 - 50) / 50 = +1,904 %
        for text in ("1002.000", "50.000", "+1904.0 %", "Base year 2023"):
            self.assertIn(text, wizard.comparison_html)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "carbon_accounting.action_report_carbon_ghg", wizard.ids)[0].decode()
        for text in ("Intensity per unit", "4.008000", "5.010000", "Comparison", "+1904.0 %"):
            self.assertIn(text, html)
        wizard.action_export_xlsx()
        book = load_workbook(io.BytesIO(base64.b64decode(wizard.file)), data_only=True)
        inventory = {row[0]: row[1] for row in book["GHG Inventory"].iter_rows(min_row=4, values_only=True)}
        self.assertAlmostEqual(inventory["Intensity (kgCO2e per kg sold)"], 4.008)
        self.assertAlmostEqual(inventory["Intensity (kgCO2e per kg made)"], 5.01)
        self.assertAlmostEqual(inventory["Quantity sold of Lychee honey, bulk (kg)"], 250.0)
        comparison = {row[0]: row[1:] for row in book["Comparison"].iter_rows(min_row=4, values_only=True)}
        self.assertEqual(comparison["Total"][0], 1002.0)
        self.assertEqual(comparison["Total"][3:], (50.0, 1904.0))
