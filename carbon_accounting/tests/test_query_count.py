from contextlib import ExitStack
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from .common_stock import StockCarbonCommon

#: The carbon steps of a stock validation (stock.move._action_done).
CARBON_STEPS = ("_carbon_value_out", "_carbon_value_in", "_carbon_value_use", "_carbon_settle_pending",
                "_carbon_post")


@tagged("post_install", "-at_install")
class TestQueryCount(StockCarbonCommon):
    """Carbon adds a constant number of queries to a validation, whatever its number of lines:
    no ORM call per move on the hot path."""

    def _picking(self, products, source, dest, picking_type):
        picking = self.env["stock.picking"].create({
            "picking_type_id": picking_type.id, "location_id": source.id, "location_dest_id": dest.id,
            "partner_id": self.vendor.id,
            "move_ids": [Command.create({"product_id": p.id, "product_uom_qty": 3, "product_uom": p.uom_id.id,
                                         "location_id": source.id, "location_dest_id": dest.id}) for p in products],
        })
        picking.action_confirm()
        picking.move_ids.write({"quantity": 3, "picked": True})
        return picking

    def _carbon_queries(self, picking):
        """Validate ``picking``; the queries its carbon steps ran (their writes flushed), Odoo's own
        work left out."""
        Move = type(self.env["stock.move"])
        counted = [0]

        def counting(original):
            def step(records, *args, **kwargs):
                records.env.flush_all()
                before = records.env.cr.sql_log_count
                result = original(records, *args, **kwargs)
                records.env.flush_all()
                counted[0] += records.env.cr.sql_log_count - before
                return result
            return step

        with ExitStack() as stack:
            for name in CARBON_STEPS:
                stack.enter_context(patch.object(Move, name, counting(getattr(Move, name))))
            picking._action_done()
        return counted[0]

    def _products(self, count, categ):
        return self.env["product.product"].create([{
            "name": f"Jar {categ.name} {i}", "uom_id": self.uom_kg.id, "is_storable": True, "categ_id": categ.id,
            "carbon_factor_id": self.factor_kg.id,
        } for i in range(count)])

    def test_carbon_queries_do_not_grow_with_the_lines(self):
        out_type = self.warehouse.out_type_id
        for categ in (self.categ_avco, self.categ_fifo):
            queries = {}
            for size in (1, 3, 30):  # the first validation warms caches up
                products = self._products(size, categ)
                receipt = self._picking(products, self.suppliers, self.stock, self.warehouse.in_type_id)
                delivery = self._picking(products, self.stock, self.customers, out_type)
                queries[size] = (self._carbon_queries(receipt), self._carbon_queries(delivery))
            self.assertEqual(queries[3], queries[30], f"{categ.name}: carbon queries for 3 and 30 lines")
            self.assertLessEqual(max(queries[30]), 16, queries)
