from odoo import models

from ..tools import carbon_math


class CarbonNotApplicable(Exception):
    """A factor or declaration does not apply to a quantity; the message says why."""


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _carbon_convert(self, qty, from_uom, to_uom):
        """``qty`` of this product from ``from_uom`` to ``to_uom``: through Odoo's units when they
        share a reference unit, else through the product's weight (counts to masses).

        :raises CarbonNotApplicable: when neither applies
        """
        self.ensure_one()
        if from_uom == to_uom:
            return qty
        if from_uom._has_common_reference(to_uom):
            return carbon_math.convert_quantity(qty, from_uom.factor, to_uom.factor)
        weight_uom = self.product_tmpl_id._get_weight_uom_id_from_ir_config_parameter()
        if self.weight and weight_uom._has_common_reference(to_uom) and from_uom._has_common_reference(self.uom_id):
            weight = carbon_math.convert_quantity(qty, from_uom.factor, self.uom_id.factor) * self.weight
            return carbon_math.convert_quantity(weight, weight_uom.factor, to_uom.factor)
        raise CarbonNotApplicable(self.env._(
            "a quantity in %(from_uom)s cannot be converted to %(to_uom)s (no common reference unit, no product weight)",
            from_uom=from_uom.name, to_uom=to_uom.name,
        ))

    def _carbon_factor_rules(self, company):
        """[(source, factor)] of this product in ``company``, in resolution order: the product's
        factor, then its category's (or a parent category's)."""
        self.ensure_one()
        tmpl = self.product_tmpl_id.with_company(company)
        return [
            ("product", tmpl.carbon_factor_id),
            ("category", tmpl.categ_id.with_company(company)._carbon_factor()),
        ]

    def _carbon_unit_from_factors(self, company, date, find_version):
        """kgCO2e per unit of the product's unit from its own or its category's physical factor.

        :returns: dict(unit, factor, note); ``unit`` is None when no factor applies
        """
        self.ensure_one()
        skipped = []
        for source, factor in self._carbon_factor_rules(company):
            if not factor:
                continue
            version = find_version(factor, date)
            if not version:
                skipped.append(self.env._("%(rule)s factor %(code)s has no version valid on %(date)s",
                                          rule=source, code=factor.code, date=date))
                continue
            if version.basis != "physical":
                skipped.append(self.env._("%(rule)s factor %(code)s is spend-based: it needs a price",
                                          rule=source, code=factor.code))
                continue
            if version.company_id and version.company_id != company:
                skipped.append(self.env._("factor %s belongs to another company", factor.code))
                continue
            try:
                qty = self._carbon_convert(1.0, self.uom_id, version.uom_id)
            except CarbonNotApplicable as exc:
                skipped.append(f"{source}: {exc}")
                continue
            return {"unit": qty * version.value, "factor": version, "note": "; ".join(skipped) or False}
        return {"unit": None, "factor": self.env["carbon.emission.factor"],
                "note": "; ".join(skipped) or self.env._("No product or category factor applies.")}
