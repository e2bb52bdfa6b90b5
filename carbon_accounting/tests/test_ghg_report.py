import base64
import io
import math
from datetime import date

from openpyxl import load_workbook

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
        cls.diesel_upstream = Factor.create({
            "name": "Diesel, well-to-tank", "code": "TEST.GHG.WTT", "source": "Test", "basis": "physical",
            "uom_id": litre.id, "value": 0.6, "scope": "3", "scope3_category": "3",
        })
        cls.diesel_burnt = Factor.create({
            "name": "Diesel, combustion", "code": "TEST.GHG.COMB", "source": "Test", "basis": "physical",
            "uom_id": litre.id, "scope": "1", "uncertainty": 5.0, "co2_biogenic": 0.1,
            "gwp_set_id": cls.ar6.id,
            "gas_line_ids": [Command.create({"gas_id": cls.env.ref("carbon_accounting.gas_co2").id, "amount": 2.7})],
        })
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
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.vendor_b.id, "invoice_date": date(2024, 7, 1),
            "invoice_line_ids": [Command.create({"name": "Lychees", "quantity": 1, "price_unit": 100000.0, "tax_ids": []})],
        })
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
        self.assertEqual((empty["scope1"], empty["scope3"], empty["biogenic_co2"], empty["removals"]), (0.0, 0.0, 0.0, 0.0))

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
        self.expense_account.carbon_factor_id = self.factor_spend.copy({"code": "TEST.GHG.SPEND", "scope3_category": False})
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
        self.assertEqual(self.env["carbon.move.line"].search_count(data["domains"]["scope2"]), 2)   # the bill's line and its reversal, both shown

    def test_location_unassessed_without_grid_factor(self):
        self.company.carbon_grid_factor_id = False
        self._bill([{"product_id": self.power.id, "quantity": 1000, "price_unit": 0.1}])
        data = self.env["carbon.report.ghg"]._get_data(self.company, self.date_from, self.date_to)
        self.assertAlmostEqual(data["scope2_market"], 200.0)
        self.assertEqual((data["scope2_location"], data["scope2_location_unassessed_count"]), (0.0, 1))

    def test_consolidated_with_equity_share(self):
        self._flow()
        company_b = self.env["res.company"].create({"name": "Lychee JV", "currency_id": self.usd.id,
                                                    "carbon_equity_share": 40.0})
        factor_b = self.wood.copy({"code": "TEST.GHG.WOOD.B", "company_id": company_b.id})
        activity = self.env["carbon.activity"].with_company(company_b).create({
            "name": "JV stove", "date": date(2024, 6, 10), "quantity": 1000, "uom_id": self.uom_kg.id,
            "factor_id": factor_b.id, "company_id": company_b.id,
            "attachment_ids": [Command.create({"name": "jv.pdf", "raw": b"%PDF log"})],
        })
        activity.action_post()
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
        company_b = self.env["res.company"].create({"name": "Other farm", "currency_id": self.usd.id})
        factor_b = self.wood.copy({"code": "TEST.GHG.WOOD.B2", "company_id": company_b.id})
        activity = self.env["carbon.activity"].with_company(company_b).create({
            "name": "B stove", "date": date(2024, 6, 10), "quantity": 1000, "uom_id": self.uom_kg.id,
            "factor_id": factor_b.id, "company_id": company_b.id,
            "attachment_ids": [Command.create({"name": "b.pdf", "raw": b"%PDF log"})],
        })
        activity.action_post()
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
        self.assertEqual(scope3["6. Business travel"], ("Not relevant", None, "No business travel: all staff work on site."))
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
