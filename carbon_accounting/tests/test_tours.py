import base64

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common_roles import ROLES


@tagged("post_install", "-at_install", "carbon_tour")
class TestCarbonTours(HttpCase):
    """The app as its users meet it, in a real browser: each role walks its Carbon menus and opens a
    record of every kind behind a carbon figure; a buyer orders, receives and finds the carbon; an
    accountant imports a bad factor file. The records are the ones the tours look for
    (static/tests/tours/carbon_tours.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        uom_kg = cls.env.ref("uom.product_uom_kgm")
        cls.factor = cls.env["carbon.emission.factor"].create({
            "name": "Tour fertiliser factor", "code": "TOUR.FERT", "source": "Tour / publisher / 2024",
            "basis": "physical", "uom_id": uom_kg.id, "value": 2.0, "scope": "3", "scope3_category": "1",
        })
        cls.vendor = cls.env["res.partner"].create({"name": "Tour Orchard Supplies"})
        cls.product = cls.env["product.product"].create({
            "name": "Tour fertiliser", "uom_id": uom_kg.id, "purchase_ok": True, "type": "consu",
            "is_storable": True, "carbon_factor_id": cls.factor.id, "standard_price": 3.0,
        })
        order = cls.env["purchase.order"].create({
            "name": "PO-CARBON-TOUR", "partner_id": cls.vendor.id,
            "order_line": [Command.create({"product_id": cls.product.id, "product_qty": 10, "price_unit": 3.0})],
        })
        order.button_confirm()
        receipt = order.picking_ids
        receipt.name = "WH/IN/CARBON-TOUR"
        receipt.move_ids.quantity = 10
        receipt.move_ids.picked = True
        receipt.button_validate()
        order.action_create_invoice()
        order.invoice_ids.invoice_date = fields.Date.today()
        order.invoice_ids.action_post()
        grid = cls.env["carbon.emission.factor"].create({
            "name": "Tour grid factor", "code": "TOUR.GRID", "source": "Tour / grid / 2024", "basis": "physical",
            "uom_id": cls.env.ref("carbon_accounting.uom_kwh").id, "value": 0.5, "scope": "2",
        })
        power = cls.env["product.product"].create({
            "name": "Tour electricity", "type": "service", "uom_id": grid.uom_id.id, "carbon_factor_id": grid.id,
        })
        bill = cls.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": cls.env["res.partner"].create({"name": "Tour Power Company"}).id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": power.id, "quantity": 1000, "price_unit": 0.1})],
        })
        bill.action_post()
        cls.env["carbon.removal"].create({
            "name": "Tour biochar batch", "method": "biochar", "tonnes": 1.0, "vintage": 2026,
            "durability_years": 100, "verifier_id": cls.vendor.id,
            "verification_statement": base64.b64encode(b"%PDF verification statement"),
            "verification_statement_name": "statement.pdf",
        }).action_mark_verified()
        cls.users = {role: new_test_user(cls.env, login=f"tour_{role}", groups=group)
                     for role, group in ROLES.items()}

    def test_user(self):
        self.start_tour("/odoo", "carbon_role_user", login="tour_user")

    def test_auditor(self):
        self.start_tour("/odoo", "carbon_role_auditor", login="tour_auditor")

    def test_accountant(self):
        self.start_tour("/odoo", "carbon_role_accountant", login="tour_accountant")

    def test_manager(self):
        self.start_tour("/odoo", "carbon_role_manager", login="tour_manager")

    def test_purchase_to_receipt(self):
        new_test_user(self.env, login="tour_buyer", groups=(
            "purchase.group_purchase_user,stock.group_stock_user,carbon_accounting.group_carbon_user"))
        self.start_tour("/odoo/action-purchase.purchase_rfq", "carbon_purchase_to_receipt", login="tour_buyer")

    def test_reports(self):
        self.start_tour("/odoo", "carbon_reports", login="tour_auditor")

    def test_factor_import_bad_file(self):
        self.start_tour("/odoo", "carbon_factor_import_bad_file", login="tour_accountant")
        self.assertFalse(
            self.env["carbon.emission.factor"].search([("code", "in", ("TOUR.OK", "TOUR.BAD1", "TOUR.BAD2"))])
        )
