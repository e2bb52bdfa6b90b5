from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import carbon_math
from .carbon_register_movement import HANDED_OVER

VERIFICATION_STATES = [("unverified", "Unverified"), ("verified", "Verified")]


class CarbonRegisterMixin(models.AbstractModel):
    """What the E-asset (removal) and credit registers share: tonnes in, the evidence behind them,
    their verification, and the reconciliation of what came in with what went out (retired, sold,
    reversed) to what is held. Each register has its own ``movement_ids``."""

    _name = "carbon.register.mixin"
    _description = "Carbon Register Entry"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, index="trigram")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one("res.partner", check_company=True, index="btree_not_null",
                                 help="The partner it was acquired from.")
    tonnes = fields.Float(string="Tonnes (tCO2e)", digits="Carbon", required=True, aggregator="sum")
    vintage = fields.Integer(help="The year the tonnes were removed or avoided.", aggregator=False)
    registry_name = fields.Char(string="Registry")
    serial_from = fields.Char(string="Serial Numbers From")
    serial_to = fields.Char(string="Serial Numbers To")
    verification_state = fields.Selection(VERIFICATION_STATES, string="Verification", required=True,
                                          default="unverified", readonly=True, index=True, copy=False)
    verifier_id = fields.Many2one("res.partner", copy=False)
    verification_date = fields.Date(copy=False)
    verification_statement = fields.Binary(attachment=True, copy=False,
                                           help="The verifier's statement: required to mark the tonnes verified.")
    verification_statement_name = fields.Char(string="Statement File Name", copy=False)
    attachment_ids = fields.Many2many("ir.attachment", string="Evidence",
                                      help="Measurements, lab reports, registry extracts, contracts.")
    notes = fields.Text()
    retired = fields.Float(string="Retired (tCO2e)", digits="Carbon", compute="_compute_register_figures",
                           store=True, aggregator="sum")
    sold = fields.Float(string="Sold (tCO2e)", digits="Carbon", compute="_compute_register_figures",
                        store=True, aggregator="sum")
    transferred = fields.Float(string="Transferred (tCO2e)", digits="Carbon", compute="_compute_register_figures",
                               store=True, aggregator="sum",
                               help="Handed to another holder without a sale (a participant, another company).")
    reversed_tonnes = fields.Float(string="Reversed (tCO2e)", digits="Carbon", compute="_compute_register_figures",
                                   store=True, aggregator="sum")
    held = fields.Float(string="Held (tCO2e)", digits="Carbon", compute="_compute_register_figures",
                        store=True, aggregator="sum",
                        help="In less retired, sold, transferred and reversed.")

    _tonnes_positive = models.Constraint("CHECK(tonnes > 0)", "A register entry is of more than zero tonnes.")

    def _compute_register_figures(self):
        """Concrete registers decorate it with the dependencies on their movements."""
        for record in self:
            out = {"retire": 0.0, "sell": 0.0, "transfer": 0.0, "reverse": 0.0}
            for movement in record.movement_ids:
                out[movement.movement_type] += movement.tonnes
            record.retired = carbon_math.round_carbon(out["retire"])
            record.sold = carbon_math.round_carbon(out["sell"])
            record.transferred = carbon_math.round_carbon(out["transfer"])
            record.reversed_tonnes = carbon_math.round_carbon(out["reverse"])
            record.held = carbon_math.register_held(
                record.tonnes, out["retire"], out["sell"], out["reverse"], out["transfer"])

    @api.constrains("verification_state", "verification_statement")
    def _check_verification_statement(self):
        for record in self:
            if record.verification_state == "verified" and not record.verification_statement:
                raise ValidationError(self.env._(
                    "%s: attach the verifier's statement before marking it verified.", record.name))

    #: What a verification attests: fixed while the entry is verified.
    _verified_fields = ("tonnes", "company_id", "vintage", "verifier_id", "verification_date",
                        "verification_statement")

    def write(self, vals):
        if {"tonnes", "company_id"} & set(vals) and self.filtered("movement_ids"):
            raise UserError(self.env._(
                "The tonnes of a register entry with movements cannot be changed: record a reversal instead."))
        if set(self._verified_fields) & set(vals) and self.filtered(lambda r: r.verification_state == "verified"):
            raise UserError(self.env._(
                "What a verification attests cannot be changed on a verified register entry: a manager sets it "
                "back to unverified first, or record a reversal."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_verified_or_moved(self):
        if self.filtered(lambda r: r.verification_state == "verified" or r.movement_ids):
            raise UserError(self.env._("A verified register entry, or one with movements, cannot be deleted."))

    def action_mark_verified(self):
        for record in self.filtered(lambda r: r.verification_state == "unverified"):
            record.write({"verification_state": "verified",
                          "verification_date": record.verification_date or fields.Date.context_today(self)})
        return True

    def action_mark_unverified(self):
        if not self.env.user.has_group("carbon_accounting.group_carbon_manager"):
            raise AccessError(self.env._("Only a carbon manager sets a verified register entry back to unverified."))
        if self.movement_ids.filtered(lambda m: m.movement_type in HANDED_OVER):
            raise UserError(self.env._("Tonnes already retired, sold or transferred stay verified."))
        self.write({"verification_state": "unverified"})
        return True

    def _action_movement(self, movement_type):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "carbon.register.movement", "view_mode": "form",
            "target": "new", "name": self.env._("Register Movement"),
            "context": {f"default_{self._movement_field}": self.id, "default_movement_type": movement_type,
                        "default_tonnes": self.held},
        }

    def action_retire(self):
        return self._action_movement("retire")

    def action_sell(self):
        return self._action_movement("sell")

    def action_transfer(self):
        return self._action_movement("transfer")

    def action_reverse(self):
        return self._action_movement("reverse")
