from datetime import date

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestNothingSilentlyZero(StockCarbonCommon):
    """A figure that cannot be known is "unassessed" with its reason, never 0 "assessed"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.factor_usd = cls.env["carbon.emission.factor"].create({
            "name": "Spend USD", "code": "TEST.SPEND.USD", "source": "Test / publisher / 2024",
            "basis": "spend", "currency_id": cls.usd.id, "value": 0.5, "scope": "3", "scope3_category": "1",
        })

    def test_currency_without_rate_is_not_converted_one_to_one(self):
        self.company.carbon_spend_factor_id = self.factor_usd
        # 7000 CNY at 7 CNY/USD = 1000 USD x 0.5 = 500 kg; with no CNY rate Odoo would take 1:1 (3500 kg)
        self.cny.rate_ids.unlink()
        line = self._po([(self.plain, 1, self.uom_unit, 7000.0)], currency=self.cny, order_date=date(2024, 6, 1),
                        confirm=True).order_line
        self.assertRecordValues(line, [{"carbon_source": "unassessed", "carbon_amount": 0.0}])
        self.assertIn("CNY", line.carbon_note)
        self.assertIn("2024-06-01", line.carbon_note)
        # the rate booked afterwards, a new order is assessed at it
        self.env["res.currency.rate"].create({"name": date(2024, 1, 1), "rate": 7.0, "currency_id": self.cny.id,
                                              "company_id": self.company.id})
        line = self._po([(self.plain, 1, self.uom_unit, 7000.0)], currency=self.cny,
                        order_date=date(2024, 6, 1)).order_line
        self.assertRecordValues(line, [{"carbon_source": "spend", "carbon_quantity": 1000.0, "carbon_amount": 500.0}])

    def test_rate_after_the_date_only_is_no_rate(self):
        self.company.carbon_spend_factor_id = self.factor_usd
        line = self._po([(self.plain, 1, self.uom_unit, 7000.0)], currency=self.cny,
                        order_date=date(2023, 6, 1)).order_line
        self.assertEqual(line.carbon_source, "unassessed")
        self.assertIn("2023-06-01", line.carbon_note)

    def test_spend_factor_on_zero_price_is_unassessed(self):
        self.company.carbon_spend_factor_id = self.factor_usd
        order = self._po([(self.plain, 3, self.uom_unit, 0.0)], confirm=True)
        self.assertRecordValues(order.order_line, [{"carbon_source": "unassessed", "carbon_amount": 0.0}])
        self.assertIn("TEST.SPEND.USD", order.order_line.carbon_note)
        # a free line with a physical factor is still assessed by its quantity
        free_crates = self._po([(self.crate, 4, self.uom_unit, 0.0)]).order_line
        self.assertRecordValues(free_crates, [{"carbon_source": "product", "carbon_amount": 1.0}])

    def test_spend_factor_on_zero_price_receipt_is_unassessed(self):
        self.unknown.categ_id.carbon_factor_id = self.factor_usd
        self.company.carbon_spend_factor_id = self.factor_usd
        order = self._po([(self.unknown, 3, self.uom_unit, 0.0)], order_date=fields.Date.today(), confirm=True)
        move = self._validate(order.picking_ids).move_ids
        self.assertRecordValues(move, [{"carbon_state": "unassessed", "carbon_amount": 0.0}])
        self.assertTrue(move.carbon_note)

    def _declare(self, product, intensity, quality="estimate"):
        return self.env["product.supplierinfo"].create({
            "partner_id": self.vendor.id, "product_tmpl_id": product.product_tmpl_id.id,
            "carbon_intensity": intensity, "carbon_data_quality": quality,
        })

    def test_declared_zero_is_passed_over_for_the_next_rule(self):
        self._declare(self.crate, 0.0)
        self._declare(self.plain, 0.0)
        order = self._po([(self.crate, 4, self.uom_unit, 2.0), (self.plain, 1, self.uom_unit, 10.0)])
        crate_line, plain_line = order.order_line
        self.assertRecordValues(crate_line + plain_line, [
            {"carbon_source": "product", "carbon_factor_id": self.factor_unit.id, "carbon_amount": 1.0},
            {"carbon_source": "unassessed", "carbon_factor_id": False, "carbon_amount": 0.0},
        ])
        self.assertIn("zero", crate_line.carbon_note)
        self.assertIn("zero", plain_line.carbon_note)

    def test_negative_declaration_is_refused(self):
        with self.assertRaises(ValidationError):
            self._declare(self.crate, -0.5, quality="primary")

    def test_small_unit_carbon_fifo_deliveries_one_by_one(self):
        factor = self.env["carbon.emission.factor"].create({
            "name": "Label", "code": "TEST.LABEL", "source": "Test / publisher / 2024", "basis": "physical",
            "uom_id": self.uom_unit.id, "value": 0.0004, "scope": "3", "scope3_category": "1",
        })
        label = self._product("Label", uom=self.uom_unit, factor=factor, categ=self.categ_fifo, is_storable=True)
        self._receive(label, 50)                                      # 50 x 0.0004 = 0.02 kg
        deliveries = self.env["stock.move"]
        for __ in range(50):
            deliveries |= self._deliver(label, 1)
        self.assertEqual(set(deliveries.mapped("carbon_state")), {"assessed"})
        self.assertEqual(set(deliveries.mapped("carbon_amount")), {0.0004})
        self.assertAlmostEqual(sum(deliveries.mapped("carbon_amount")), 0.02, places=6)
        balance, qty = self._inventory(label)
        self.assertAlmostEqual(balance, 0.0, places=6)
        self.assertEqual(qty, 0.0)

    def test_bill_in_a_currency_without_rate_or_at_zero_is_unassessed(self):
        account = self.env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", self.company.id)], limit=1)
        account.carbon_factor_id = self.factor_usd
        self.cny.rate_ids.unlink()
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.vendor.id,
                "invoice_date": date(2024, 6, 1),
                "currency_id": self.cny.id,
                "invoice_line_ids": [
                    fields.Command.create(
                        {"name": "Consulting", "quantity": 1, "price_unit": 7000.0, "account_id": account.id}
                    ),
                    fields.Command.create(
                        {"name": "Free sample", "quantity": 1, "price_unit": 0.0, "account_id": account.id}
                    ),
                ],
            }
        )
        bill.action_post()
        paid, free = bill.invoice_line_ids
        self.assertRecordValues(paid + free, [
            {"carbon_source": "unassessed", "carbon_amount": 0.0},
            {"carbon_source": "unassessed", "carbon_amount": 0.0},
        ])
        self.assertIn("CNY", paid.carbon_note)
        self.assertIn("TEST.SPEND.USD", free.carbon_note)
        self.assertFalse(bill.carbon_move_ids)
