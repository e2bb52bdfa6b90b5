from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.carbon_accounting.models.product_supplierinfo import DATA_QUALITY

STATES = [("submitted", "Submitted"), ("approved", "Approved"), ("refused", "Refused")]


class CarbonSupplierDeclaration(models.Model):
    """A vendor's declared carbon of a product it sells the company, submitted from the portal with
    its data quality, a PACT-style breakdown and evidence. Procurement approves it — the vendor's price
    line then declares it, the previous declaration kept here — or refuses it with a reason."""

    _name = "carbon.supplier.declaration"
    _description = "Supplier Carbon Declaration"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(related="supplierinfo_id.company_id", store=True, index=True)
    supplierinfo_id = fields.Many2one("product.supplierinfo", string="Price Line", required=True, index=True,
                                      ondelete="cascade", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Vendor", required=True, index=True, readonly=True)
    product_tmpl_id = fields.Many2one(related="supplierinfo_id.product_tmpl_id", store=True)
    uom_name = fields.Char(related="supplierinfo_id.product_uom_id.name", string="Per")
    state = fields.Selection(STATES, required=True, default="submitted", readonly=True, tracking=True, index=True)
    submitted_by_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    # the declaration (PACT ProductFootprint fields in brackets)
    carbon_intensity = fields.Float(string="kgCO2e per Unit", digits="Carbon Factor", required=True, readonly=True,
                                    help="Cradle-to-gate footprint excluding biogenic CO2 (pCfExcludingBiogenic).")
    data_quality = fields.Selection(DATA_QUALITY, required=True, readonly=True)
    fossil_ghg = fields.Float(string="Fossil GHG", digits="Carbon Factor", readonly=True,
                              help="Fossil GHG emissions per unit (fossilGhgEmissions).")
    land_use_change = fields.Float(string="Land-use Change", digits="Carbon Factor", readonly=True,
                                   help="Direct land-use change emissions per unit (dLucGhgEmissions).")
    biogenic_content = fields.Float(string="Biogenic Carbon Content", digits="Carbon Factor", readonly=True,
                                    help="kg of biogenic carbon per unit (biogenicCarbonContent).")
    primary_data_share = fields.Float(string="Primary Data Share (%)", readonly=True,
                                      help="primaryDataShare, 0 to 100.")
    period_start = fields.Date(string="Reference Period From", readonly=True)
    period_end = fields.Date(string="Reference Period To", readonly=True)
    comment = fields.Text(readonly=True)
    evidence = fields.Binary(attachment=True, readonly=True)
    evidence_filename = fields.Char(readonly=True)
    # review
    reviewer_id = fields.Many2one("res.users", readonly=True)
    review_date = fields.Datetime(readonly=True)
    refusal_reason = fields.Text(help="Why it is refused: the vendor reads it on the portal.")
    previous_intensity = fields.Float(digits="Carbon Factor", readonly=True,
                                      help="What the price line declared before this declaration was approved.")
    previous_data_quality = fields.Selection(DATA_QUALITY, readonly=True)

    @api.depends("partner_id", "product_tmpl_id")
    def _compute_name(self):
        for declaration in self:
            declaration.name = f"{declaration.partner_id.name or ''} - {declaration.product_tmpl_id.name or ''}"

    @api.constrains("carbon_intensity", "fossil_ghg", "land_use_change", "biogenic_content", "primary_data_share",
                    "period_start", "period_end")
    def _check_figures(self):
        for declaration in self:
            if min(declaration.carbon_intensity, declaration.fossil_ghg, declaration.land_use_change,
                   declaration.biogenic_content) < 0:
                raise ValidationError(self.env._("Declared carbon figures are not negative."))
            if not 0 <= declaration.primary_data_share <= 100:
                raise ValidationError(self.env._("The primary data share is from 0 to 100 %."))
            if declaration.period_start and declaration.period_end and \
                    declaration.period_end < declaration.period_start:
                raise ValidationError(self.env._("The reference period ends before it starts."))

    @api.constrains("partner_id", "supplierinfo_id")
    def _check_vendor(self):
        for declaration in self:
            if declaration.supplierinfo_id.partner_id.commercial_partner_id != declaration.partner_id:
                raise ValidationError(self.env._("A vendor declares carbon on its own price lines only."))

    def action_approve(self):
        """Approve: the declaration becomes the price line's. Buyers review declarations without the
        right to edit price lines (Purchase administrators' in Odoo 19), so the line is written as
        superuser, with these four carbon fields only."""
        self.check_access("write")
        for declaration in self:
            if declaration.state != "submitted":
                raise UserError(self.env._("%s was already reviewed.", declaration.name))
            info = declaration.supplierinfo_id
            declaration.write({
                "state": "approved", "reviewer_id": self.env.user.id, "review_date": fields.Datetime.now(),
                "previous_intensity": info.carbon_intensity, "previous_data_quality": info.carbon_data_quality,
            })
            info.sudo().write({
                "carbon_intensity": declaration.carbon_intensity, "carbon_data_quality": declaration.data_quality,
                "carbon_evidence": declaration.evidence or info.carbon_evidence,
                "carbon_evidence_filename": declaration.evidence_filename if declaration.evidence
                else info.carbon_evidence_filename,
            })

    def action_refuse(self):
        for declaration in self:
            if declaration.state != "submitted":
                raise UserError(self.env._("%s was already reviewed.", declaration.name))
            if not (declaration.refusal_reason or "").strip():
                raise UserError(self.env._("Write why the declaration is refused: the vendor reads it."))
        self.write({"state": "refused", "reviewer_id": self.env.user.id, "review_date": fields.Datetime.now()})
