from odoo import fields
from odoo.tests import Form

from .common import CarbonCommon


class StockCarbonCommon(CarbonCommon):
    """A warehouse, an AVCO and a FIFO product with factors, one without, and helpers that
    receive, deliver, return and validate as a user does."""

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
        return moves.carbon_move_line_ids.sorted(lambda line: (line.move_id.id, line.id))

    def _inventory(self, product):
        groups = self.env["carbon.move.line"]._read_group(
            [("product_id", "=", product.id), ("account_type", "=", "inventory"), ("state", "=", "posted")],
            [], ["balance:sum", "quantity:sum"])
        return groups[0]

