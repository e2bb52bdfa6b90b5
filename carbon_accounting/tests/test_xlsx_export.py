import base64
from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CarbonCommon


@tagged("post_install", "-at_install")
class TestXlsxExport(CarbonCommon):

    def _export(self, **vals):
        wizard = self.env["carbon.xlsx.export"].create(vals)
        wizard.action_export()
        self.assertTrue(wizard.filename.endswith(".xlsx"))
        return load_workbook(BytesIO(base64.b64decode(wizard.file)), data_only=True)

    @staticmethod
    def _table(sheet):
        """Header and data rows (title rows and the total row left out) of a sheet."""
        rows = list(sheet.iter_rows(values_only=True))
        start = next(i for i, r in enumerate(rows) if r[0] in ("Code", "Order", "Carbon Source", "Account"))
        header, body = rows[start], rows[start + 1:]
        data = [r for r in body if r[0] != "Total"]
        total = next((r for r in body if r[0] == "Total"), None)
        return header, data, total

    def test_register_and_purchases_with_totals(self):
        self.company.carbon_spend_factor_id = self.factor_spend
        confirmed = self._po([(self.fertiliser, 2, self.uom_ton, 10.0), (self.crate, 40, self.uom_unit, 1.0)],
                             order_date=date(2024, 3, 1), confirm=True)
        self._po([(self.plain, 1, self.uom_unit, 100.0)], order_date=date(2024, 4, 1), confirm=True)
        self._po([(self.fertiliser, 1, self.uom_kg, 1.0)])  # an RFQ: not exported
        book = self._export()
        self.assertEqual(book.sheetnames, ["Emission Factors", "Purchase Carbon", "Summary", "Carbon Ledger"])

        header, factors, __ = self._table(book["Emission Factors"])
        fert = next(r for r in factors if r[0] == "TEST.FERT")
        record = dict(zip(header, fert, strict=False))
        self.assertEqual(record["kgCO2e per Unit"], 2.0)
        self.assertEqual(record["Per"], "kgCO2e / kg")
        self.assertEqual(record["Confirmed Lines Using It"], 1)

        header, lines, total = self._table(book["Purchase Carbon"])
        self.assertEqual(len(lines), 3)
        carbon = header.index("Carbon (kgCO2e)")
        expected = sum(self.env["purchase.order.line"].search([("state", "=", "purchase")]).mapped("carbon_amount"))
        self.assertAlmostEqual(expected, 4000.0 + 10.0 + 70.0)
        self.assertAlmostEqual(sum(r[carbon] for r in lines), expected)
        self.assertAlmostEqual(total[carbon], expected)
        first = dict(zip(header, lines[0], strict=False))
        self.assertEqual(first["Order"], confirmed.name)
        self.assertEqual(first["Factor Code"], "TEST.FERT")
        self.assertEqual(first["Basis Quantity"], 2000.0)
        self.assertEqual(first["Basis Unit"], "kg")

        header, sources, total = self._table(book["Summary"])
        self.assertEqual({r[0]: r[2] for r in sources}, {"Product factor": 4010.0, "Spend-based factor": 70.0})
        self.assertAlmostEqual(total[2], expected)

    def test_period_filter(self):
        self._po([(self.fertiliser, 1, self.uom_kg, 1.0)], order_date=date(2024, 3, 1), confirm=True)
        self._po([(self.fertiliser, 5, self.uom_kg, 1.0)], order_date=date(2024, 5, 1), confirm=True)
        book = self._export(date_from=date(2024, 4, 1), date_to=date(2024, 5, 1))
        header, lines, total = self._table(book["Purchase Carbon"])
        self.assertEqual(len(lines), 1)
        self.assertEqual(total[header.index("Carbon (kgCO2e)")], 10.0)

    def test_sections(self):
        book = self._export(include_purchases=False, include_ledger=False)
        self.assertEqual(book.sheetnames, ["Emission Factors"])
        with self.assertRaises(UserError):
            self._export(include_purchases=False, include_factors=False, include_ledger=False)

    def test_ledger_sheet_balances(self):
        honey = self._product("Honey", uom=self.uom_kg, factor=self.factor_kg, is_storable=True)
        order = self._po([(honey, 10, self.uom_kg, 1.0)], confirm=True)
        picking = order.picking_ids
        picking.move_ids.quantity = 10
        picking.move_ids.picked = True
        picking._action_done()
        header, rows, total = self._table(self._export()["Carbon Ledger"])
        balances = {r[0]: r[header.index("Balance (kgCO2e)")] for r in rows}
        self.assertEqual(balances, {"100": 20.0, "200": -20.0})
        self.assertEqual(total[header.index("Debit (kgCO2e)")], total[header.index("Credit (kgCO2e)")])
        self.assertEqual(total[header.index("Balance (kgCO2e)")], 0.0)
