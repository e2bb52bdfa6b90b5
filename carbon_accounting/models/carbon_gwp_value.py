from odoo import fields, models


class CarbonGwpValue(models.Model):
    _name = "carbon.gwp.value"
    _description = "Global Warming Potential of a Gas"
    _order = "gwp_set_id, gas_id"

    gwp_set_id = fields.Many2one("carbon.gwp.set", required=True, ondelete="cascade", index=True)
    gas_id = fields.Many2one("carbon.gas", required=True, ondelete="restrict")
    value = fields.Float(
        string="GWP",
        required=True,
        digits=(16, 3),
        help="kgCO2e per kg of the gas over the set's time horizon.",
    )

    _gas_unique = models.Constraint("UNIQUE(gwp_set_id, gas_id)", "A gas appears once in a GWP set.")
    _value_positive = models.Constraint("CHECK(value > 0)", "A GWP must be positive.")
