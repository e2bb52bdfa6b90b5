from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import carbon_math

SCOPES = [
    ("1", "Scope 1 - Direct emissions"),
    ("2", "Scope 2 - Purchased energy"),
    ("3", "Scope 3 - Value chain"),
]
SCOPE3_CATEGORIES = [
    ("1", "1. Purchased goods and services"),
    ("2", "2. Capital goods"),
    ("3", "3. Fuel- and energy-related activities"),
    ("4", "4. Upstream transportation and distribution"),
    ("5", "5. Waste generated in operations"),
    ("6", "6. Business travel"),
    ("7", "7. Employee commuting"),
    ("8", "8. Upstream leased assets"),
    ("9", "9. Downstream transportation and distribution"),
    ("10", "10. Processing of sold products"),
    ("11", "11. Use of sold products"),
    ("12", "12. End-of-life treatment of sold products"),
    ("13", "13. Downstream leased assets"),
    ("14", "14. Franchises"),
    ("15", "15. Investments"),
]
BASES = [
    ("physical", "Per unit of measure"),
    ("spend", "Per currency amount"),
]
#: Fields that define what a factor version means: frozen once a confirmed document used it.
LOCKED_FIELDS = frozenset({
    "code", "value", "basis", "uom_id", "currency_id", "gwp_set_id", "gas_line_ids",
    "scope", "scope3_category", "company_id",
})


def company_factor_field(help_text, string="Emission Factor", domain=None):
    """A per-company emission factor on master data (products, categories, accounts)."""
    return fields.Many2one(
        "carbon.emission.factor",
        string=string,
        company_dependent=True,
        ondelete="restrict",
        domain=domain or "[('company_id', 'in', [False, current_company_id])]",
        help=help_text,
    )


#: Use factors: emissions the company itself releases when it uses a product up (Scope 1).
USE_FACTOR_DOMAIN = (
    "[('company_id', 'in', [False, current_company_id]), ('scope', '=', '1'), ('basis', '=', 'physical')]"
)


