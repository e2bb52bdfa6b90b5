from odoo import Command
from odoo.tests import tagged

from .common import ProductionCarbonCommon


@tagged("post_install", "-at_install")
class TestAllocationFollowsGoods(ProductionCarbonCommon):
    """The pool allocated to production goes where the finished goods went: inventory, customers
    (net of their returns), the products made from them, scrap."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.giftbox = cls._product("Gift box of mead", uom=cls.uom_unit, categ=cls.categ_avco, is_storable=True)
        cls.bom_giftbox = cls.env["mrp.bom"].create({
            "product_tmpl_id": cls.giftbox.product_tmpl_id.id, "product_qty": 1,
            "bom_line_ids": [Command.create({"product_id": cls.mead.id, "product_qty": 1})],
        })

    def test_overhead_follows_the_goods(self):
        self._receive(self.honey, 40)
        self._receive(self.wine, 20)
        mead = self._produce(10).move_finished_ids                 # 10 mead, 10 kg wax (10 % of the cost)
        mead_move = mead.filtered(lambda m: m.product_id == self.mead)
        wax_move = mead - mead_move
        delivery = self._deliver(self.mead, 5)
        self._return(delivery, 1)                                  # 4 mead stay with the customer
        gift_move = self._produce(3, bom=self.bom_giftbox).move_finished_ids   # 3 mead into 3 gift boxes
        scrap = self._scrap(self.mead, 1)                          # 2 mead left in stock
        gift_delivery = self._deliver(self.giftbox, 1)             # 2 gift boxes left in stock
        self._power_bill(1040)                                     # 520 kg in the pool
        allocation = self._allocate("production")
        # to each production by its main product's quantity: 10 mead 400, 3 gift boxes 120;
        # then by cost share: the wax 10 % of 400
        self.assertRecordValues(allocation.line_ids.sorted(lambda line: line.product_id.id), [
            {"product_id": self.mead.id, "quantity": 10.0, "carbon": 360.0},
            {"product_id": self.wax.id, "quantity": 10.0, "carbon": 40.0},
            {"product_id": self.giftbox.id, "quantity": 3.0, "carbon": 120.0},
        ])
        allocation.action_post()
        # mead: 2 of 10 in stock 72; 288 over the net outflows 4 delivered, 3 into gift boxes, 1 scrapped
        # (36 a unit): 144 to the customer, 36 scrapped, 108 into the gift boxes, of which 2 of 3 in
        # stock (72) and 1 delivered (36); the gift boxes' own 120: 80 in stock, 40 delivered
        lines = allocation.carbon_move_id.line_ids.sorted(lambda line: (line.account_id.code, line.product_id.id))
        self.assertRecordValues(lines, [
            {"account_id": self.accounts["inventory"].id, "product_id": self.mead.id, "stock_move_id": mead_move.id,
             "partner_id": False, "debit": 72.0, "credit": 0.0},
            {"account_id": self.accounts["inventory"].id, "product_id": self.wax.id, "stock_move_id": wax_move.id,
             "partner_id": False, "debit": 40.0, "credit": 0.0},
            {"account_id": self.accounts["inventory"].id, "product_id": self.giftbox.id,
             "stock_move_id": gift_move.id, "partner_id": False, "debit": 152.0, "credit": 0.0},
            {"account_id": self.accounts["overhead"].id, "product_id": False, "stock_move_id": False,
             "partner_id": False, "debit": 0.0, "credit": 520.0},
            {"account_id": self.accounts["transferred"].id, "product_id": self.mead.id,
             "stock_move_id": delivery.id, "partner_id": self.customer.id, "debit": 144.0, "credit": 0.0},
            {"account_id": self.accounts["transferred"].id, "product_id": self.giftbox.id,
             "stock_move_id": gift_delivery.id, "partner_id": self.customer.id, "debit": 76.0, "credit": 0.0},
            {"account_id": self.accounts["writeoff"].id, "product_id": self.mead.id, "stock_move_id": scrap.id,
             "partner_id": False, "debit": 36.0, "credit": 0.0},
        ])
        check = self._check()
        self.assertTrue(check.is_balanced, check.difference)
        self.assertEqual(check.product_mismatch_count, 0)
        self.assertEqual(check.unallocated_pool, 0.0)
        self.assertEqual(check.work_in_progress, 0.0)

    def test_fifo_goods_returned_take_their_share_back(self):
        cider = self._product("Lychee cider", uom=self.uom_unit, categ=self.categ_fifo, is_storable=True)
        bom = self.env["mrp.bom"].create({
            "product_tmpl_id": cider.product_tmpl_id.id, "product_qty": 1,
            "bom_line_ids": [Command.create({"product_id": self.wine.id, "product_qty": 1})],
        })
        self._receive(self.wine, 4)
        made = self._produce(4, bom=bom).move_finished_ids
        delivery = self._move(cider, 3, self.stock, self.customers, self.customer)
        back = self._return(delivery, 1)                           # FIFO: a receipt of its own
        self._power_bill(80)                                       # 40 kg, 10 a cider
        allocation = self._allocate("production")
        allocation.action_post()
        # 1 of the 4 made still in stock (10); of the 3 delivered, 1 came back (10 into inventory
        # on the return, where FIFO holds it) and 2 stay with the customer (20)
        lines = allocation.carbon_move_id.line_ids.filtered("stock_move_id").sorted("stock_move_id")
        self.assertRecordValues(lines, [
            {"account_id": self.accounts["inventory"].id, "stock_move_id": made.id, "debit": 10.0},
            {"account_id": self.accounts["transferred"].id, "stock_move_id": delivery.id, "debit": 20.0},
            {"account_id": self.accounts["inventory"].id, "stock_move_id": back.id, "debit": 10.0},
        ])
        self.assertRecordValues(back, [{"carbon_remaining_qty": 1.0, "carbon_remaining": back.carbon_amount}])
        check = self._check()
        self.assertTrue(check.is_balanced, check.difference)
        self.assertEqual(check.product_mismatch_count, 0)

    def test_unbuilt_goods_take_their_share_into_the_components(self):
        self._receive(self.honey, 20)                              # 2.0 a kg
        self._receive(self.wine, 10)                               # 0.25 a unit
        production = self._produce(5)
        finished = production.move_finished_ids
        unbuild = self._unbuild(production, 2)                     # 2 mead, 2 kg wax back into 4 kg honey, 2 wine
        honey_back, wine_back = unbuild.produce_line_ids.filtered(
            lambda m: m.location_id.usage == "production").sorted(lambda m: m.product_id.id)
        self._power_bill(200)                                      # 100 kg: the mead 90, the wax 10
        allocation = self._allocate("production")
        allocation.action_post()
        # 3 of 5 of each still in stock: mead 54, wax 6; the unbuilt 36 + 4 into the components by
        # their carbon (honey 8, wine 0.5): honey 40 x 8 / 8.5, wine the rest
        lines = allocation.carbon_move_id.line_ids.filtered("stock_move_id").sorted("stock_move_id")
        self.assertRecordValues(lines, [
            {"account_id": self.accounts["inventory"].id, "stock_move_id": finished[0].id, "debit": 54.0},
            {"account_id": self.accounts["inventory"].id, "stock_move_id": finished[1].id, "debit": 6.0},
            {"account_id": self.accounts["inventory"].id, "stock_move_id": honey_back.id, "debit": 37.647059},
            {"account_id": self.accounts["inventory"].id, "stock_move_id": wine_back.id, "debit": 2.352941},
        ])
        check = self._check()
        self.assertTrue(check.is_balanced, check.difference)
        self.assertEqual(check.product_mismatch_count, 0)
        self.assertEqual(check.work_in_progress, 0.0)
