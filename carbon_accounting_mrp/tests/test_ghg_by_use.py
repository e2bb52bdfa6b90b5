from odoo import Command, fields
from odoo.tests import tagged

from .common import ProductionCarbonCommon


@tagged("post_install", "-at_install")
class TestGhgByUse(ProductionCarbonCommon):
    """The review's orchard, by hand. Bought: 1000 L of stored diesel (upstream 0.6 kg/L, burnt 2.7),
    1000 kg of stored urea (upstream 1.5, applied 0.733), 200 L of diesel as a consumable, 1000 kWh
    of electricity (grid 0.5). Used: 300 L burnt in tractors, 100 L in the kiln of a production,
    400 kg of urea applied, 100 L resold. Scope 1 = (300 + 100 + 200) x 2.7 + 400 x 0.733 = 1913.2;
    Scope 2 = 500, electricity received and not yet billed; acquired (Scope 3) = 600 + 1500."""

    def test_scopes_read_from_the_ledger_accounts(self):
        litre = self.uom_litre
        Factor = self.env["carbon.emission.factor"]

        def factor(code, uom, value, scope, category=False):
            return Factor.create({"name": code, "code": code, "source": "Test", "basis": "physical",
                                  "uom_id": uom.id, "value": value, "scope": scope, "scope3_category": category})

        diesel_up, diesel_burnt = factor("T.DIESEL.UP", litre, 0.6, "3", "3"), factor("T.DIESEL.B", litre, 2.7, "1")
        urea_up, urea_applied = (
            factor("T.UREA.UP", self.uom_kg, 1.5, "3", "1"),
            factor("T.UREA.A", self.uom_kg, 0.733, "1"),
        )
        diesel = self._product("Diesel", uom=litre, factor=diesel_up, categ=self.categ_avco, is_storable=True,
                               carbon_use_factor_id=diesel_burnt.id)
        urea = self._product("Urea", uom=self.uom_kg, factor=urea_up, categ=self.categ_fifo, is_storable=True,
                             carbon_use_factor_id=urea_applied.id)
        can_diesel = self._product("Diesel in cans", uom=litre, factor=diesel_burnt, type="consu")
        fields_location = self.env["stock.location"].create(
            {"name": "Tractors and fields", "usage": "production", "company_id": self.company.id})

        self._receive(diesel, 1000)
        self._receive(urea, 1000)
        cans = self._po([(can_diesel, 200, litre, 1.0)], order_date=fields.Date.today(), confirm=True)
        self._validate(cans.picking_ids)
        cans.action_create_invoice()
        cans.invoice_ids.invoice_date = fields.Date.today()
        cans.invoice_ids.action_post()
        power = self._po([(self.power, 1000, self.power.uom_id, 0.1)], order_date=fields.Date.today(), confirm=True)
        power.order_line.qty_received = 1000

        self._move(diesel, 300, self.stock, fields_location)
        self._move(urea, 400, self.stock, fields_location)
        self._deliver(diesel, 100)
        kiln_product = self._product("Kiln heat", uom=self.uom_unit, categ=self.categ_avco, is_storable=True)
        bom = self.env["mrp.bom"].create(
            {
                "product_tmpl_id": kiln_product.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": diesel.id, "product_qty": 10})],
            }
        )
        self._produce(10, bom=bom)                          # burns 100 L in the kiln

        balances = dict(self.env["carbon.move.line"]._read_group(
            [("company_id", "=", self.company.id), ("state", "=", "posted")], ["account_type"], ["balance:sum"]))
        self.assertAlmostEqual(-balances["direct"], 1913.2, places=6)
        self.assertAlmostEqual(-balances["energy"], 500.0, places=6)
        self.assertAlmostEqual(-balances["acquired"], 2100.0, places=6)
        self.assertAlmostEqual(balances["transferred"], 60.0, places=6)      # 100 L resold: upstream only
        check = self._check()
        self.assertTrue(check.is_balanced, check.difference)
        self.assertEqual(check.product_mismatch_count, 0)
