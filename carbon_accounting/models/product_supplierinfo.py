from odoo import api, fields, models
from odoo.exceptions import ValidationError

DATA_QUALITY = [
    ("verified", "Verified primary data"),
    ("primary", "Primary data"),
    ("secondary", "Secondary data"),
    ("estimate", "Estimate"),
]


class ProductSupplierinfo(models.Model):
    _inherit = "product.supplierinfo"

    carbon_intensity = fields.Float(
        string="Declared kgCO2e per Unit",
        digits="Carbon Factor", aggregator=None,
        help="The vendor's declared carbon per unit of the vendor's unit of measure (cradle-to-gate).",
    )
    carbon_intensity_unit = fields.Char(related="product_uom_id.name", string="Per",
                                        help="The vendor's unit the declared kgCO2e are per.")
    carbon_data_quality = fields.Selection(
        DATA_QUALITY,
        help="Set it to declare the vendor's carbon: a price line with no data quality declares nothing.",
    )
    carbon_evidence = fields.Binary(attachment=True, copy=False)
    carbon_evidence_filename = fields.Char(string="Evidence File Name", copy=False)

    @api.constrains("carbon_intensity", "carbon_data_quality")
    def _check_carbon_declaration(self):
        for info in self:
            if info.carbon_intensity < 0:
                raise ValidationError(self.env._("A declared carbon intensity cannot be negative."))
            if info.carbon_intensity and not info.carbon_data_quality:
                raise ValidationError(self.env._(
                    "Vendor %(vendor)s declares %(value)s kgCO2e per unit: set the data quality of that "
                    "declaration.", vendor=info.partner_id.display_name, value=info.carbon_intensity,
                ))

    def _is_valid_on(self, date):
        self.ensure_one()
        return (not self.date_start or self.date_start <= date) and (not self.date_end or date <= self.date_end)
