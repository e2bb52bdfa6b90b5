from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CarbonInclusionProjectSource(models.Model):
    """Where a project's ledger finds a monitoring parameter: the product consumed or billed and,
    for consumption, the production location (the kiln) if one in particular."""

    _name = "carbon.inclusion.project.source"
    _description = "Carbon Inclusion Ledger Source"
    _check_company_auto = True

    project_id = fields.Many2one("carbon.inclusion.project", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    monitoring_parameter_id = fields.Many2one(
        "carbon.inclusion.monitoring.parameter", required=True, ondelete="restrict",
        domain="[('methodology_id', '=', parent.methodology_id), ('data_source', '!=', 'reading')]")
    data_source = fields.Selection(related="monitoring_parameter_id.data_source")
    product_id = fields.Many2one("product.product", required=True, check_company=True)
    location_id = fields.Many2one("stock.location", string="Production Location", check_company=True,
                                  domain="[('usage', '=', 'production')]",
                                  help="Only consumption into this location counts; empty: any production location.")

    _parameter_unique = models.Constraint("UNIQUE(project_id, monitoring_parameter_id)",
                                          "A monitoring parameter has one ledger source per project.")

    @api.constrains("monitoring_parameter_id", "product_id")
    def _check_unit(self):
        for source in self:
            if source.monitoring_parameter_id.data_source == "reading":
                raise ValidationError(self.env._("%s is read, not taken from the ledger.",
                                                 source.monitoring_parameter_id.name))
            if not source.product_id.uom_id._has_common_reference(source.monitoring_parameter_id.uom_id):
                raise ValidationError(self.env._("%(product)s is counted in %(uom)s, which does not convert to "
                                                 "%(target)s.", product=source.product_id.display_name,
                                                 uom=source.product_id.uom_id.name,
                                                 target=source.monitoring_parameter_id.uom_id.name))
