import base64
from datetime import date
from io import BytesIO

from lxml import etree
from openpyxl import load_workbook

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_bill import BillCarbonCommon


@tagged("post_install", "-at_install")
class TestFigures(BillCarbonCommon):
    """Figures that cannot mislead: every quantity with its unit, nothing unassessed shown as a
    number, intensities never averaged, emissions read as positive figures."""

    # ------------------------------------------------------------------ units

    def test_spend_based_ledger_lines_carry_their_currency(self):
        """100 USD at 7 CNY per USD = 700 CNY of spend x 0.1 kgCO2e/CNY = 70 kgCO2e: the ledger's
        quantity is 700 CNY, not 700 of nothing."""
        self.expense_account.carbon_factor_id = self.factor_spend
        bill = self._bill([{"name": "Orchard consulting", "quantity": 1, "price_unit": 100.0,
                            "account_id": self.expense_account.id}])
        lines = bill.carbon_move_ids.line_ids.sorted("id")
        self.assertRecordValues(lines, [
            {"account_id": self.accounts["overhead"].id, "balance": 70.0, "quantity": 700.0,
             "currency_id": self.cny.id, "product_uom_id": False, "quantity_unit": "CNY"},
            {"account_id": self.accounts["acquired"].id, "balance": -70.0, "quantity": -700.0,
             "currency_id": self.cny.id, "product_uom_id": False, "quantity_unit": "CNY"},
        ])

    def test_physical_ledger_lines_name_their_unit(self):
        """100 L of diesel x 2.7 kgCO2e/L = 270 kgCO2e; its quantity reads 100 L."""
        bill = self._bill([{"product_id": self.diesel.id, "quantity": 100, "price_unit": 1.0}])
        lines = bill.carbon_move_ids.line_ids.sorted("id")
        self.assertRecordValues(lines, [
            {"balance": 270.0, "quantity": 100.0, "product_uom_id": self.uom_litre.id, "currency_id": False,
             "quantity_unit": "L"},
            {"balance": -270.0, "quantity": -100.0, "product_uom_id": self.uom_litre.id, "currency_id": False,
             "quantity_unit": "L"},
        ])

    def test_a_quantity_without_unit_is_refused(self):
        entry = self.env["carbon.move"].create(
            {"company_id": self.company.id, "kind": "stock", "date": date(2024, 6, 1)}
        )
        with self.assertRaises(UserError):
            self.env["carbon.move.line"].create({"move_id": entry.id, "account_id": self.accounts["inventory"].id,
                                                 "debit": 1.0, "quantity": 5.0})

    def test_ledger_quantities_are_never_added_across_units(self):
        fields_info = self.env["carbon.move.line"].fields_get(["quantity"], ["aggregator"])
        self.assertFalse(fields_info["quantity"].get("aggregator"))

    # ------------------------------------------------------------------ emissions positive

    def test_emissions_read_positive(self):
        """Diesel burnt (Scope 1, a credit of 270 on the direct account) reads +270 kgCO2e, like the
        270 the overhead pool holds; 10 kg of honey received reads +20 in inventory and +20 acquired."""
        bill = self._bill([{"product_id": self.diesel.id, "quantity": 100, "price_unit": 1.0}])
        receipt = self._receive(self.honey, 10)
        self.assertRecordValues(bill.carbon_move_ids.line_ids.sorted("id"), [
            {"account_id": self.accounts["overhead"].id, "balance": 270.0, "carbon_amount": 270.0},
            {"account_id": self.accounts["direct"].id, "balance": -270.0, "carbon_amount": 270.0},
        ])
        lines = receipt.carbon_move_line_ids.sorted("debit", reverse=True)
        self.assertRecordValues(lines, [
            {"account_id": self.accounts["inventory"].id, "carbon_amount": 20.0},
            {"account_id": self.accounts["acquired"].id, "carbon_amount": 20.0},
        ])
        wizard = self.env["carbon.xlsx.export"].create({"include_factors": False, "include_purchases": False})
        wizard.action_export()
        rows = list(load_workbook(BytesIO(base64.b64decode(wizard.file)), data_only=True)["Carbon Ledger"]
                    .iter_rows(values_only=True))
        header = rows[next(i for i, r in enumerate(rows) if r[0] == "Account")]
        direct = [r for r in rows if r[0] == self.accounts["direct"].code]
        self.assertGreaterEqual(max(r[header.index("Carbon (kgCO2e)")] for r in direct), 270.0)
        graph = etree.fromstring(self.env.ref("carbon_accounting.carbon_move_line_view_graph").arch)
        self.assertEqual(graph.xpath("//field[@type='measure']/@name"), ["carbon_amount"])

    # ------------------------------------------------------------------ unassessed

    def test_order_names_unassessed_lines_and_leaves_their_spend_out(self):
        """10 kg of fertiliser at 1 USD: 20 kgCO2e for 10 USD; the plain item (90 USD) has no factor.
        kgCO2e per USD = 20 / 10 = 2.0, not 20 / 100 = 0.2; 90 USD of spend is left out and said."""
        order = self._po([(self.fertiliser, 10, self.uom_kg, 1.0), (self.plain, 1, self.uom_unit, 90.0)])
        self.assertRecordValues(order, [{
            "carbon_state": "partial", "carbon_amount": 20.0, "carbon_intensity_currency": 2.0,
            "carbon_unassessed_amount": 90.0, "carbon_unassessed_count": 1,
        }])
        self.assertIn("Plain item", order.carbon_unassessed_lines)
        self.assertNotIn("Organic fertiliser", order.carbon_unassessed_lines)

    def test_unassessed_order_has_no_intensity(self):
        order = self._po([(self.plain, 1, self.uom_unit, 90.0)])
        self.assertRecordValues(order, [{"carbon_state": "unassessed", "carbon_intensity_currency": 0.0,
                                         "carbon_unassessed_amount": 90.0}])

    def test_conservation_says_how_much_stock_is_of_unknown_carbon(self):
        """5 jars received without a factor: the ledger balances, but 5 Units of stock have unknown carbon."""
        self._receive(self.unknown, 5)
        self._receive(self.honey, 10)
        wizard = self.env["carbon.conservation.wizard"].create({"company_id": self.company.id})
        wizard.action_check()
        jar = wizard.line_ids.filtered(lambda line: line.product_id == self.unknown)
        honey = wizard.line_ids.filtered(lambda line: line.product_id == self.honey)
        self.assertRecordValues(jar + honey, [
            {"ledger_qty": 5.0, "unassessed_qty": 5.0, "ledger_carbon": 0.0},
            {"ledger_qty": 10.0, "unassessed_qty": 0.0, "ledger_carbon": 20.0},
        ])
        self.assertGreaterEqual(wizard.unassessed_product_count, 1)
        form = etree.fromstring(self.env["carbon.conservation.wizard"].get_view(view_type="form")["arch"])
        conserved = form.xpath("//div[contains(@class, 'alert-success')]")[0]
        self.assertIn("unassessed_product_count", conserved.get("invisible"))

    # ------------------------------------------------------------------ intensities

    def test_intensities_are_never_averaged(self):
        """A group's kgCO2e per unit is its carbon over its quantity, never the mean of its lines'
        intensities: 10 kg of fertiliser at 2.0 (20 kgCO2e) from one vendor and 990 kg at the other's
        declared 1.0 (990 kgCO2e) is 1010 / 1000 = 1.01 kgCO2e per kg, not (2.0 + 1.0) / 2 = 1.5. A
        vendor's group of different products has no intensity (the mean of 2.69, 24.5 and 0.73)."""
        self.env["product.supplierinfo"].create({
            "partner_id": self.vendor_b.id, "product_tmpl_id": self.fertiliser.product_tmpl_id.id,
            "carbon_intensity": 1.0, "carbon_data_quality": "primary",
        })
        self._po([(self.fertiliser, 10, self.uom_kg, 1.0), (self.crate, 4, self.uom_unit, 1.0)], confirm=True)
        self._po([(self.fertiliser, 990, self.uom_kg, 1.0)], partner=self.vendor_b, confirm=True)
        self._po([(self.plain, 5, self.uom_unit, 1.0)], confirm=True)  # unknown carbon: not in any ratio
        Line = self.env["purchase.order.line"]
        domain = [("partner_id", "in", (self.vendor | self.vendor_b).ids), ("state", "=", "purchase")]
        by_product = dict(Line._read_group(domain, ["product_id"], ["carbon_intensity:avg"]))
        self.assertAlmostEqual(by_product[self.fertiliser], 1.01)
        self.assertAlmostEqual(by_product[self.crate], 0.25)
        self.assertFalse(by_product[self.plain])
        carbon = dict(Line._read_group(domain, ["product_id"], ["carbon_amount:sum"]))
        self.assertEqual(carbon[self.fertiliser], 1010.0)
        self.assertIs(carbon[self.plain], False, "the carbon of unassessed lines is unknown, not 0")
        by_vendor = dict(Line._read_group(domain, ["partner_id"], ["carbon_intensity:avg"]))
        self.assertAlmostEqual(by_vendor[self.vendor_b], 1.0)
        self.assertFalse(by_vendor[self.vendor], "fertiliser per kg and crates per unit have no common intensity")
        for model, fname in (("purchase.order", "carbon_intensity_currency"),
                             ("stock.move", "carbon_unit"),
                             ("carbon.move.line", "unit_carbon"),
                             ("product.supplierinfo", "carbon_intensity")):
            self.assertFalse(self.env[model].fields_get([fname], ["aggregator"])[fname].get("aggregator"),
                             f"{model}.{fname} is aggregated")

    # ------------------------------------------------------------------ footers

    def test_list_footers_add_only_like_figures(self):
        """The entries list would add receipts, deliveries and allocations (the same carbon moved
        twice); the ledger lines list every account; the stock moves list receipts and deliveries."""
        for xmlid, fname in (("carbon_move_view_list", "total_carbon"),
                             ("carbon_move_line_view_list", "debit"),
                             ("carbon_move_line_view_list", "credit"),
                             ("carbon_move_line_view_list", "balance"),
                             ("stock_move_view_list_carbon", "carbon_amount")):
            arch = etree.fromstring(self.env.ref(f"carbon_accounting.{xmlid}").arch)
            for node in arch.xpath(f"/list/field[@name='{fname}']"):
                self.assertFalse(node.get("sum"), f"{xmlid}: {fname} is summed")

    # ------------------------------------------------------------------ XLSX

    def test_xlsx_leaves_unassessed_carbon_blank(self):
        self._po([(self.fertiliser, 10, self.uom_kg, 1.0), (self.plain, 1, self.uom_unit, 90.0)],
                 order_date=date(2024, 3, 1), confirm=True)
        wizard = self.env["carbon.xlsx.export"].create({"date_from": date(2024, 3, 1), "date_to": date(2024, 3, 1)})
        wizard.action_export()
        book = load_workbook(BytesIO(base64.b64decode(wizard.file)), data_only=True)
        rows = list(book["Purchase Carbon"].iter_rows(values_only=True))
        start = next(i for i, r in enumerate(rows) if r[0] == "Order")
        header = rows[start]
        records = [dict(zip(header, r, strict=False)) for r in rows[start + 1:] if r[0] != "Total"]
        plain = next(r for r in records if r["Product"] == "Plain item")
        fert = next(r for r in records if r["Product"] == "Organic fertiliser")
        self.assertIsNone(plain["Carbon (kgCO2e)"])
        self.assertIsNone(plain["kgCO2e per Unit"])
        self.assertIsNone(plain["Basis Quantity"])
        self.assertEqual(fert["Carbon (kgCO2e)"], 20.0)
        self.assertEqual(fert["Per"], "kg")
        summary = list(book["Summary"].iter_rows(values_only=True))
        unassessed = next(r for r in summary if r[0] == "Unassessed")
        self.assertEqual(unassessed[1], 1)
        self.assertIsNone(unassessed[2])
