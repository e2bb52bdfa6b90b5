from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestScopeByUse(StockCarbonCommon):
    """What a company buys into stock carries its upstream (cradle-to-gate) carbon, Scope 3; the
    emissions of burning a fuel or applying a fertiliser are the company's own, Scope 1, booked when
    it uses the product up: a move into a consumption location (usage production)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Factor = cls.env["carbon.emission.factor"]
        litre = cls.uom_litre
        cls.diesel_upstream, cls.diesel_burnt = cls._diesel_factors("TEST.DIESEL", value=2.7)
        cls.urea_upstream = Factor.create({
            "name": "Urea, production", "code": "TEST.UREA.PROD", "source": "Test", "basis": "physical",
            "uom_id": cls.uom_kg.id, "value": 1.5, "scope": "3", "scope3_category": "1",
        })
        cls.urea_applied = Factor.create({
            "name": "Urea, applied (N2O and CO2)", "code": "TEST.UREA.FIELD", "source": "Test",
            "basis": "physical", "uom_id": cls.uom_kg.id, "value": 0.733, "scope": "1",
        })
        cls.diesel = cls._product("Diesel", uom=litre, factor=cls.diesel_upstream, categ=cls.categ_avco,
                                  is_storable=True, carbon_use_factor_id=cls.diesel_burnt.id)
        cls.urea = cls._product("Urea", uom=cls.uom_kg, factor=cls.urea_upstream, categ=cls.categ_fifo,
                                is_storable=True, carbon_use_factor_id=cls.urea_applied.id)
        cls.orchard = cls.env["stock.location"].create({
            "name": "Orchard (machinery and fields)", "usage": "production", "company_id": cls.company.id,
        })

    def _consume(self, product, qty):
        return self._move(product, qty, self.stock, self.orchard)

    def _balances(self):
        groups = self.env["carbon.move.line"]._read_group(
            [("company_id", "=", self.company.id), ("state", "=", "posted")], ["account_type"], ["balance:sum"])
        return {account_type: balance for account_type, balance in groups}

    def test_receipt_acquires_only_upstream_carbon(self):
        self._receive(self.diesel, 1000)
        self._receive(self.urea, 1000)
        balances = self._balances()
        self.assertAlmostEqual(balances["acquired"], -2100.0)     # 1000 x 0.6 + 1000 x 1.5
        self.assertAlmostEqual(balances["inventory"], 2100.0)
        self.assertNotIn("direct", balances)

    def test_using_up_releases_direct_emissions(self):
        self._receive(self.diesel, 1000)
        self._receive(self.urea, 1000)
        burnt = self._consume(self.diesel, 300)
        applied = self._consume(self.urea, 400)
        self.assertRecordValues(burnt, [{"carbon_use_amount": 810.0, "carbon_use_factor_id": self.diesel_burnt.id,
                                         "carbon_amount": 180.0}])
        self.assertRecordValues(self._lines(burnt), [
            # the upstream carbon of the fuel leaves inventory into the pool, to be allocated
            {"account_id": self.accounts["overhead"].id, "debit": 180.0, "credit": 0.0, "quantity": 300.0,
             "factor_id": False, "scope": False, "unit_carbon": 0.6},
            {"account_id": self.accounts["inventory"].id, "debit": 0.0, "credit": 180.0, "quantity": -300.0,
             "factor_id": False, "scope": False, "unit_carbon": 0.6},
            # and burning it is the company's own Scope 1, with the factor and the litres behind it
            {"account_id": self.accounts["overhead"].id, "debit": 810.0, "credit": 0.0, "quantity": 300.0,
             "factor_id": self.diesel_burnt.id, "scope": "1", "unit_carbon": 2.7},
            {"account_id": self.accounts["direct"].id, "debit": 0.0, "credit": 810.0, "quantity": -300.0,
             "factor_id": self.diesel_burnt.id, "scope": "1", "unit_carbon": 2.7},
        ])
        self.assertEqual(applied.carbon_use_amount, 293.2)        # 400 kg x 0.733
        self.assertAlmostEqual(self._balances()["direct"], -1103.2)

    def test_sales_returns_and_scrap_release_nothing(self):
        receipt = self._receive(self.diesel, 1000)
        sold = self._deliver(self.diesel, 100)                   # the customer burns what it buys
        self._return(receipt, 50)                                # back to the vendor
        scrap = self.env["stock.scrap"].create({
            "product_id": self.diesel.id, "scrap_qty": 20, "product_uom_id": self.uom_litre.id,
            "location_id": self.stock.id,
        })
        scrap.action_validate()                                   # spilt, not burnt
        self.assertEqual(sold.carbon_amount, 60.0)
        balances = self._balances()
        self.assertNotIn("direct", balances)
        self.assertAlmostEqual(balances["transferred"], 60.0)
        self.assertAlmostEqual(balances["writeoff"], 12.0)

    def test_fuel_taken_back_from_consumption_takes_its_emissions_back(self):
        self._receive(self.diesel, 1000)
        burnt = self._consume(self.diesel, 300)
        back = self._return(burnt, 50)
        self.assertEqual(back.carbon_use_amount, -135.0)
        self.assertAlmostEqual(self._balances()["direct"], -675.0)   # 250 L x 2.7

    def test_scope1_factor_on_a_stored_product_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Use Emission Factor"):
            self.diesel.carbon_factor_id = self.diesel_burnt
        with self.assertRaisesRegex(ValidationError, "Scope 1"):
            self.diesel.carbon_use_factor_id = self.diesel_upstream

    def test_scope1_factor_through_the_category_leaves_the_receipt_unassessed(self):
        categ = self.env["product.category"].create({"name": "Fuels", "carbon_factor_id": self.diesel_burnt.id})
        petrol = self._product("Petrol", uom=self.uom_litre, categ=categ, is_storable=True)
        receipt = self._move(petrol, 100, self.suppliers, self.stock)
        self.assertEqual(receipt.carbon_state, "unassessed")
        self.assertIn("use factor", receipt.carbon_note)
        self.assertNotIn("direct", self._balances())
