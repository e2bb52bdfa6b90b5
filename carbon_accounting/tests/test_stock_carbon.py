from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CarbonCommon


@tagged("post_install", "-at_install")
class TestStockCarbon(CarbonCommon):
    """Carbon that moves with stock: receipts, deliveries, returns, scrap, inventory differences,
    in AVCO and FIFO, posted as balanced, immutable carbon entries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.suppliers = cls.env.ref("stock.stock_location_suppliers")
        cls.customer = cls.env["res.partner"].create({"name": "Shenzhen Fruit Market"})
        cls.categ_avco = cls.env["product.category"].create({"name": "AVCO goods", "property_cost_method": "average"})
        cls.categ_fifo = cls.env["product.category"].create({"name": "FIFO goods", "property_cost_method": "fifo"})
        cls.honey = cls._product("Lychee honey", uom=cls.uom_kg, factor=cls.factor_kg, categ=cls.categ_avco,
                                 is_storable=True)
        cls.wine = cls._product("Lychee wine", uom=cls.uom_unit, factor=cls.factor_unit, categ=cls.categ_fifo,
                                is_storable=True)
        cls.unknown = cls._product("Unknown jar", uom=cls.uom_unit, categ=cls.categ_avco, is_storable=True)
        cls.accounts = cls.env["carbon.account"]._for_company(cls.company)

    # ---------------------------------------------------------------- helpers

    def _validate(self, picking, quantities=None):
        for move in picking.move_ids:
            move.quantity = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.picked = True
        picking._action_done()
        return picking

    def _receive(self, product, qty, declared=None, partner=None):
        """Receive ``qty`` through a confirmed purchase order (optionally vendor-declared carbon)."""
        partner = partner or self.vendor
        if declared is not None:
            self.env["product.supplierinfo"].create({
                "partner_id": partner.id, "product_tmpl_id": product.product_tmpl_id.id,
                "carbon_intensity": declared, "carbon_data_quality": "primary",
            })
        order = self._po([(product, qty, product.uom_id, 1.0)], partner=partner, order_date=fields.Date.today(),
                         confirm=True)
        return self._validate(order.picking_ids).move_ids

    def _move(self, product, qty, source, dest, partner=None):
        picking_type = self.warehouse.out_type_id if dest.usage == "customer" else self.warehouse.in_type_id
        picking = self.env["stock.picking"].create({
            "picking_type_id": picking_type.id, "location_id": source.id, "location_dest_id": dest.id,
            "partner_id": partner.id if partner else False,
            "move_ids": [(0, 0, {"product_id": product.id, "product_uom_qty": qty, "product_uom": product.uom_id.id,
                                 "location_id": source.id, "location_dest_id": dest.id})],
        })
        picking.action_confirm()
        return self._validate(picking).move_ids

    def _deliver(self, product, qty):
        return self._move(product, qty, self.stock, self.customers, self.customer)

    def _return(self, move, qty):
        wizard = Form(self.env["stock.return.picking"].with_context(
            active_ids=move.picking_id.ids, active_id=move.picking_id.id, active_model="stock.picking")).save()
        wizard.product_return_moves.quantity = qty
        picking = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        return self._validate(picking, {move.product_id: qty}).move_ids

    def _lines(self, moves):
        return moves.carbon_move_line_ids.sorted(lambda l: (l.move_id.id, l.id))

    def _inventory(self, product):
        groups = self.env["carbon.move.line"]._read_group(
            [("product_id", "=", product.id), ("account_type", "=", "inventory"), ("state", "=", "posted")],
            [], ["balance:sum", "quantity:sum"])
        return groups[0]

    # ---------------------------------------------------------------- flows

    def test_receipt_from_purchase_order(self):
        receipt = self._receive(self.honey, 100)
        entry = receipt.carbon_move_line_ids.move_id
        self.assertRecordValues(entry, [{"state": "posted", "picking_id": receipt.picking_id.id, "total_carbon": 200.0}])
        self.assertRecordValues(self._lines(receipt), [
            {"account_id": self.accounts["inventory"].id, "debit": 200.0, "credit": 0.0, "quantity": 100.0,
             "unit_carbon": 2.0, "partner_id": self.vendor.id, "factor_id": self.factor_kg.id, "scope": "3",
             "scope3_category": "1", "product_id": self.honey.id},
            {"account_id": self.accounts["acquired"].id, "debit": 0.0, "credit": 200.0, "quantity": -100.0,
             "unit_carbon": 2.0, "partner_id": self.vendor.id, "factor_id": self.factor_kg.id, "scope": "3",
             "scope3_category": "1", "product_id": self.honey.id},
        ])
        self.assertRecordValues(receipt, [{"carbon_state": "assessed", "carbon_unit": 2.0, "carbon_amount": 200.0}])
        self.assertTrue(entry.name.startswith("CARB/"))

    def test_avco_delivery_takes_the_average(self):
        self._receive(self.honey, 100)                           # 100 kg at 2.0
        self._receive(self.honey, 100, declared=1.0)             # 100 kg at 1.0 (vendor-declared)
        delivery = self._deliver(self.honey, 50)
        self.assertRecordValues(self._lines(delivery), [
            {"account_id": self.accounts["transferred"].id, "debit": 75.0, "credit": 0.0, "quantity": 50.0,
             "partner_id": self.customer.id, "unit_carbon": 1.5},
            {"account_id": self.accounts["inventory"].id, "debit": 0.0, "credit": 75.0, "quantity": -50.0,
             "partner_id": self.customer.id, "unit_carbon": 1.5},
        ])
        self.assertEqual(self._inventory(self.honey), (225.0, 150.0))

    def test_fifo_delivery_consumes_the_oldest_receipts(self):
        first = self._receive(self.wine, 10)                     # 10 x 0.25
        second = self._receive(self.wine, 10, declared=0.5)      # 10 x 0.5
        delivery = self._deliver(self.wine, 15)
        self.assertRecordValues(delivery, [{"carbon_amount": 5.0, "carbon_unit": 5.0 / 15}])
        self.assertRecordValues(first + second, [
            {"carbon_remaining_qty": 0.0, "carbon_remaining": 0.0},
            {"carbon_remaining_qty": 5.0, "carbon_remaining": 2.5},
        ])
        self.assertEqual(self._inventory(self.wine), (2.5, 5.0))

    def test_return_to_vendor_reverses_the_acquisition(self):
        receipt = self._receive(self.honey, 10)
        returned = self._return(receipt, 4)
        self.assertRecordValues(self._lines(returned), [
            {"account_id": self.accounts["acquired"].id, "debit": 8.0, "credit": 0.0, "quantity": 4.0,
             "partner_id": self.vendor.id},
            {"account_id": self.accounts["inventory"].id, "debit": 0.0, "credit": 8.0, "quantity": -4.0,
             "partner_id": self.vendor.id},
        ])

    def test_customer_return_comes_back_at_the_delivered_carbon(self):
        self._receive(self.wine, 10)
        delivery = self._deliver(self.wine, 6)
        back = self._return(delivery, 2)
        self.assertRecordValues(self._lines(back), [
            {"account_id": self.accounts["inventory"].id, "debit": 0.5, "credit": 0.0, "quantity": 2.0},
            {"account_id": self.accounts["transferred"].id, "debit": 0.0, "credit": 0.5, "quantity": -2.0},
        ])

    def test_scrap_is_written_off(self):
        self._receive(self.honey, 10)
        scrap = self.env["stock.scrap"].create({
            "product_id": self.honey.id, "scrap_qty": 3, "product_uom_id": self.uom_kg.id,
            "location_id": self.stock.id,
        })
        scrap.action_validate()
        self.assertRecordValues(self._lines(scrap.move_ids), [
            {"account_id": self.accounts["writeoff"].id, "debit": 6.0, "credit": 0.0, "quantity": 3.0},
            {"account_id": self.accounts["inventory"].id, "debit": 0.0, "credit": 6.0, "quantity": -3.0},
        ])

    def test_inventory_differences(self):
        self._receive(self.honey, 10)
        quant = self.env["stock.quant"].search([("product_id", "=", self.honey.id), ("location_id", "=", self.stock.id)])
        quant.with_context(inventory_mode=True).write({"inventory_quantity": 8})
        quant.action_apply_inventory()
        loss = self.env["stock.move"].search([("product_id", "=", self.honey.id), ("is_inventory", "=", True)])
        self.assertRecordValues(self._lines(loss), [
            {"account_id": self.accounts["writeoff"].id, "debit": 4.0, "credit": 0.0},
            {"account_id": self.accounts["inventory"].id, "debit": 0.0, "credit": 4.0},
        ])
        quant.with_context(inventory_mode=True).write({"inventory_quantity": 11})
        quant.action_apply_inventory()
        gain = self.env["stock.move"].search([("product_id", "=", self.honey.id), ("is_inventory", "=", True)]) - loss
        self.assertRecordValues(self._lines(gain), [
            {"account_id": self.accounts["inventory"].id, "debit": 6.0, "credit": 0.0, "factor_id": self.factor_kg.id},
            {"account_id": self.accounts["writeoff"].id, "debit": 0.0, "credit": 6.0, "factor_id": self.factor_kg.id},
        ])

    def test_missing_factor_never_blocks_validation(self):
        move = self._move(self.unknown, 5, self.suppliers, self.stock)
        self.assertEqual(move.state, "done")
        self.assertRecordValues(move, [{"carbon_state": "unassessed", "carbon_amount": 0.0}])
        self.assertTrue(move.carbon_note)
        self.assertIn(move, self.env["stock.move"].search([("carbon_state", "=", "unassessed")]))
        delivery = self._deliver(self.unknown, 2)
        self.assertEqual(delivery.carbon_state, "unassessed")
        self.assertIn("unknown carbon", delivery.carbon_note)

    def test_one_entry_per_validation(self):
        picking = self.env["stock.picking"].create({
            "picking_type_id": self.warehouse.in_type_id.id, "location_id": self.suppliers.id,
            "location_dest_id": self.stock.id, "partner_id": self.vendor.id,
            "move_ids": [(0, 0, {"product_id": p.id, "product_uom_qty": 4, "product_uom": p.uom_id.id,
                                 "location_id": self.suppliers.id, "location_dest_id": self.stock.id})
                         for p in (self.honey, self.wine, self.unknown)],
        })
        picking.action_confirm()
        self._validate(picking)
        self.assertEqual(len(picking.carbon_move_ids), 1)
        self.assertEqual(len(picking.carbon_move_ids.line_ids), 6)
        self.assertEqual(picking.carbon_move_ids.total_carbon, 9.0)

    # ---------------------------------------------------------------- integrity

    def test_posted_entries_are_immutable_and_reversible(self):
        entry = self._receive(self.honey, 10).carbon_move_line_ids.move_id
        with self.assertRaisesRegex(UserError, "reverse"):
            entry.date = entry.date - timedelta(days=1)
        with self.assertRaisesRegex(UserError, "reverse"):
            entry.line_ids[0].debit = 1.0
        with self.assertRaisesRegex(UserError, "reverse"):
            entry.unlink()
        with self.assertRaisesRegex(UserError, "reverse"):
            entry.line_ids[0].unlink()
        entry.action_reverse()
        reversal = entry.reversal_ids
        self.assertRecordValues(reversal, [{"state": "posted", "reversed_entry_id": entry.id, "total_carbon": 20.0}])
        self.assertEqual(self._inventory(self.honey), (0.0, 0.0))
        with self.assertRaises(UserError):
            entry.action_reverse()

    def test_unbalanced_entries_are_refused(self):
        entry = self.env["carbon.move"].create({"line_ids": [
            (0, 0, {"account_id": self.accounts["direct"].id, "debit": 0.0, "credit": 1.0}),
            (0, 0, {"account_id": self.accounts["overhead"].id, "debit": 1.001, "credit": 0.0}),
        ]})
        with self.assertRaisesRegex(Exception, "not balanced"):
            entry.action_post()

    def test_lock_date(self):
        self.company.carbon_lock_date = fields.Date.today()
        with self.assertRaisesRegex(UserError, "locked"):
            self._receive(self.honey, 1)

    def test_hash_chain_reveals_tampering(self):
        self._receive(self.honey, 10)
        self._deliver(self.honey, 4)
        Move = self.env["carbon.move"]
        self.assertIsNone(Move._check_integrity(self.company))
        entries = Move.search([("company_id", "=", self.company.id), ("state", "=", "posted")], order="secure_sequence_number")
        self.assertEqual(entries.mapped("secure_sequence_number"), list(range(1, len(entries) + 1)))
        line = entries[-1].line_ids[0]
        self.env.cr.execute("UPDATE carbon_move_line SET debit = debit + 1 WHERE id = %s", [line.id])
        self.env.invalidate_all()
        self.assertEqual(Move._check_integrity(self.company), entries[-1])
        notification = entries.action_check_integrity()
        self.assertEqual(notification["params"]["type"], "danger")
