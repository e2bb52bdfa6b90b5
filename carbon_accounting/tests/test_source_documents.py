from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestSourceDocuments(StockCarbonCommon):
    """Every carbon entry and line opens the document that made it; an allocation with nothing to
    allocate says why; transfers and bills show the carbon of each of their lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        kwh = cls.env.ref("carbon_accounting.uom_kwh")
        cls.grid = cls.env["carbon.emission.factor"].create({
            "name": "Grid", "code": "TEST.GRID", "source": "MEE", "basis": "physical", "uom_id": kwh.id,
            "value": 0.5, "scope": "2",
        })
        cls.power = cls._product("Electricity", uom=kwh, factor=cls.grid, type="service")
        cls.mystery = cls._product("Mystery service", uom=cls.uom_unit, type="service")

    def _bill(self, lines):
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.vendor.id, "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create(vals) for vals in lines],
        })
        bill.action_post()
        return bill

    def _allocation(self):
        today = fields.Date.today()
        return self.env["carbon.allocation"].create({"date_from": today, "date_to": today})

    def assertOpens(self, records, document):
        for record in records:
            self.assertEqual(record.source_document, document)
            action = record.action_open_source_document()
            self.assertEqual((action["res_model"], action["res_id"]), (document._name, document.id))

    def test_stock_entry_opens_its_transfer(self):
        receipt = self._receive(self.honey, 10)
        entry = receipt.carbon_move_line_ids.move_id
        self.assertOpens([*entry, *entry.line_ids], receipt.picking_id)

    def test_scrap_entry_opens_the_scrap_order(self):
        self._receive(self.honey, 10)
        scrap = self.env["stock.scrap"].create({
            "product_id": self.honey.id, "scrap_qty": 2, "product_uom_id": self.honey.uom_id.id,
            "location_id": self.stock.id,
        })
        scrap.action_validate()
        entry = scrap.move_ids.carbon_move_line_ids.move_id
        self.assertTrue(entry)
        self.assertOpens([*entry, *entry.line_ids], scrap)

    def test_bill_entry_opens_the_bill(self):
        bill = self._bill([{"product_id": self.power.id, "quantity": 100, "price_unit": 0.1}])
        self.assertOpens([*bill.carbon_move_ids, *bill.carbon_move_ids.line_ids], bill)

    def test_allocation_entry_opens_the_allocation(self):
        self._bill([{"product_id": self.power.id, "quantity": 100, "price_unit": 0.1}])   # 50 kg in the pool
        self._receive(self.honey, 10)
        self._deliver(self.honey, 4)
        allocation = self._allocation()
        allocation.action_compute()
        allocation.action_post()
        entry = allocation.carbon_move_id
        self.assertOpens([*entry, *entry.line_ids], allocation)
        reversal = entry._reverse()
        self.assertOpens(reversal, allocation)

    def test_entry_without_document_line_opens_nothing(self):
        entry = self.env["carbon.move"].new({"kind": "stock"})
        self.assertFalse(entry.source_document)
        with self.assertRaisesRegex(UserError, "no source document"):
            entry.action_open_source_document()

    def test_compute_with_nothing_to_allocate_says_why(self):
        with self.assertRaisesRegex(UserError, "no balance in the overhead pool"):
            self._allocation().action_compute()
        self._bill([{"product_id": self.power.id, "quantity": 100, "price_unit": 0.1}])
        with self.assertRaisesRegex(UserError, "no deliveries to customers"):
            self._allocation().action_compute()

    def test_transfer_carbon_button_lists_its_lines_unassessed_first(self):
        receipt = self._move(self.unknown, 10, self.suppliers, self.stock, self.vendor)
        self.assertEqual(receipt.carbon_state, "unassessed")
        action = receipt.picking_id.action_view_carbon_entries()
        self.assertEqual(action["res_model"], "carbon.move.line")
        lines = self.env["carbon.move.line"].search(action["domain"])
        self.assertEqual(lines, receipt.carbon_move_line_ids)
        self.assertTrue(any(lines.mapped("unassessed")))
        unassessed = lines.filtered("unassessed")
        self.assertEqual(unassessed.mapped("unassessed_reason"), [receipt.carbon_note] * len(unassessed))
        arch = self.env["carbon.move.line"].get_view(action["views"][0][0], "list")["arch"]
        self.assertIn('decoration-danger="unassessed"', arch)

    def test_bill_carbon_tab_shows_each_line_even_unassessed(self):
        bill = self._bill([{"product_id": self.power.id, "quantity": 100, "price_unit": 0.1},
                           {"product_id": self.mystery.id, "quantity": 1, "price_unit": 40.0}])
        power, mystery = bill.invoice_line_ids
        self.assertEqual(bill.carbon_line_ids, power + mystery)
        self.assertRecordValues(bill.carbon_line_ids, [
            {"carbon_amount": 50.0, "carbon_source": "product"},
            {"carbon_amount": 0.0, "carbon_source": "unassessed"},
        ])
        self.assertIn("No emission factor", mystery.carbon_note)
        only_unassessed = self._bill([{"product_id": self.mystery.id, "quantity": 1, "price_unit": 40.0}])
        self.assertFalse(only_unassessed.carbon_move_ids)
        self.assertEqual(len(only_unassessed.carbon_line_ids), 1, "the tab shows a bill without carbon entries")
