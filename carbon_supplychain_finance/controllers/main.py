from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from ..tools import grading

PUBLIC_STATES = ("published", "deprecated")


class CarbonPassportController(http.Controller):
    """The public page of a published (or superseded) product carbon passport, reached by its access
    token or through the GS1 Digital Link of the product's GTIN (and lot)."""

    @http.route("/carbon/passport/<string:token>", type="http", auth="public", methods=["GET"], sitemap=False)
    def passport_page(self, token, **kwargs):
        Passport = request.env["carbon.passport"].sudo()
        passport = Passport.search([("access_token", "=", token), ("state", "in", PUBLIC_STATES)], limit=1) \
            if token else Passport
        if not passport:
            raise NotFound()
        return request.render("carbon_supplychain_finance.passport_public_page", {
            "passport": passport,
            "data": passport._footprint_data(),
            "successor_url": passport.replaced_by_id.public_url if passport.replaced_by_id.state in PUBLIC_STATES
            else False,
        })

    @http.route(["/01/<string:gtin>", "/01/<string:gtin>/10/<path:lot>"], type="http", auth="public",
                methods=["GET"], sitemap=False)
    def gs1_digital_link(self, gtin, lot=None, **kwargs):
        """Resolve a GS1 Digital Link to the current passport of the product (of its lot when it has
        one, else of the product), published ones before deprecated ones."""
        gtin = grading.gtin14(gtin)
        if not gtin:
            raise NotFound()
        Product = request.env["product.product"].sudo().with_context(active_test=False)
        products = Product.search([("barcode", "in", list({gtin, gtin.lstrip("0"), gtin[1:], gtin[2:], gtin[6:]}))])
        products = products.filtered(lambda p: grading.gtin14(p.barcode) == gtin)
        if not products:
            raise NotFound()
        Passport = request.env["carbon.passport"].sudo()
        domain = [("product_id", "in", products.ids), ("state", "in", PUBLIC_STATES)]
        candidates = Passport.search(domain + [("lot_id.name", "=", lot)]) if lot else Passport
        candidates = candidates or Passport.search(domain + [("lot_id", "=", False)])
        if not candidates:
            raise NotFound()
        current = candidates.sorted(lambda p: (p.state != "published", -(p.published_date or p.date_to).toordinal(),
                                               -p.id))[:1]
        return request.redirect(f"/carbon/passport/{current.access_token}", local=True)
