from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import carbon_math

MOVEMENT_TYPES = [("retire", "Retire"), ("sell", "Sell"), ("transfer", "Transfer"), ("reverse", "Reverse")]
#: Movements that hand verified tonnes to someone: only verified tonnes may go out so.
HANDED_OVER = ("retire", "sell", "transfer")
REGISTERS = [("removal", "Removals (E-assets)"), ("credit", "Credits")]


class CarbonRegisterMovement(models.Model):
    """Tonnes going out of a register entry: retired (claimed, cancelled in the registry), sold to a
    partner or reversed (the stored carbon released, the credits invalidated). One model for both
    registers, so that their reconciliation reads the same way; each movement belongs to exactly one
    removal or one credit."""

    _name = "carbon.register.movement"
    _description = "Carbon Register Movement"
    _order = "date desc, id desc"
    _check_company_auto = True

    removal_id = fields.Many2one("carbon.removal", ondelete="restrict", index="btree_not_null",
                                 check_company=True)
    credit_id = fields.Many2one("carbon.credit", ondelete="restrict", index="btree_not_null",
                                check_company=True)
    register = fields.Selection(REGISTERS, compute="_compute_register", store=True)
    company_id = fields.Many2one("res.company", compute="_compute_register", store=True, index=True)
    movement_type = fields.Selection(MOVEMENT_TYPES, string="Type", required=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    tonnes = fields.Float(string="Tonnes (tCO2e)", digits="Carbon", required=True, aggregator="sum")
    partner_id = fields.Many2one("res.partner", check_company=True,
                                 help="The buyer of a sale, or the beneficiary of a retirement.")
    reference = fields.Char(help="The document: registry retirement or transfer number, contract, invoice.")
    attachment_ids = fields.Many2many("ir.attachment", string="Evidence")
    notes = fields.Text()

    _tonnes_positive = models.Constraint("CHECK(tonnes > 0)", "A register movement is of more than zero tonnes.")
    _one_register = models.Constraint(
        "CHECK((removal_id IS NULL) != (credit_id IS NULL))",
        "A register movement belongs to one removal or one credit.",
    )

    @api.depends("removal_id", "credit_id")
    def _compute_register(self):
        for movement in self:
            movement.register = "removal" if movement.removal_id else "credit"
            movement.company_id = (movement.removal_id or movement.credit_id).company_id

    @api.depends("removal_id", "credit_id", "movement_type", "tonnes")
    def _compute_display_name(self):
        types = dict(self._fields["movement_type"]._description_selection(self.env))
        for movement in self:
            movement.display_name = f"{types.get(movement.movement_type, '')} {movement.tonnes:g} t " \
                                    f"{(movement.removal_id or movement.credit_id).name or ''}".strip()

    @api.constrains("removal_id", "credit_id", "movement_type", "tonnes")
    def _check_held(self):
        for movement in self:
            entry = movement.removal_id or movement.credit_id
            if movement.movement_type in HANDED_OVER and entry.verification_state != "verified":
                raise ValidationError(self.env._(
                    "%s is unverified: only verified tonnes can be retired, sold or transferred.", entry.name))
        for entry in [*self.removal_id, *self.credit_id]:
            if entry.held < 0:
                out = sum(self.filtered(lambda m, entry=entry: entry in (m.removal_id, m.credit_id)).mapped("tonnes"))
                raise ValidationError(self.env._(
                    "%(name)s holds %(held)s tCO2e: %(out)s tCO2e cannot go out of it.", name=entry.name,
                    held=carbon_math.fixed_text(entry.held + out), out=carbon_math.fixed_text(out)))
