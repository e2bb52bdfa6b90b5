from datetime import date

from odoo import Command
from odoo.tests import Form, tagged

from .common import CarbonCommon


@tagged("post_install", "-at_install")
class TestPurchaseCarbon(CarbonCommon):

    def _line(self, product, qty, uom, price=10.0, **kw):
        return self._po([(product, qty, uom, price)], **kw).order_line

    def test_product_factor_with_unit_conversion(self):
        """A factor per kg applies to lines bought in tonnes and in boxes of 5 kg."""
        in_tonnes = self._line(self.fertiliser, 2, self.uom_ton)
        in_boxes = self._line(self.fertiliser, 3, self.uom_box5)
        self.assertRecordValues(in_tonnes + in_boxes, [
            {"carbon_source": "product", "carbon_factor_id": self.factor_kg.id, "carbon_quantity": 2000.0,
             "carbon_quantity_uom_id": self.uom_kg.id, "carbon_rate": 2.0, "carbon_amount": 4000.0,
             "carbon_intensity": 2.0, "carbon_note": False},
            {"carbon_source": "product", "carbon_factor_id": self.factor_kg.id, "carbon_quantity": 15.0,
             "carbon_quantity_uom_id": self.uom_kg.id, "carbon_rate": 2.0, "carbon_amount": 30.0,
             "carbon_intensity": 2.0, "carbon_note": False},
        ])

    def test_vendor_declaration_comes_first(self):
        self.env["product.supplierinfo"].create({
            "partner_id": self.vendor.id, "product_tmpl_id": self.fertiliser.product_tmpl_id.id,
            "product_uom_id": self.uom_ton.id, "price": 500.0,
            "carbon_intensity": 1200.0, "carbon_data_quality": "verified",
        })
        line = self._line(self.fertiliser, 500, self.uom_kg)
        self.assertRecordValues(line, [{
            "carbon_source": "vendor", "carbon_factor_id": False, "carbon_quantity": 0.5,
            "carbon_quantity_uom_id": self.uom_ton.id, "carbon_rate": 1200.0, "carbon_amount": 600.0,
            "carbon_intensity": 1.2,
        }])
        self.assertEqual(line.carbon_supplierinfo_id.partner_id, self.vendor)
        # another vendor's order of the same product falls back to the product factor
        other = self._line(self.fertiliser, 500, self.uom_kg, partner=self.vendor_b)
        self.assertEqual(other.carbon_source, "product")
        self.assertEqual(other.carbon_amount, 1000.0)

    def test_price_line_without_data_quality_declares_nothing(self):
        self.env["product.supplierinfo"].create({
            "partner_id": self.vendor.id, "product_tmpl_id": self.fertiliser.product_tmpl_id.id, "price": 1.0,
        })
        self.assertEqual(self._line(self.fertiliser, 1, self.uom_kg).carbon_source, "product")

    def test_expired_declaration_is_not_used(self):
        self.env["product.supplierinfo"].create({
            "partner_id": self.vendor.id, "product_tmpl_id": self.fertiliser.product_tmpl_id.id,
            "carbon_intensity": 1.0, "carbon_data_quality": "primary", "date_end": date(2023, 12, 31),
        })
        self.assertEqual(self._line(self.fertiliser, 1, self.uom_kg).carbon_source, "product")

    def test_weight_bridges_units_and_mass(self):
        """A per-kg factor applies to a product counted in Units through its weight."""
        jar = self._product("Honey jar", uom=self.uom_unit, factor=self.factor_kg, weight=0.5)
        line = self._line(jar, 10, self.uom_unit)
        self.assertRecordValues(line, [{"carbon_source": "product", "carbon_quantity": 5.0, "carbon_amount": 10.0}])

    def test_unconvertible_unit_falls_back_and_says_why(self):
        """A per-kg product factor cannot apply to Units without a weight: the category's factor does."""
        self.categ_parent.carbon_factor_id = self.factor_unit
        item = self._product("Seedling", uom=self.uom_unit, factor=self.factor_kg, categ=self.categ)
        line = self._line(item, 4, self.uom_unit)
        self.assertRecordValues(line, [{"carbon_source": "category", "carbon_factor_id": self.factor_unit.id,
                                        "carbon_amount": 1.0}])
        self.assertIn("Units", line.carbon_note)
        self.assertIn("kg", line.carbon_note)

    def test_category_factor_is_inherited_from_parent(self):
        self.categ_parent.carbon_factor_id = self.factor_unit
        item = self._product("Trap", uom=self.uom_unit, categ=self.categ)
        self.assertRecordValues(self._line(item, 8, self.uom_unit), [
            {"carbon_source": "category", "carbon_factor_id": self.factor_unit.id, "carbon_amount": 2.0},
        ])

    def test_spend_factor_converts_currency_at_order_date(self):
        self.company.carbon_spend_factor_id = self.factor_spend
        # 3 x 100 USD = 300 USD; 1 USD = 7 CNY in 2024 and 8 CNY from 2025; 0.1 kg per CNY
        line_2024 = self._line(self.plain, 3, self.uom_unit, price=100.0, order_date=date(2024, 6, 1))
        line_2025 = self._line(self.plain, 3, self.uom_unit, price=100.0, order_date=date(2025, 6, 1))
        self.assertRecordValues(line_2024 + line_2025, [
            {"carbon_source": "spend", "carbon_quantity": 2100.0, "carbon_quantity_uom_id": False,
             "carbon_amount": 210.0, "carbon_intensity": 70.0},
            {"carbon_source": "spend", "carbon_quantity": 2400.0, "carbon_quantity_uom_id": False,
             "carbon_amount": 240.0, "carbon_intensity": 80.0},
        ])

    def test_unassessed_is_visible_never_zero(self):
        order = self._po([(self.plain, 5, self.uom_unit, 10.0), (self.crate, 4, self.uom_unit, 2.0)])
        unassessed, assessed = order.order_line
        self.assertEqual(unassessed.carbon_source, "unassessed")
        self.assertTrue(unassessed.carbon_note)
        self.assertFalse(unassessed.carbon_factor_id)
        self.assertRecordValues(
            order, [{"carbon_state": "partial", "carbon_unassessed_count": 1, "carbon_amount": 1.0}]
        )
        only_unassessed = self._po([(self.plain, 1, self.uom_unit, 10.0)])
        self.assertEqual(only_unassessed.carbon_state, "unassessed")
        # adding the missing factor and recomputing assesses the RFQ
        self.plain.carbon_factor_id = self.factor_unit
        order.action_carbon_recompute()
        self.assertRecordValues(
            order, [{"carbon_state": "assessed", "carbon_unassessed_count": 0, "carbon_amount": 2.25}]
        )

    def test_sections_and_notes_carry_no_carbon(self):
        order = self._po([(self.crate, 4, self.uom_unit, 2.0)])
        order.order_line = [Command.create({"display_type": "line_note", "name": "Handle with care", "product_qty": 0})]
        note = order.order_line.filtered("display_type")
        self.assertFalse(note.carbon_source)
        self.assertEqual(order.carbon_state, "assessed")

    def test_order_totals_and_intensity_per_currency(self):
        order = self._po([(self.fertiliser, 100, self.uom_kg, 2.0), (self.crate, 40, self.uom_unit, 5.0)])
        # 200 kg + 10 kg for 400 USD untaxed
        self.assertRecordValues(order, [{"carbon_amount": 210.0, "carbon_intensity_currency": 0.525}])
        order_cny = self._po([(self.fertiliser, 100, self.uom_kg, 14.0)], currency=self.cny)
        # 1400 CNY = 200 USD in 2024
        self.assertAlmostEqual(order_cny.carbon_intensity_currency, 1.0)

    def test_factor_version_valid_on_order_date(self):
        self.factor_kg.date_from = date(2024, 1, 1)
        wizard = self.env["carbon.factor.version.wizard"].create(
            {"factor_id": self.factor_kg.id, "date_from": date(2025, 1, 1), "value": 3.0}
        )
        wizard.action_create_version()
        v2 = self.env["carbon.emission.factor"].search([("code", "=", "TEST.FERT"), ("version", "=", 2)])
        old = self._line(self.fertiliser, 10, self.uom_kg, order_date=date(2024, 12, 31))
        new = self._line(self.fertiliser, 10, self.uom_kg, order_date=date(2025, 1, 1))
        self.assertRecordValues(old + new, [
            {"carbon_factor_id": self.factor_kg.id, "carbon_amount": 20.0},
            {"carbon_factor_id": v2.id, "carbon_amount": 30.0},
        ])
        too_early = self._line(self.fertiliser, 10, self.uom_kg, order_date=date(2023, 6, 1))
        self.assertEqual(too_early.carbon_source, "unassessed")
        self.assertIn("no version valid", too_early.carbon_note)

    def test_confirmed_line_keeps_its_rule_and_rate(self):
        order = self._po([(self.fertiliser, 10, self.uom_kg, 1.0)], confirm=True)
        line = order.order_line
        self.assertEqual(order.state, "purchase")
        self.assertEqual(line.carbon_amount, 20.0)
        # a vendor declaration added later does not change a confirmed line ...
        self.env["product.supplierinfo"].create({
            "partner_id": self.vendor.id, "product_tmpl_id": self.fertiliser.product_tmpl_id.id,
            "carbon_intensity": 0.1, "carbon_data_quality": "primary",
        })
        # ... but its quantity still drives the carbon, at the same factor version and rate
        line.product_qty = 12
        self.assertRecordValues(line, [{"carbon_source": "product", "carbon_factor_id": self.factor_kg.id,
                                        "carbon_rate": 2.0, "carbon_amount": 24.0}])
        self.assertEqual(order.carbon_amount, 24.0)

    def test_rounding_to_the_milligram(self):
        self.factor_kg.value = 0.1234567
        line = self._line(self.fertiliser, 3, self.uom_kg)
        self.assertEqual(line.carbon_rate, 0.123457)
        self.assertEqual(line.carbon_amount, 0.370371)  # 3 x 0.123457, kept to the milligram

    def test_form_shows_carbon_as_user_edits(self):
        with Form(self.env["purchase.order"]) as po:
            po.partner_id = self.vendor
            with po.order_line.new() as line:
                line.product_id = self.fertiliser
                line.product_qty = 4
        order = po.save()
        self.assertEqual(order.carbon_amount, 8.0)

    def test_query_count_does_not_grow_with_lines(self):
        """Resolving carbon costs no query per line: 20 lines cost what 2 lines cost."""
        def queries(order):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            order.action_carbon_recompute()
            self.env.flush_all()
            return self.cr.sql_log_count - before

        small = self._po([(self.fertiliser, 1, self.uom_kg, 1.0)] * 2)
        big = self._po([(self.fertiliser, 1, self.uom_kg, 1.0)] * 20)
        self.assertLessEqual(queries(big), queries(small))

    def test_line_unit_unrelated_to_the_product_unit(self):
        """A line in a unit the product's unit cannot reach keeps its carbon, without intensity."""
        crate_uom = self.env["uom.uom"].create({"name": "Crate of 20 kg", "relative_factor": 20.0,
                                                "relative_uom_id": self.uom_kg.id})
        line = self._po([(self.plain, 2, crate_uom, 1.0)]).order_line
        self.plain.carbon_factor_id = self.factor_kg
        line.order_id.action_carbon_recompute()
        self.assertRecordValues(line, [{"carbon_source": "product", "carbon_amount": 80.0, "carbon_intensity": 0.0}])
        self.assertIn("no kgCO2e per product unit", line.carbon_note)
