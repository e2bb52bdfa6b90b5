from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common_bill import BillCarbonCommon


@tagged("post_install", "-at_install")
class TestCarbonDates(BillCarbonCommon):
    """Entries take their document's date; the carbon lock date never refuses a document: an entry
    dated on or before it is booked on the first open day and keeps the document's date as its
    original date."""

    LOCK = date(2024, 6, 30)
    FIRST_OPEN_DAY = date(2024, 7, 1)

    def _entry(self, day, kind="stock", carbon=10.0):
        return self.env["carbon.move"].create({
            "date": day, "kind": kind, "line_ids": [
                Command.create({"account_id": self.accounts["inventory"].id, "debit": carbon}),
                Command.create({"account_id": self.accounts["acquired"].id, "credit": carbon}),
            ],
        })

    def test_entry_in_open_period_keeps_its_date(self):
        self.company.carbon_lock_date = self.LOCK
        entry = self._entry(date(2024, 7, 5))
        entry._post()
        self.assertRecordValues(entry, [{"state": "posted", "date": date(2024, 7, 5), "origin_date": date(2024, 7, 5)}])

    def test_stock_entry_in_locked_period_goes_to_first_open_day(self):
        self.company.carbon_lock_date = self.LOCK
        entry = self._entry(date(2024, 6, 20))
        entry._post()
        self.assertRecordValues(
            entry, [{"state": "posted", "date": self.FIRST_OPEN_DAY, "origin_date": date(2024, 6, 20)}]
        )
        self.assertEqual(entry.line_ids.mapped("date"), [self.FIRST_OPEN_DAY] * 2)
        self.assertIsNone(self.env["carbon.move"]._check_integrity(self.company))

    def test_bill_in_locked_period_posts(self):
        self.company.carbon_lock_date = self.LOCK
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.vendor.id, "invoice_date": date(2024, 6, 15),
            "invoice_line_ids": [Command.create({"product_id": self.diesel.id, "quantity": 100, "price_unit": 1.0})],
        })
        bill.action_post()
        self.assertEqual(bill.state, "posted", "the carbon lock never refuses a financial posting")
        self.assertLessEqual(bill.date, self.LOCK)
        # 100 L x 2.7 kgCO2e/L = 270 kgCO2e, booked on the first open day
        self.assertRecordValues(bill.carbon_move_ids, [{
            "state": "posted", "kind": "bill", "total_carbon": 270.0,
            "date": self.FIRST_OPEN_DAY, "origin_date": bill.date,
        }])

    def test_reversal_of_entry_in_locked_period(self):
        entry = self._entry(date(2024, 6, 10))
        entry._post()
        self.company.carbon_lock_date = self.LOCK
        entry.action_reverse()
        self.assertRecordValues(entry.reversal_ids, [{
            "state": "posted", "reversed_entry_id": entry.id, "total_carbon": 10.0,
            "date": self.FIRST_OPEN_DAY, "origin_date": date(2024, 6, 10),
        }])
        self.assertRecordValues(entry, [{"date": date(2024, 6, 10), "origin_date": date(2024, 6, 10)}])
        self.assertIsNone(self.env["carbon.move"]._check_integrity(self.company))
