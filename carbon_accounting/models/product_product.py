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
        raise CarbonNotApplicable(
            self.env._(
                "a quantity in %(from_uom)s cannot be converted to %(to_uom)s "
                "(no common reference unit, no product weight)",
                from_uom=from_uom.name,
                to_uom=to_uom.name,
            )
        )

    def _carbon_factor_rules(self, company):
        """[(source, factor)] of this product in ``company``, in resolution order: the product's
        factor, then its category's (or a parent category's)."""
        self.ensure_one()
        tmpl = self.product_tmpl_id.with_company(company)
        return [
            ("product", tmpl.carbon_factor_id),
            ("category", tmpl.categ_id.with_company(company)._carbon_factor()),
        ]

    def _carbon_use_factor(self, company):
        """The factor of the emissions ``company`` releases when it uses this product up: the
        product's use factor, else its category's (or a parent category's); may be empty."""
        self.ensure_one()
        tmpl = self.product_tmpl_id.with_company(company)
        return tmpl.carbon_use_factor_id or tmpl.categ_id.with_company(company)._carbon_factor("carbon_use_factor_id")

    def _carbon_from_factors(self, rules, qty, uom, company, date, find_version, amount=None, currency=None,
                             upstream=True):
        """Apply the first of ``rules`` ([(source, factor)]) that covers ``qty`` ``uom`` of this
        product (or, for a spend-based factor, ``amount`` in ``currency``) on ``date``.

        ``self`` may be empty (a bill line without product): then only spend-based factors apply.
        ``upstream``: the carbon acquired with the product, which for stored products is Scope 3 only
        (False for the emissions of using it up).

        :returns: dict(source, factor, quantity, uom, rate, note); source "unassessed" when no
            rule applies, with the rules passed over and why in note (False when there were none)
        """
        skipped = []
        for source, factor in rules:
            if not factor:
                continue
            version = find_version(factor, date)
            try:
                if not version:
                    raise CarbonNotApplicable(self.env._(
                        "factor %(code)s has no version valid on %(date)s", code=factor.code, date=date))
                if version.company_id and version.company_id != company:
                    raise CarbonNotApplicable(self.env._("factor %s belongs to another company", factor.code))
                if upstream and self and self.is_storable and version.scope != "3":
                    raise CarbonNotApplicable(self.env._(
                        "factor %(code)s is Scope %(scope)s, but what is bought into stock carries only its "
                        "upstream carbon (Scope 3): set %(code)s as the use factor, booked when the product is "
                        "used up", code=factor.code, scope=version.scope))
                if version.basis == "spend":
                    basis_qty = self._carbon_spend_basis(amount, currency, version, company, date)
                elif not self:
                    raise CarbonNotApplicable(self.env._("factor %s is per unit: it needs a product", factor.code))
                else:
                    basis_qty = self._carbon_convert(qty, uom, version.uom_id)
            except CarbonNotApplicable as exc:
                skipped.append(f"{source}: {exc}")
                continue
            return {"source": source, "factor": version, "quantity": basis_qty, "uom": version.uom_id,
                    "rate": version.value, "note": "; ".join(skipped) or False}
        return {"source": "unassessed", "factor": self.env["carbon.emission.factor"], "quantity": 0.0,
                "uom": self.env["uom.uom"], "rate": 0.0, "note": "; ".join(skipped) or False}

    def _carbon_spend_basis(self, amount, currency, factor, company, date):
        """``amount`` in ``currency`` in the currency of the spend-based ``factor``, at the rates
        of ``company`` on ``date``.

        :raises CarbonNotApplicable: when there is no positive amount to apply the factor to, or
            no rate of a currency on or before ``date`` (Odoo would convert one to one)
        """
        if amount is None:
            raise CarbonNotApplicable(self.env._("factor %s is spend-based: it needs a price", factor.code))
        if carbon_math.compare(amount, 0.0) <= 0:
            raise CarbonNotApplicable(self.env._(
                "factor %(code)s is spend-based: an amount of %(amount)s %(currency)s is no basis for a figure",
                code=factor.code, amount=amount, currency=currency.name))
        if currency == factor.currency_id:
            return amount
        rates = self._carbon_currency_rates(currency | factor.currency_id, company, date)
        missing = (currency | factor.currency_id).filtered(lambda c: c not in rates)
        if missing:
            raise CarbonNotApplicable(self.env._(
                "no rate of %(currencies)s on or before %(date)s for %(company)s",
                currencies=", ".join(missing.mapped("name")), date=date, company=company.name))
        return carbon_math.convert_amount(amount, rates[currency], rates[factor.currency_id])

    def _carbon_currency_rates(self, currencies, company, date):
        """{currency: rate} of ``currencies`` on or before ``date`` for ``company``, as Odoo reads
        them (the company's own rates first, then shared ones), without Odoo's fallbacks to a
        later rate or to 1.0; the company currency is worth 1 when it has no rate."""
        Rate = self.env["res.currency.rate"].sudo()
        rates = {}
        for currency in currencies:
            rate = Rate.search([("currency_id", "=", currency.id), ("name", "<=", date),
                                ("company_id", "in", (False, company.root_id.id))],
                               order="company_id.id, name desc", limit=1)
            if rate:
                rates[currency] = rate.rate
            elif currency == company.currency_id:
                rates[currency] = 1.0
        return rates
