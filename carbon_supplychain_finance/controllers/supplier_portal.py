import base64

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.carbon_accounting.models.product_supplierinfo import DATA_QUALITY
from odoo.addons.portal.controllers.portal import CustomerPortal

#: Figures of the declaration form: (field, label, required).
FIGURES = (
    ("carbon_intensity", "kgCO2e per unit (excluding biogenic CO2)", True),
    ("fossil_ghg", "Fossil GHG emissions per unit", False),
    ("land_use_change", "Land-use change emissions per unit", False),
    ("biogenic_content", "Biogenic carbon content per unit (kg C)", False),
    ("primary_data_share", "Primary data share (%)", False),
)


class SupplierCarbonPortal(CustomerPortal):
    """Vendors declare the carbon of the products they sell the company: ``/my/carbon``."""

    def _carbon_vendor(self):
        return request.env.user.partner_id.commercial_partner_id

    def _carbon_price_lines(self):
        """The vendor's price lines (read as superuser, restricted to the vendor explicitly)."""
        return request.env["product.supplierinfo"].sudo().search(
            [("partner_id", "child_of", self._carbon_vendor().id)], order="product_tmpl_id, id")

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "carbon_product_count" in counters:
            values["carbon_product_count"] = len(self._carbon_price_lines().product_tmpl_id)
        return values

    @http.route("/my/carbon", type="http", auth="user", website=True)
    def portal_my_carbon(self, **kw):
        lines = self._carbon_price_lines()
        declarations = request.env["carbon.supplier.declaration"].search(
            [("partner_id", "=", self._carbon_vendor().id)], order="id desc")
        return request.render("carbon_supplychain_finance.portal_my_carbon", {
            "page_name": "carbon", "price_lines": lines, "declarations": declarations,
            "qualities": dict(DATA_QUALITY),
        })

    @http.route("/my/carbon/declare/<int:line_id>", type="http", auth="user", website=True,
                methods=["GET", "POST"])
    def portal_carbon_declare(self, line_id, **post):
        line = self._carbon_price_lines().filtered(lambda info: info.id == line_id)
        if not line:
            raise request.not_found()
        error = None
        if request.httprequest.method == "POST":
            vals, error = self._declaration_values(post)
            if not error:
                try:
                    request.env["carbon.supplier.declaration"].sudo().create(dict(
                        vals, supplierinfo_id=line.id, partner_id=self._carbon_vendor().id,
                        submitted_by_id=request.env.user.id))
                except ValidationError as exc:
                    error = exc.args[0]
                else:
                    return request.redirect("/my/carbon?submitted=1")
        return request.render("carbon_supplychain_finance.portal_carbon_declare", {
            "page_name": "carbon", "line": line, "qualities": DATA_QUALITY, "figures": FIGURES,
            "error": error, "post": post,
        })

    def _declaration_values(self, post):
        """The declaration's values from the form, or an error to show."""
        vals = {}
        for name, label, required in FIGURES:
            raw = (post.get(name) or "").strip().replace(",", ".")
            if not raw:
                if required:
                    return vals, request.env._("%s is required.", label)
                continue
            try:
                vals[name] = float(raw)
            except ValueError:
                return vals, request.env._("%(label)s: %(value)s is not a number.", label=label, value=raw)
        if post.get("data_quality") not in dict(DATA_QUALITY):
            return vals, request.env._("Choose the data quality of the declaration.")
        vals["data_quality"] = post["data_quality"]
        for name in ("period_start", "period_end"):
            if post.get(name):
                try:
                    vals[name] = fields.Date.to_date(post[name])
                except ValueError:
                    return vals, request.env._("%s is not a date.", post[name])
        vals["comment"] = post.get("comment") or False
        evidence = post.get("evidence")
        if evidence and getattr(evidence, "filename", None):
            vals.update(evidence=base64.b64encode(evidence.read()), evidence_filename=evidence.filename)
        return vals, None