class CarbonEmissionFactor(models.Model):
    _name = "carbon.emission.factor"
    _description = "Emission Factor"
    _order = "code, date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        index=True,
        help="Identifies the factor across its versions: all versions of a factor share its code.",
    )
    source = fields.Char(
        required=True,
        help="Dataset, publisher and year the value comes from, e.g. 'IPCC 2006 Guidelines / IPCC / 2006'.",
    )
    reference_url = fields.Char(string="Reference URL")
    notes = fields.Text(help="How the value was derived (calorific values, densities, assumptions).")
    basis = fields.Selection(BASES, required=True, default="physical")
    uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        help="The factor gives kgCO2e per one of this unit. Quantities in other units are converted "
        "through Odoo's units of measure.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        help="The factor gives kgCO2e per one unit of this currency (spend-based factors).",
    )
    value = fields.Float(
        string="kgCO2e per Unit",
        digits="Carbon Factor", aggregator=None,
        compute="_compute_value",
        store=True,
        readonly=False,
        precompute=True,
        help="kgCO2e per unit (or per currency unit). Computed from the gas breakdown and the GWP set "
        "when gases are given.",
    )
    unit_label = fields.Char(compute="_compute_unit_label", string="Per")
    scope = fields.Selection(SCOPES, required=True, default="3")
    scope3_category = fields.Selection(SCOPE3_CATEGORIES, string="Scope 3 Category")
    country_id = fields.Many2one("res.country", help="Empty for a global factor.")
    date_from = fields.Date(string="Valid From")
    date_to = fields.Date(string="Valid To")
    uncertainty = fields.Float(string="Uncertainty (%)", digits=(5, 1), aggregator=None)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: shared by all companies of the database."
    )
    active = fields.Boolean(default=True)
    gwp_set_id = fields.Many2one("carbon.gwp.set", string="GWP Set")
    gas_line_ids = fields.One2many(
        "carbon.emission.factor.gas", "factor_id", string="Gas Breakdown", copy=True
    )
    co2_biogenic = fields.Float(
        string="Biogenic CO2 (kg per Unit)",
        digits="Carbon Factor", aggregator=None,
        help="Memo item reported apart, never counted in the factor's value (e.g. wood combustion).",
    )
    version = fields.Integer(default=1, readonly=True, copy=False)
    previous_version_id = fields.Many2one("carbon.emission.factor", readonly=True, copy=False)
    usage_count = fields.Integer(
        compute="_compute_usage", help="Confirmed documents that used this factor version."
    )
    is_locked = fields.Boolean(
        compute="_compute_usage",
        string="Locked",
        help="Used by a confirmed document: its value can no longer change; create a new version.",
    )

    _value_not_negative = models.Constraint(
        "CHECK(value >= 0)",
        "An emission factor cannot be negative: removals are E-assets, recorded apart.",
    )
    _dates_ordered = models.Constraint(
        "CHECK(date_to IS NULL OR date_from IS NULL OR date_to >= date_from)",
        "A factor's validity cannot end before it starts.",
    )
    _uncertainty_not_negative = models.Constraint(
        "CHECK(uncertainty >= 0)", "Uncertainty is a percentage of zero or more."
    )

    @api.depends("gas_line_ids.amount", "gas_line_ids.gas_id", "gwp_set_id")
    def _compute_value(self):
        for factor in self:
            if not factor.gas_line_ids or not factor.gwp_set_id:
                factor.value = factor.value
                continue
            gwp = factor.gwp_set_id._gwp_by_gas()
            amounts = factor._gas_amounts()
            if set(amounts) <= set(gwp):
                factor.value = carbon_math.gwp_weighted_total(amounts, gwp)
            else:
                factor.value = factor.value  # _check_gas_breakdown refuses the record

    @api.depends("basis", "uom_id", "currency_id")
    def _compute_unit_label(self):
        for factor in self:
            per = factor.uom_id.name if factor.basis == "physical" else factor.currency_id.name
            factor.unit_label = self.env._("kgCO2e / %s", per or "?")

    @api.depends("code")
    def _compute_display_name(self):
        for factor in self:
            name = f"[{factor.code}] {factor.name}" if factor.code else factor.name
            if factor.version > 1:
                name = self.env._("%(name)s (v%(version)s)", name=name, version=factor.version)
            factor.display_name = name

    def _compute_usage(self):
        counts = self._get_usage_counts()
        for factor in self:
            factor.usage_count = counts.get(factor.id, 0)
            factor.is_locked = bool(factor.usage_count)

    def _get_usage_counts(self):
        """{factor id: number of confirmed documents' lines and posted activities that used it}, all companies.

        Other documents (stock moves, ledger lines) extend this.
        """
        ids = [i for i in self.ids if isinstance(i, int)]
        if not ids:
            return {}
        groups = self.env["purchase.order.line"].sudo()._read_group(
            [("carbon_factor_id", "in", ids), ("order_id.state", "in", ("purchase", "done"))],
            ["carbon_factor_id"],
            ["__count"],
        )
        counts = {factor.id: count for factor, count in groups}
        for factor, count in self.env["carbon.activity"].sudo()._read_group(
            [("factor_id", "in", ids), ("state", "!=", "draft")], ["factor_id"], ["__count"],
        ):
            counts[factor.id] = counts.get(factor.id, 0) + count
        return counts

    def _gas_amounts(self):
        self.ensure_one()
        return {line.gas_id.code: line.amount for line in self.gas_line_ids}

    @api.constrains("basis", "uom_id", "currency_id")
    def _check_basis_unit(self):
        for factor in self:
            if factor.basis == "physical" and not factor.uom_id:
                raise ValidationError(self.env._("Factor %s is per unit of measure: set its unit.", factor.code))
            if factor.basis == "spend" and not factor.currency_id:
                raise ValidationError(self.env._("Factor %s is spend-based: set its currency.", factor.code))

    @api.constrains("scope", "scope3_category")
    def _check_scope3_category(self):
        for factor in self:
            if factor.scope3_category and factor.scope != "3":
                raise ValidationError(
                    self.env._("Factor %s: a Scope 3 category only applies to Scope 3 factors.", factor.code)
                )

    @api.constrains("gas_line_ids", "gwp_set_id")
    def _check_gas_breakdown(self):
        for factor in self.filtered("gas_line_ids"):
            if not factor.gwp_set_id:
                raise ValidationError(
                    self.env._("Factor %s has a gas breakdown: choose the GWP set to weigh it.", factor.code)
                )
            missing = set(factor._gas_amounts()) - set(factor.gwp_set_id._gwp_by_gas())
            if missing:
                raise ValidationError(self.env._(
                    "GWP set %(set)s has no value for %(gases)s (factor %(code)s).",
                    set=factor.gwp_set_id.name, gases=", ".join(sorted(missing)), code=factor.code,
                ))

    @api.constrains("code", "company_id", "date_from", "date_to", "active")
    def _check_versions_do_not_overlap(self):
        families = self.search([("code", "in", self.mapped("code"))])
        for factor in self.filtered("active"):
            for other in families:
                if other == factor or other.code != factor.code or other.company_id != factor.company_id:
                    continue
                if factor._overlaps(other):
                    raise ValidationError(self.env._(
                        "Versions of factor %(code)s overlap: %(a)s and %(b)s are both valid on some dates. "
                        "Close the older version (Valid To) before the newer one starts.",
                        code=factor.code, a=factor._validity_label(), b=other._validity_label(),
                    ))

    def _overlaps(self, other):
        start = max(
            self.date_from or fields.Date.to_date("0001-01-01"), other.date_from or fields.Date.to_date("0001-01-01")
        )
        end = min(self.date_to or fields.Date.to_date("9999-12-31"), other.date_to or fields.Date.to_date("9999-12-31"))
        return start <= end

    def _validity_label(self):
        return self.env._(
            "v%(version)s (%(start)s to %(end)s)",
            version=self.version,
            start=self.date_from or self.env._("the start"),
            end=self.date_to or self.env._("open end"),
        )

    def _check_use_factor(self, owner):
        """Refuse this factor as the use factor of ``owner`` (a product or category name) unless it is
        a Scope 1 factor per unit of measure: the emissions of burning or applying what was bought."""
        for factor in self:
            if factor.scope != "1" or factor.basis != "physical":
                raise ValidationError(self.env._(
                    "The use factor of %(owner)s must be a Scope 1 factor per unit of measure: %(code)s is not.",
                    owner=owner, code=factor.code))

    def _is_valid_on(self, date):
        self.ensure_one()
        return (not self.date_from or self.date_from <= date) and (not self.date_to or date <= self.date_to)

    def _version_finder(self):
        """Return ``find(factor, date)``: the active version of ``factor``'s family (same code and
        company) valid on ``date``, or an empty recordset. One query for all families of ``self``."""
        families = self.sudo().search([("code", "in", list(set(self.mapped("code"))))])
        by_family = {}
        for version in families:
            by_family.setdefault((version.code, version.company_id.id), []).append(version)

        def find(factor, date):
            for version in by_family.get((factor.code, factor.company_id.id), []):
                if version._is_valid_on(date):  # versions never overlap: at most one is valid
                    return version.sudo(False)
            return self.browse()

        return find

    def _differs_from(self, vals):
        """True when writing ``vals`` (plain values, as the CSV import builds them) would change
        this factor, once each value is rounded the way its field stores it."""
        self.ensure_one()
        for fname, value in vals.items():
            if fname == "gas_line_ids":
                gas_digits = self.gas_line_ids._fields["amount"].get_digits(self.env)[1]
                new = {
                    self.env["carbon.gas"].browse(cmd[2]["gas_id"]).code: round(cmd[2]["amount"], gas_digits)
                    for cmd in value
                }
                if new != {code: round(amount, gas_digits) for code, amount in self._gas_amounts().items()}:
                    return True
                continue
            field = self._fields[fname]
            if field.convert_to_record(field.convert_to_cache(value, self), self) != self[fname]:
                return True
        return False

    def _check_unlocked(self, field_names):
        """Refuse to change ``field_names`` of factor versions that confirmed documents used."""
        used = self.filtered("is_locked")
        if used:
            raise UserError(self.env._(
                "Factor %(code)s has been used by confirmed documents: its %(fields)s can no longer "
                "change, so that posted figures keep their meaning. Create a new version instead.",
                code=used[0].code,
                fields=", ".join(sorted(self._fields[f].string for f in field_names)),
            ))

    def write(self, vals):
        locked = LOCKED_FIELDS.intersection(vals)
        if locked:
            self._check_unlocked(locked)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = self.filtered(lambda f: f.is_locked)
        if used:
            raise UserError(self.env._(
                "Factor %s has been used by confirmed documents and cannot be deleted: archive it instead.",
                used[0].code,
            ))

    def copy_data(self, default=None):
        default = dict(default or {})
        vals_list = super().copy_data(default=default)
        if "code" not in default:
            for factor, vals in zip(self, vals_list, strict=True):
                vals["code"] = self.env._("%s-COPY", factor.code)
        return vals_list

    def action_new_version(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Version of %s", self.code),
            "res_model": "carbon.factor.version.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_factor_id": self.id},
        }

    def action_view_versions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Versions of %s", self.code),
            "res_model": "carbon.emission.factor",
            "view_mode": "list,form",
            "domain": [("code", "=", self.code), ("company_id", "=", self.company_id.id)],
            "context": {"active_test": False},
        }

    def action_view_usage(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Purchase Lines using %s", self.display_name),
            "res_model": "purchase.order.line",
            "view_mode": "list",
            "views": [(self.env.ref("carbon_accounting.purchase_order_line_view_list_carbon").id, "list")],
            "domain": [("carbon_factor_id", "=", self.id)],
        }
