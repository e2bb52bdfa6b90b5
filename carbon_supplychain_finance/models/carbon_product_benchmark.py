from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.carbon_accounting.models.product_product import CarbonNotApplicable


class CarbonProductBenchmark(models.Model):
    """The reference footprint of a product category (kgCO2e per unit, from a named source) that
    product passports are graded against; it applies to the category and its sub-categories."""

    _name = "carbon.product.benchmark"
    _description = "Product Carbon Benchmark"
    _order = "categ_id, company_id, id desc"
    _check_company_auto = True

    categ_id = fields.Many2one("product.category", string="Product Category", required=True, index=True,
                               ondelete="cascade")
    company_id = fields.Many2one("res.company", index=True,
                                 help="Empty: the benchmark applies to every company.")
    value = fields.Float(string="kgCO2e per Unit", digits="Carbon Factor", required=True, aggregator=None,
                         help="Cradle-to-gate kgCO2e of one unit of a typical product of the category.")
    uom_id = fields.Many2one("uom.uom", string="Unit", required=True)
    source = fields.Char(required=True, help="Publisher, dataset and year the benchmark comes from.")
    year = fields.Integer(aggregator=False)
    notes = fields.Text()
    active = fields.Boolean(default=True)

    _value_positive = models.Constraint("CHECK(value > 0)", "A benchmark is of more than zero kgCO2e per unit.")

    @api.depends("categ_id", "value", "uom_id")
    def _compute_display_name(self):
        for benchmark in self:
            benchmark.display_name = f"{benchmark.categ_id.display_name}: {benchmark.value:g} kgCO2e/" \
                                     f"{benchmark.uom_id.name or ''}"

    @api.constrains("categ_id", "company_id", "active")
    def _check_unique(self):
        for benchmark in self.filtered("active"):
            if self.search_count([("categ_id", "=", benchmark.categ_id.id), ("active", "=", True),
                                  ("company_id", "=", benchmark.company_id.id)]) > 1:
                raise ValidationError(self.env._(
                    "%s already has an active benchmark: archive it first.", benchmark.categ_id.display_name))

    @api.model
    def _for_product(self, product, company):
        """The benchmark of ``product``'s category or of its nearest parent that has one, the
        company's before a shared one; an empty recordset if none."""
        benchmarks = self.search([
            ("categ_id", "parent_of", product.categ_id.id),
            ("company_id", "in", (company.id, False)),
        ])
        categ = product.categ_id
        while categ:
            found = benchmarks.filtered(lambda b, categ=categ: b.categ_id == categ)
            if found:
                return found.sorted(lambda b: not b.company_id)[:1]
            categ = categ.parent_id
        return self.browse()

    def _per_unit_of(self, product):
        """The benchmark in kgCO2e per unit of ``product``'s own unit; None when its unit cannot be
        converted into the benchmark's."""
        self.ensure_one()
        try:
            return self.value * product._carbon_convert(1.0, product.uom_id, self.uom_id)
        except CarbonNotApplicable:
            return None
