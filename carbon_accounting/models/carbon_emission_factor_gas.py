from odoo import api, fields, models


class CarbonEmissionFactorGas(models.Model):
    _name = "carbon.emission.factor.gas"
    _description = "Emission Factor Gas Breakdown"
    _order = "factor_id, gas_id"

    factor_id = fields.Many2one("carbon.emission.factor", required=True, ondelete="cascade", index=True)
    gas_id = fields.Many2one("carbon.gas", required=True, ondelete="restrict")
    amount = fields.Float(
        string="kg of Gas per Unit", digits=(16, 9), required=True,
        help="Mass of this gas emitted per unit (or per currency unit) of the factor.",
    )
    co2e = fields.Float(
        string="kgCO2e per Unit", digits="Carbon Factor", compute="_compute_co2e",
        help="The amount weighed by the factor's GWP set.",
    )

    _gas_unique = models.Constraint("UNIQUE(factor_id, gas_id)", "A gas appears once in a factor's breakdown.")
    _amount_not_negative = models.Constraint("CHECK(amount >= 0)", "A gas amount cannot be negative.")

    @api.depends("amount", "gas_id", "factor_id.gwp_set_id")
    def _compute_co2e(self):
        for line in self:
            gwp = line.factor_id.gwp_set_id.value_ids.filtered(lambda v, line=line: v.gas_id == line.gas_id)[:1]
            line.co2e = line.amount * gwp.value

    @api.model_create_multi
    def create(self, vals_list):
        self.env["carbon.emission.factor"].browse(v.get("factor_id") for v in vals_list)._check_unlocked(
            ["gas_line_ids"]
        )
        return super().create(vals_list)

    def write(self, vals):
        self.factor_id._check_unlocked(["gas_line_ids"])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self.factor_id._check_unlocked(["gas_line_ids"])
