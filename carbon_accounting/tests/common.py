from datetime import date

from odoo import Command
from odoo.tests import TransactionCase


class CarbonCommon(TransactionCase):
    """A company in USD with CNY rates, units (kg, t, box of 5 kg, Units), factors of every basis,
    a vendor declaring carbon and products with and without factors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.usd = cls.env.ref("base.USD")
        cls.company.currency_id = cls.usd
        cls.cny = cls.env.ref("base.CNY")
        cls.cny.active = True
        cls.env["res.currency.rate"].create([
            {"name": date(2024, 1, 1), "rate": 7.0, "currency_id": cls.cny.id, "company_id": cls.company.id},
            {"name": date(2025, 1, 1), "rate": 8.0, "currency_id": cls.cny.id, "company_id": cls.company.id},
        ])
        cls.uom_unit = cls.env.ref("uom.product_uom_unit")
        cls.uom_kg = cls.env.ref("uom.product_uom_kgm")
        cls.uom_g = cls.env.ref("uom.product_uom_gram")
        cls.uom_ton = cls.env.ref("uom.product_uom_ton")
        cls.uom_litre = cls.env.ref("uom.product_uom_litre")
        cls.uom_box5 = cls.env["uom.uom"].create(
            {"name": "Box of 5 kg", "relative_factor": 5.0, "relative_uom_id": cls.uom_kg.id}
        )
        cls.ar6 = cls.env.ref("carbon_accounting.gwp_set_ar6")
        Factor = cls.env["carbon.emission.factor"]
        cls.factor_kg = Factor.create({
            "name": "Lychee fertiliser", "code": "TEST.FERT", "source": "Test / publisher / 2024",
            "basis": "physical", "uom_id": cls.uom_kg.id, "value": 2.0, "scope": "3", "scope3_category": "1",
        })
        cls.factor_unit = Factor.create({
            "name": "Packaging unit", "code": "TEST.PACK", "source": "Test / publisher / 2024",
            "basis": "physical", "uom_id": cls.uom_unit.id, "value": 0.25, "scope": "3", "scope3_category": "1",
        })
        cls.factor_spend = Factor.create({
            "name": "Spend CNY", "code": "TEST.SPEND", "source": "Test / publisher / 2024",
            "basis": "spend", "currency_id": cls.cny.id, "value": 0.1, "scope": "3", "scope3_category": "1",
        })
        cls.vendor = cls.env["res.partner"].create({"name": "Guangdong Orchard Supplies"})
        cls.vendor_b = cls.env["res.partner"].create({"name": "Pearl River Packaging"})
        cls.categ_parent = cls.env["product.category"].create({"name": "Farm inputs"})
        cls.categ = cls.env["product.category"].create({"name": "Fertilisers", "parent_id": cls.categ_parent.id})
        cls.fertiliser = cls._product("Organic fertiliser", uom=cls.uom_kg, factor=cls.factor_kg)
        cls.crate = cls._product("Lychee crate", uom=cls.uom_unit, factor=cls.factor_unit)
        cls.plain = cls._product("Plain item", uom=cls.uom_unit)

    @classmethod
    def _product(cls, name, uom, factor=None, categ=None, **vals):
        return cls.env["product.product"].create({
            "name": name, "uom_id": uom.id, "purchase_ok": True, "type": "consu",
            "categ_id": (categ or cls.env.ref("product.product_category_goods")).id,
            "carbon_factor_id": factor.id if factor else False, **vals,
        })

    @classmethod
    def _diesel_factors(cls, code, **combustion):
        """Diesel's well-to-tank factor (``<code>.WTT``: 0.6 kg/L, Scope 3 cat. 3) and its combustion
        factor (``<code>.COMB``, Scope 1), the figure of the latter from ``combustion``."""
        Factor = cls.env["carbon.emission.factor"]
        upstream = Factor.create({
            "name": "Diesel, well-to-tank", "code": f"{code}.WTT", "source": "Test", "basis": "physical",
            "uom_id": cls.uom_litre.id, "value": 0.6, "scope": "3", "scope3_category": "3",
        })
        burnt = Factor.create({
            "name": "Diesel, combustion", "code": f"{code}.COMB", "source": "Test", "basis": "physical",
            "uom_id": cls.uom_litre.id, "scope": "1", **combustion,
        })
        return upstream, burnt

    @classmethod
    def _po(cls, lines, partner=None, order_date=date(2024, 6, 1), currency=None, confirm=False):
        """An RFQ with ``lines`` = [(product, qty, uom, price_unit)]."""
        order = cls.env["purchase.order"].create({
            "partner_id": (partner or cls.vendor).id,
            "date_order": order_date,
            "currency_id": (currency or cls.usd).id,
            "order_line": [
                Command.create({"product_id": p.id, "product_qty": q, "product_uom_id": u.id, "price_unit": price})
                for p, q, u, price in lines
            ],
        })
        if confirm:
            order.button_confirm()
        return order
