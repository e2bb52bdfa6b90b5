from odoo import Command
from odoo.tests import tagged

from .common import ProductionCarbonCommon


@tagged("post_install", "-at_install")
class TestFuelInProduction(ProductionCarbonCommon):
    """A kiln burns diesel to make biochar: the diesel's upstream carbon and the emissions of
    burning it (Scope 1, its use factor) go into work in progress, and the biochar takes both."""

    def test_fuel_burnt_in_production_rolls_into_the_product(self):
        litre = self.uom_litre
        Factor = self.env["carbon.emission.factor"]
        upstream = Factor.create({"name": "Diesel WTT", "code": "TEST.WTT", "source": "Test", "basis": "physical",
                                  "uom_id": litre.id, "value": 0.6, "scope": "3", "scope3_category": "3"})
        burnt = Factor.create({"name": "Diesel combustion", "code": "TEST.COMB", "source": "Test",
                               "basis": "physical", "uom_id": litre.id, "value": 2.7, "scope": "1"})
        diesel = self._product("Kiln diesel", uom=litre, factor=upstream, categ=self.categ_avco, is_storable=True,
                               carbon_use_factor_id=burnt.id)
        biochar = self._product("Biochar", uom=self.uom_kg, categ=self.categ_avco, is_storable=True)
        bom = self.env["mrp.bom"].create({
            "product_tmpl_id": biochar.product_tmpl_id.id, "product_qty": 1,
            "bom_line_ids": [Command.create({"product_id": diesel.id, "product_qty": 2}),
                             Command.create({"product_id": self.honey.id, "product_qty": 1})],
        })
        self._receive(diesel, 100)                          # 60 upstream
        self._receive(self.honey, 10)                       # 20
        production = self._produce(10, bom=bom)
        fuel = production.move_raw_ids.filtered(lambda m: m.product_id == diesel)
        self.assertRecordValues(fuel, [{"carbon_amount": 12.0, "carbon_use_amount": 54.0}])   # 20 L
        self.assertRecordValues(fuel.carbon_move_line_ids.filtered(lambda line: line.scope == "1"), [
            {"account_id": self.accounts["wip"].id, "debit": 54.0, "credit": 0.0, "factor_id": burnt.id},
            {"account_id": self.accounts["direct"].id, "debit": 0.0, "credit": 54.0, "factor_id": burnt.id},
        ])
        made = production.move_finished_ids
        self.assertRecordValues(made, [{"carbon_amount": 86.0, "carbon_state": "assessed"}])  # 12 + 54 + 20
        check = self._check()
        self.assertTrue(check.is_balanced, check.difference)
        self.assertEqual(check.work_in_progress, 0.0)
        self.assertEqual(check.incurred, 54.0)
