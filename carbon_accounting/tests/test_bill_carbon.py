from odoo.tests import tagged

from .common_bill import BillCarbonCommon


@tagged("post_install", "-at_install")
class TestBillCarbon(BillCarbonCommon):
    """Non-stock expenses on vendor bills: carbon into the overhead pool, by scope."""

    def test_energy_and_fuel_bill(self):
        bill = self._bill([
            {"product_id": self.power.id, "quantity": 1000, "price_unit": 0.1},
            {"product_id": self.diesel.id, "quantity": 100, "price_unit": 1.0},
        ])
        power_line, diesel_line = bill.invoice_line_ids
        self.assertRecordValues(
            power_line + diesel_line,
            [
                {
                    "carbon_source": "product",
                    "carbon_factor_id": self.factor_grid.id,
                    "carbon_amount": 500.0,
                    "carbon_scope": "2",
                },
                {
                    "carbon_source": "product",
                    "carbon_factor_id": self.factor_diesel.id,
                    "carbon_amount": 270.0,
                    "carbon_scope": "1",
                },
            ],
        )
        entry = bill.carbon_move_ids
        self.assertRecordValues(entry, [{"state": "posted", "account_move_id": bill.id, "total_carbon": 770.0}])
        self.assertRecordValues(
            entry.line_ids.sorted("id"),
            [
                {
                    "account_id": self.accounts["overhead"].id,
                    "debit": 500.0,
                    "credit": 0.0,
                    "scope": "2",
                    "partner_id": self.vendor.id,
                },
                {
                    "account_id": self.accounts["energy"].id,
                    "debit": 0.0,
                    "credit": 500.0,
                    "scope": "2",
                    "partner_id": self.vendor.id,
                },
                {
                    "account_id": self.accounts["overhead"].id,
                    "debit": 270.0,
                    "credit": 0.0,
                    "scope": "1",
                    "partner_id": self.vendor.id,
                },
                {
                    "account_id": self.accounts["direct"].id,
                    "debit": 0.0,
                    "credit": 270.0,
                    "scope": "1",
                    "partner_id": self.vendor.id,
                },
            ],
        )

    def test_expense_account_spend_factor_without_product(self):
        self.expense_account.carbon_factor_id = self.factor_spend  # 0.1 kg per CNY, scope 3
        bill = self._bill([{"name": "Orchard consulting", "quantity": 1, "price_unit": 100.0,
                            "account_id": self.expense_account.id}])
        # 100 USD = 700 CNY in 2024
        self.assertRecordValues(bill.invoice_line_ids, [{"carbon_source": "account", "carbon_amount": 70.0}])
        self.assertEqual(
            bill.carbon_move_ids.line_ids.account_id, self.accounts["overhead"] | self.accounts["acquired"]
        )

    def test_stock_lines_unassessed_lines_and_credit_notes(self):
        honey = self._product("Honey", uom=self.uom_kg, factor=self.factor_kg, is_storable=True)
        bill = self._bill([
            {"product_id": honey.id, "quantity": 10, "price_unit": 1.0},
            {"product_id": self.plain.id, "quantity": 1, "price_unit": 1.0},
        ])
        stock_line, plain_line = bill.invoice_line_ids
        self.assertFalse(stock_line.carbon_source, "stock carries its own carbon, through receipts")
        self.assertEqual(plain_line.carbon_source, "unassessed")
        self.assertFalse(bill.carbon_move_ids)
        refund = self._bill([{"product_id": self.power.id, "quantity": 100, "price_unit": 0.1}], move_type="in_refund")
        self.assertRecordValues(refund.carbon_move_ids.line_ids.sorted("id"), [
            {"account_id": self.accounts["energy"].id, "debit": 50.0, "credit": 0.0},
            {"account_id": self.accounts["overhead"].id, "debit": 0.0, "credit": 50.0},
        ])

    def test_reset_to_draft_reverses_and_reposting_books_again(self):
        bill = self._bill([{"product_id": self.power.id, "quantity": 100, "price_unit": 0.1}])
        first = bill.carbon_move_ids
        bill.button_draft()
        self.assertEqual(first.reversal_ids.total_carbon, 50.0)
        bill.invoice_line_ids.quantity = 200
        bill.action_post()
        latest = bill.carbon_move_ids - first - first.reversal_ids
        self.assertEqual(latest.total_carbon, 100.0)
        pool = sum(
            bill.carbon_move_ids.line_ids.filtered(lambda line: line.account_type == "overhead").mapped("balance")
        )
        self.assertEqual(pool, 100.0)
