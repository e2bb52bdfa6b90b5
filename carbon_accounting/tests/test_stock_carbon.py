import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools import integrity
from .common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestStockCarbon(StockCarbonCommon):
    """Carbon that moves with stock: receipts, deliveries, returns, scrap, inventory differences,
    in AVCO and FIFO, posted as balanced, immutable carbon entries."""

    # ---------------------------------------------------------------- flows

    def test_receipt_from_purchase_order(self):
        receipt = self._receive(self.honey, 100)
        entry = receipt.carbon_move_line_ids.move_id
        self.assertRecordValues(
            entry, [{"state": "posted", "picking_id": receipt.picking_id.id, "total_carbon": 200.0}]
        )
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
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.honey.id), ("location_id", "=", self.stock.id)]
        )
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

    def test_multi_step_routes_post_only_where_carbon_enters_or_leaves(self):
        """Two-step receipts and pick-then-ship deliveries: the inner steps move carbon between
        valued locations of the company, which changes nothing in its ledger."""
        self.warehouse.write({"reception_steps": "two_steps", "delivery_steps": "pick_ship"})
        Move = self.env["stock.move"]
        receipt = self._receive(self.honey, 10)
        self.assertEqual(receipt.location_dest_id, self.warehouse.wh_input_stock_loc_id)
        store = Move.search([("product_id", "=", self.honey.id), ("state", "not in", ("done", "cancel"))])
        self.assertEqual(store.location_dest_id, self.stock)
        self._validate(store.picking_id)
        StockRule = self.env["stock.rule"]
        StockRule.run([StockRule.Procurement(
            self.honey, 4.0, self.honey.uom_id, self.customers, "pick-ship", "pick-ship", self.company,
            {"warehouse_id": self.warehouse})])
        pick = Move.search([("product_id", "=", self.honey.id), ("location_id", "=", self.stock.id),
                            ("state", "not in", ("done", "cancel"))])
        self._validate(pick.picking_id)
        ship = Move.search([("product_id", "=", self.honey.id), ("location_dest_id", "=", self.customers.id)])
        self._validate(ship.picking_id)
        self.assertFalse(store.carbon_move_line_ids | pick.carbon_move_line_ids)
        self.assertRecordValues(store + pick, [{"carbon_state": "none"}, {"carbon_state": "none"}])
        self.assertRecordValues(self._lines(ship), [
            {"account_id": self.accounts["transferred"].id, "debit": 8.0, "credit": 0.0, "quantity": 4.0},
            {"account_id": self.accounts["inventory"].id, "debit": 0.0, "credit": 8.0, "quantity": -4.0},
        ])
        self.assertEqual(self.env["carbon.move"].search_count(
            [("kind", "=", "stock"), ("line_ids.product_id", "=", self.honey.id)]), 2)
        self.assertEqual(self._inventory(self.honey), (12.0, 6.0))

    def test_missing_factor_never_blocks_validation(self):
        move = self._move(self.unknown, 5, self.suppliers, self.stock)
        self.assertEqual(move.state, "done")
        self.assertRecordValues(move, [{"carbon_state": "unassessed", "carbon_amount": 0.0}])
        self.assertTrue(move.carbon_note)
        self.assertIn(move, self.env["stock.move"].search([("carbon_state", "=", "unassessed")]))
        delivery = self._deliver(self.unknown, 2)
        self.assertEqual(delivery.carbon_state, "unassessed")
        self.assertIn("unknown carbon", delivery.carbon_note)

    def test_dropship_passes_carbon_through(self):
        dropship = self._move(self.honey, 5, self.suppliers, self.customers, self.customer)
        self.assertTrue(dropship.is_dropship)
        self.assertRecordValues(self._lines(dropship), [
            {"account_id": self.accounts["transferred"].id, "debit": 10.0, "credit": 0.0, "quantity": 5.0},
            {"account_id": self.accounts["acquired"].id, "debit": 0.0, "credit": 10.0, "quantity": -5.0},
        ])
        self.assertEqual(self._inventory(self.honey), (0.0, 0.0))

    def test_valued_quantities_are_stock_accounts(self):
        """The valued quantities of a validation's moves, read with the direction stock_account
        stored on them, are those of its ``_get_valued_qty``: receipts, deliveries, internal
        transfers, dropships and lines a vendor still owns (consignment, not valued)."""
        picking = self.env["stock.picking"].create({
            "picking_type_id": self.warehouse.in_type_id.id, "location_id": self.suppliers.id,
            "location_dest_id": self.stock.id,
            "move_ids": [(0, 0, {"product_id": self.honey.id, "product_uom_qty": 10, "product_uom": self.uom_kg.id,
                                 "location_id": self.suppliers.id, "location_dest_id": self.stock.id})],
        })
        picking.action_confirm()
        picking.move_ids.move_line_ids = [(5, 0, 0)] + [(0, 0, {
            "product_id": self.honey.id, "quantity": qty, "product_uom_id": self.uom_kg.id, "owner_id": owner,
            "location_id": self.suppliers.id, "location_dest_id": self.stock.id, "picked": True,
        }) for qty, owner in ((6, False), (4, self.vendor.id))]
        picking.move_ids.picked = True
        picking._action_done()
        shelf = self.env["stock.location"].create({"name": "Shelf", "location_id": self.stock.id, "usage": "internal"})
        moves = picking.move_ids | self._deliver(self.honey, 3) | self._receive(self.wine, 5) \
            | self._move(self.honey, 1, self.stock, shelf) \
            | self._move(self.honey, 2, self.suppliers, self.customers, self.customer)
        self.assertEqual(picking.move_ids._carbon_valued_qtys(), {picking.move_ids.id: 6.0})
        self.assertEqual(moves._carbon_valued_qtys(), {move.id: move._get_valued_qty() for move in moves})

    def test_consumables_carry_no_stock_carbon(self):
        """The carbon of consumables comes with their vendor bills, not with their receipts."""
        box = self._product("Box", uom=self.uom_unit, factor=self.factor_unit, type="consu", is_storable=False)
        move = self._move(box, 10, self.suppliers, self.stock)
        self.assertRecordValues(move, [{"state": "done", "carbon_state": "none"}])
        self.assertFalse(move.carbon_move_line_ids)

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
        today = fields.Date.today()
        self.company.carbon_lock_date = today
        receipt = self._receive(self.honey, 1)
        self.assertEqual(receipt.state, "done", "the carbon lock never refuses a stock move")
        self.assertRecordValues(receipt.carbon_move_line_ids.move_id, [
            {"state": "posted", "date": today + timedelta(days=1), "origin_date": today}])

    def test_hash_chain_reveals_tampering(self):
        self._receive(self.honey, 10)
        self._deliver(self.honey, 4)
        Move = self.env["carbon.move"]
        self.assertIsNone(Move._check_integrity(self.company))
        entries = Move.search(
            [("company_id", "=", self.company.id), ("state", "=", "posted")], order="secure_sequence_number"
        )
        self.assertEqual(entries.mapped("secure_sequence_number"), list(range(1, len(entries) + 1)))
        line = entries[-1].line_ids[0]
        self.env.cr.execute("UPDATE carbon_move_line SET debit = debit + 1 WHERE id = %s", [line.id])
        self.env.invalidate_all()
        self.assertEqual(Move._check_integrity(self.company), entries[-1])
        notification = entries.action_check_integrity()
        self.assertEqual(notification["params"]["type"], "danger")

    def test_the_database_rehashes_the_chain_as_python_hashes_it(self):
        """The check re-performs the hashing in PostgreSQL: a code JSON must escape, figures with
        many decimals, every entry against Python's hash of its payload; a removed entry breaks it."""
        self.accounts["inventory"].code = 'Inv "1" \\ é中\t'
        self._receive(self.honey, 10.123457)
        self._deliver(self.honey, 0.5)
        Move = self.env["carbon.move"]
        entries = Move.search([("company_id", "=", self.company.id), ("state", "=", "posted")],
                              order="secure_sequence_number")
        previous = integrity.GENESIS
        for entry in entries:
            self.assertEqual(entry.inalterable_hash, integrity.entry_hash(previous, entry._hash_payload()))
            previous = entry.inalterable_hash
        self.assertIn('"Inv \\"1\\" \\\\ é中\\t"', json.dumps(entries[0]._hash_payload(), ensure_ascii=False))
        self.assertEqual(Move._integrity_chain(self.company),
                         (len(entries), entries[0].inalterable_hash, entries[-1].inalterable_hash, None))
        self.env.cr.execute("UPDATE carbon_move SET inalterable_hash = NULL WHERE id = %s", [entries[0].id])
        self.assertEqual(Move._check_integrity(self.company), entries[1])

    def test_unassessed_receipt_adjusted_later(self):
        receipt = self._move(self.unknown, 10, self.suppliers, self.stock, self.vendor)
        self.assertEqual(receipt.carbon_state, "unassessed")
        action = receipt.action_carbon_adjust()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create(
            {"unit_carbon": 0.3, "reason": "Supplier EPD received"})
        wizard.action_adjust()
        self.assertRecordValues(receipt, [{"carbon_state": "assessed", "carbon_amount": 3.0, "carbon_unit": 0.3}])
        self.assertEqual(self._inventory(self.unknown), (3.0, 10.0))
        delivery = self._deliver(self.unknown, 4)
        self.assertRecordValues(delivery, [{"carbon_state": "assessed", "carbon_amount": 1.2}])
        with self.assertRaises(UserError):
            wizard.action_adjust()

    def test_adjusting_a_partly_consumed_fifo_receipt(self):
        """What left stock at unknown carbon is booked as transferred; what is left stays in inventory."""
        jar = self._product("FIFO jar", uom=self.uom_unit, categ=self.categ_fifo, is_storable=True)
        receipt = self._move(jar, 10, self.suppliers, self.stock, self.vendor)
        self._deliver(jar, 4)
        wizard = self.env["carbon.stock.adjustment"].create(
            {"move_id": receipt.id, "unit_carbon": 0.5, "reason": "Supplier EPD received"})
        entry = self.env["carbon.move"].browse(wizard.action_adjust()["res_id"])
        self.assertRecordValues(entry.line_ids.sorted(lambda line: (line.account_id.code, line.id)), [
            {"account_id": self.accounts["inventory"].id, "debit": 3.0, "credit": 0.0, "quantity": 6.0,
             "unassessed": False},
            {"account_id": self.accounts["inventory"].id, "debit": 0.0, "credit": 0.0, "quantity": -6.0,
             "unassessed": True},
            {"account_id": self.accounts["acquired"].id, "debit": 0.0, "credit": 5.0, "quantity": 0.0,
             "unassessed": False},
            {"account_id": self.accounts["transferred"].id, "debit": 2.0, "credit": 0.0, "quantity": 0.0,
             "unassessed": False},
        ])
        self.assertRecordValues(receipt, [{"carbon_state": "assessed", "carbon_unit": 0.5, "carbon_amount": 3.0,
                                           "carbon_remaining_qty": 6.0, "carbon_remaining": 3.0}])
        self.assertEqual(entry.kind, "adjustment")
        self.assertRecordValues(self._deliver(jar, 6), [{"carbon_state": "assessed", "carbon_amount": 3.0}])
        check = self.env["carbon.conservation.wizard"].create({})
        check.action_check()
        self.assertTrue(check.is_balanced)
        self.assertEqual(check.product_mismatch_count, 0)

    def test_adjusting_an_avco_receipt_that_has_all_left(self):
        receipt = self._move(self.unknown, 5, self.suppliers, self.stock, self.vendor)
        self._deliver(self.unknown, 5)
        self.env["carbon.stock.adjustment"].create(
            {"move_id": receipt.id, "unit_carbon": 2.0, "reason": "Late declaration"}).action_adjust()
        self.assertEqual(self._inventory(self.unknown), (0.0, 0.0), "no carbon stranded in an empty inventory")
        self.assertEqual(receipt.carbon_amount, 0.0)
        transferred = self.env["carbon.move.line"].search([("account_type", "=", "transferred"),
                                                           ("product_id", "=", self.unknown.id)])
        self.assertEqual(sum(transferred.mapped("balance")), 10.0)

    def test_standard_carbon_with_variance_to_the_pool(self):
        categ = self.env["product.category"].create({"name": "Standard goods", "property_cost_method": "standard"})
        jam = self._product("Lychee jam", uom=self.uom_kg, factor=self.factor_kg, categ=categ, is_storable=True,
                            carbon_standard_unit=1.8)
        receipt = self._receive(jam, 10)                      # actual 2.0 per kg
        self.assertRecordValues(receipt, [{"carbon_unit": 1.8, "carbon_amount": 18.0, "carbon_variance": 2.0}])
        self.assertRecordValues(self._lines(receipt), [
            {"account_id": self.accounts["inventory"].id, "debit": 18.0, "credit": 0.0},
            {"account_id": self.accounts["acquired"].id, "debit": 0.0, "credit": 20.0},
            {"account_id": self.accounts["overhead"].id, "debit": 2.0, "credit": 0.0},
        ])
        cheaper = self._receive(jam, 10, declared=1.5)        # actual 1.5 per kg: variance back to the pool
        self.assertEqual(cheaper.carbon_variance, -3.0)
        delivery = self._deliver(jam, 5)
        self.assertRecordValues(
            delivery, [{"carbon_unit": 1.8, "carbon_amount": 9.0, "carbon_note": "Standard carbon"}]
        )
        check = self.env["carbon.conservation.wizard"].create({})
        check.action_check()
        self.assertTrue(check.is_balanced)
        self.assertEqual(check.product_mismatch_count, 0)
        self.assertEqual(check.unallocated_pool, -1.0)

    def test_setting_the_carbon_of_a_standard_receipt_books_the_variance(self):
        categ = self.env["product.category"].create({"name": "Standard goods", "property_cost_method": "standard"})
        jam = self._product("Jam without factor", uom=self.uom_kg, categ=categ, is_storable=True,
                            carbon_standard_unit=1.8)
        receipt = self._move(jam, 10, self.suppliers, self.stock, self.vendor)
        self.assertRecordValues(receipt, [{"carbon_state": "unassessed", "carbon_amount": 18.0}])
        wizard = self.env["carbon.stock.adjustment"].create(
            {"move_id": receipt.id, "unit_carbon": 2.0, "reason": "Declaration received"})
        entry = self.env["carbon.move"].browse(wizard.action_adjust()["res_id"])
        self.assertEqual(sorted((line.account_type, line.balance) for line in entry.line_ids if line.balance),
                         [("acquired", -2.0), ("overhead", 2.0)])
        self.assertRecordValues(receipt, [{"carbon_state": "assessed", "carbon_unit": 1.8, "carbon_amount": 18.0,
                                           "carbon_variance": 2.0}])

    def test_foreign_currency_order_with_spend_factor(self):
        """A CNY order of a product with no factor of its own: the company's spend factor (in CNY)
        applies at the order's amount, and the receipt carries that carbon."""
        self.company.carbon_spend_factor_id = self.factor_spend          # 0.1 kg per CNY
        jar = self._product("Jar", uom=self.uom_unit, categ=self.categ_avco, is_storable=True)
        order = self._po([(jar, 100, self.uom_unit, 7.0)], currency=self.cny,
                         order_date=fields.Date.today(), confirm=True)
        self.assertRecordValues(order.order_line, [{"carbon_source": "spend", "carbon_amount": 70.0}])
        receipt = self._validate(order.picking_ids).move_ids
        self.assertRecordValues(receipt, [{"carbon_amount": 70.0, "carbon_unit": 0.7}])

    def test_each_company_posts_in_its_own_ledger(self):
        company_b = self.env["res.company"].create({"name": "Lychee Winery B", "currency_id": self.usd.id})
        self.env.user.company_ids |= company_b
        env_b = self.env(context=dict(self.env.context, allowed_company_ids=[company_b.id]))
        warehouse_b = env_b["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        honey_b = self.honey.with_env(env_b)
        honey_b.product_tmpl_id.carbon_factor_id = self.factor_kg
        picking = env_b["stock.picking"].create({
            "picking_type_id": warehouse_b.in_type_id.id, "location_id": self.suppliers.id,
            "location_dest_id": warehouse_b.lot_stock_id.id,
            "move_ids": [(0, 0, {"product_id": honey_b.id, "product_uom_qty": 5, "product_uom": self.uom_kg.id,
                                 "location_id": self.suppliers.id, "location_dest_id": warehouse_b.lot_stock_id.id})],
        })
        picking.action_confirm()
        self._validate(picking)
        entry = picking.carbon_move_ids
        accounts_b = env_b["carbon.account"]._for_company(company_b)
        self.assertRecordValues(
            entry, [{"company_id": company_b.id, "secure_sequence_number": 1, "total_carbon": 10.0}]
        )
        self.assertEqual(entry.line_ids.account_id, accounts_b["inventory"] | accounts_b["acquired"])
        self._receive(self.honey, 1)
        self.assertIsNone(self.env["carbon.move"]._check_integrity(company_b))
        self.assertIsNone(self.env["carbon.move"]._check_integrity(self.company))
        user_a = self.env["res.users"].create(
            {
                "name": "A only",
                "login": "a_only",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "group_ids": [(6, 0, [self.env.ref("carbon_accounting.group_carbon_auditor").id])],
            }
        )
        self.assertNotIn(entry, self.env["carbon.move"].with_user(user_a).search([]))
