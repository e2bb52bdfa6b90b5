from odoo import api, fields, models
from odoo.exceptions import ValidationError

CREDIT_TYPES = [("avoidance", "Avoidance"), ("reduction", "Reduction")]
ORIGINS = [("acquired", "Acquired from a partner"), ("issued", "Issued to the company")]


class CarbonCredit(models.Model):
    """Avoidance or reduction credits acquired or issued, and what became of them (retired, sold,
    reversed). Emissions avoided elsewhere are not removed: credits never reduce E-liabilities."""

    _name = "carbon.credit"
    _inherit = ["carbon.register.mixin", "mail.thread"]
    _description = "Carbon Credit (avoidance or reduction)"
    _order = "date desc, id desc"
    _movement_field = "credit_id"

    credit_type = fields.Selection(CREDIT_TYPES, string="Type", required=True, default="avoidance")
    origin = fields.Selection(ORIGINS, required=True, default="acquired")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True,
                       help="The date the credits were acquired or issued.")
    standard = fields.Char(help="The standard the credits are issued under (VCS, Gold Standard, CCER...).")
    project_name = fields.Char(string="Project")
    project_reference = fields.Char(string="Project ID")
    movement_ids = fields.One2many("carbon.register.movement", "credit_id", string="Movements")

    @api.depends("tonnes", "movement_ids.tonnes", "movement_ids.movement_type")
    def _compute_register_figures(self):
        return super()._compute_register_figures()

    @api.constrains("origin", "partner_id")
    def _check_partner(self):
        for credit in self.filtered(lambda c: c.origin == "acquired" and not c.partner_id):
            raise ValidationError(self.env._("%s: acquired credits name the partner they came from.", credit.name))
