from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

GTIN13 = "4006381333931"
GTIN14 = "04006381333931"


@tagged("post_install", "-at_install", "carbon_tour")
class TestPublicPage(HttpCase):
    """The public passport page served without login, by its token and by the GS1 Digital Link of the
    product's GTIN and lot, and the PDF label whose QR code opens it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        uom_kg = cls.env.ref("uom.product_uom_kgm")
        factor = cls.env["carbon.emission.factor"].create({
            "name": "Page honey factor", "code": "PAGE.HONEY", "source": "Test / publisher / 2024",
            "basis": "physical", "uom_id": uom_kg.id, "value": 2.0, "scope": "3", "scope3_category": "1"})
        cls.product = cls.env["product.product"].create({
            "name": "Lychee honey 500 g", "uom_id": uom_kg.id, "purchase_ok": True, "type": "consu",
            "is_storable": True, "tracking": "lot", "barcode": GTIN13, "carbon_factor_id": factor.id})
        vendor = cls.env["res.partner"].create({"name": "Page Orchard Supplies"})
        order = cls.env["purchase.order"].create({
            "partner_id": vendor.id,
            "order_line": [Command.create({"product_id": cls.product.id, "product_qty": 10, "price_unit": 3.0})]})
        order.button_confirm()
        receipt = order.picking_ids
        receipt.move_ids.quantity = 10
        receipt.move_ids.move_line_ids.lot_name = "LY-2026-07"
        receipt.move_ids.picked = True
        receipt.button_validate()                                       # 10 kg x 2.0 = 20: 2.0 per kg
        cls.lot = receipt.move_ids.move_line_ids.lot_id
        today = fields.Date.today()
        vals = {"product_id": cls.product.id, "date_from": today - timedelta(days=30), "date_to": today,
                "dq_technological": "2", "dq_geographical": "2", "dq_temporal": "1"}
        Passport = cls.env["carbon.passport"]
        cls.old = Passport.create(vals)
        cls.old.action_publish()
        cls.current = Passport.create(vals)
        cls.current.action_publish()                                    # supersedes the old one
        cls.lot_passport = Passport.create(dict(vals, lot_id=cls.lot.id))
        cls.lot_passport.action_publish()
        cls.draft = Passport.create(vals)

    def test_public_page_by_token(self):
        self.assertEqual(self.current.per_unit, 2.0)
        response = self.url_open(f"/carbon/passport/{self.current.access_token}")
        self.assertEqual(response.status_code, 200)
        for text in ("Lychee honey 500 g", "2.000", "kgCO2e / kg", "Cradle-to-gate", "ISO 14067:2018",
                     "GHG Protocol Product Standard", GTIN14, "not separated", self.current.name):
            self.assertIn(text, response.text)
        self.assertNotIn("superseded", response.text)
        old = self.url_open(f"/carbon/passport/{self.old.access_token}")
        self.assertEqual(old.status_code, 200)
        self.assertIn("superseded", old.text)
        self.assertIn(f"/carbon/passport/{self.current.access_token}", old.text)
        # drafts and unknown tokens are not public
        self.assertEqual(self.url_open(f"/carbon/passport/{self.draft.access_token}").status_code, 404)
        self.assertEqual(self.url_open("/carbon/passport/0123456789abcdef").status_code, 404)

    def test_gs1_digital_link(self):
        self.assertEqual(self.current.qr_url, f"{self.current.get_base_url()}/01/{GTIN14}")
        self.assertEqual(self.lot_passport.qr_url, f"{self.current.get_base_url()}/01/{GTIN14}/10/LY-2026-07")
        response = self.url_open(f"/01/{GTIN14}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/carbon/passport/{self.current.access_token}"))
        lot_page = self.url_open(f"/01/{GTIN14}/10/LY-2026-07")
        self.assertEqual(lot_page.status_code, 200)
        self.assertIn("Lot LY-2026-07", lot_page.text)
        self.assertIn(self.lot_passport.name, lot_page.text)
        # the 13-digit form resolves too; an unknown lot falls back to the product's passport
        self.assertIn(self.current.name, self.url_open(f"/01/{GTIN13}/10/OTHER").text)
        self.assertEqual(self.url_open("/01/4006381333932").status_code, 404)   # bad check digit
        self.assertEqual(self.url_open("/01/96385074").status_code, 404)        # valid, no such product

    def test_pdf_label(self):
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "carbon_supplychain_finance.action_report_carbon_passport_label", self.lot_passport.ids)
        text = html.decode()
        self.assertIn(self.lot_passport.qr_url, text)
        self.assertIn("data:image/png;base64,", text)
        self.assertIn("Lot LY-2026-07", text)
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "install":
            self.skipTest("wkhtmltopdf is not installed: scripts/test.sh installs it")
        pdf, __ = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "carbon_supplychain_finance.action_report_carbon_passport_label", self.lot_passport.ids)
        self.assertTrue(pdf.startswith(b"%PDF"))
