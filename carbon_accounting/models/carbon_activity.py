from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import carbon_math

ACTIVITY_TYPES = [
    ("stationary", "Stationary combustion"),
    ("mobile", "Mobile combustion"),
    ("fugitive", "Fugitive emissions (refrigerants)"),
    ("process", "Process emissions"),
    ("biomass", "Biomass burnt"),
    ("other", "Other"),
]


class CarbonActivity(models.Model):
    """A direct emission (Scope 1) that no purchase or production carries: a meter reading, a
    refrigerant top-up, own biomass burnt, process emissions. Posting it books Dr overhead pool /
    Cr direct emissions; it needs evidence (meter photo, service report) to be posted."""

    _name = "carbon.activity"
    _description = "Direct Emission Activity"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Description", required=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    date = fields.Date(required=True, index=True, default=fields.Date.context_today,
                       help="The day of the activity (reading, top-up, burning).")
    activity_type = fields.Selection(ACTIVITY_TYPES, required=True, default="stationary")
    quantity = fields.Float(digits="Product Unit", required=True, aggregator=None,
                            help="The quantity measured, in its unit.")
    uom_id = fields.Many2one("uom.uom", string="Unit", required=True, ondelete="restrict")
    factor_id = fields.Many2one(
        "carbon.emission.factor", string="Emission Factor", required=True, ondelete="restrict", check_company=True,
        domain="[('scope', '=', '1'), ('basis', '=', 'physical'), ('company_id', 'in', [False, company_id])]",
        help="A per-unit Scope 1 factor; the quantity is converted into its unit.",
    )
    factor_uom_id = fields.Many2one(related="factor_id.uom_id", string="Factor Unit")
    factor_value = fields.Float(related="factor_id.value", string="Factor")
    factor_quantity = fields.Float(
        string="In Factor Unit", digits=(16, 6), compute="_compute_carbon", store=True, aggregator=None,
        help="The quantity converted into the factor's unit through Odoo's units of measure.",
    )
    carbon_amount = fields.Float(string="Carbon (kgCO2e)", digits="Carbon", compute="_compute_carbon",
                                 store=True, aggregator="sum")
    co2_biogenic = fields.Float(
        string="Biogenic CO2 (kg)", digits="Carbon", compute="_compute_carbon", store=True, aggregator="sum",
        help="Memo item reported apart and never counted in the carbon: the factor's biogenic CO2 times the quantity.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment", "carbon_activity_attachment_rel", "activity_id", "attachment_id", string="Evidence",
        help="Meter readings, service reports, weighbridge tickets: an activity cannot be posted without them.",
    )
    note = fields.Text(string="Notes")
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("reversed", "Reversed")],
        default="draft", required=True, readonly=True, copy=False, index=True,
    )
    carbon_move_ids = fields.One2many("carbon.move", "activity_id", string="Carbon Entries", readonly=True)
    carbon_move_id = fields.Many2one("carbon.move", string="Carbon Entry", compute="_compute_carbon_move_id",
                                     help="The carbon entry posted for this activity.")

    _quantity_positive = models.Constraint("CHECK(quantity > 0)", "The quantity of an activity must be positive.")

    @api.depends("quantity", "uom_id", "factor_id.uom_id", "factor_id.value", "factor_id.co2_biogenic")
    def _compute_carbon(self):
        for activity in self:
            factor, uom = activity.factor_id, activity.uom_id
            if not (factor.uom_id and uom and uom._has_common_reference(factor.uom_id)):
                # refused by _check_unit when saved; nothing to show in the meantime
                activity.factor_quantity = activity.carbon_amount = activity.co2_biogenic = 0.0
                continue
            quantity = carbon_math.convert_quantity(activity.quantity, uom.factor, factor.uom_id.factor)
            activity.factor_quantity = quantity
            activity.carbon_amount = carbon_math.round_carbon(carbon_math.carbon_of_quantity(quantity, factor.value))
            activity.co2_biogenic = carbon_math.round_carbon(quantity * factor.co2_biogenic)

    @api.depends("carbon_move_ids.reversed_entry_id")
    def _compute_carbon_move_id(self):
        for activity in self:
            activity.carbon_move_id = activity.carbon_move_ids.filtered(lambda m: not m.reversed_entry_id)[:1]

    @api.constrains("factor_id")
    def _check_factor(self):
        for activity in self:
            factor = activity.factor_id
            if factor.scope != "1" or factor.basis != "physical":
                raise ValidationError(self.env._(
                    "%(activity)s: factor %(factor)s is not a per-unit Scope 1 factor. Activities record direct "
                    "emissions only; purchased energy and value-chain carbon come with bills and receipts.",
                    activity=activity.name, factor=factor.display_name,
                ))

    @api.constrains("uom_id", "factor_id")
    def _check_unit(self):
        for activity in self:
            if not activity.uom_id._has_common_reference(activity.factor_id.uom_id):
                raise ValidationError(self.env._(
                    "%(activity)s: a quantity in %(unit)s cannot be converted into %(factor_unit)s, the unit of "
                    "factor %(factor)s. Record the quantity in a unit of the same kind.",
                    activity=activity.name, unit=activity.uom_id.name,
                    factor_unit=activity.factor_id.uom_id.name, factor=activity.factor_id.display_name,
                ))

    def write(self, vals):
        if self.filtered(lambda a: a.state != "draft"):
            raise UserError(self.env._("A posted activity cannot be changed: reverse it and record it again."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda a: a.state != "draft"):
            raise UserError(self.env._("A posted activity cannot be deleted: reverse it instead."))

    def _entry_values(self, accounts):
        """The carbon entry of the activity: Dr overhead pool / Cr direct emissions, per measured unit."""
        self.ensure_one()
        factor = self.factor_id
        common = {
            "name": self.name, "factor_id": factor.id, "scope": "1", "product_uom_id": self.uom_id.id,
            "unit_carbon": factor.value * carbon_math.convert_quantity(1.0, self.uom_id.factor, factor.uom_id.factor),
        }
        return {
            "company_id": self.company_id.id, "kind": "activity", "date": self.date, "ref": self.name,
            "activity_id": self.id,
            "line_ids": [
                fields.Command.create(dict(common, account_id=accounts["overhead"].id, debit=self.carbon_amount,
                                           quantity=self.quantity)),
                fields.Command.create(dict(common, account_id=accounts["direct"].id, credit=self.carbon_amount,
                                           quantity=-self.quantity, biogenic_co2=self.co2_biogenic)),
            ],
        }

    def action_post(self):
        if self.filtered(lambda a: a.state != "draft"):
            raise UserError(self.env._("Only draft activities can be posted."))
        without_evidence = self.filtered(lambda a: not a.attachment_ids)
        if without_evidence:
            raise UserError(self.env._(
                "Attach the evidence of these activities (meter reading, service report, ticket) before "
                "posting them: %s", ", ".join(without_evidence.mapped("name"))))
        accounts = {company: self.env["carbon.account"]._for_company(company) for company in self.company_id}
        self.env["carbon.move"].sudo()._create_posted(
            [activity._entry_values(accounts[activity.company_id]) for activity in self])
        super().write({"state": "posted"})
        return True

    def action_reverse(self):
        if self.filtered(lambda a: a.state != "posted"):
            raise UserError(self.env._("Only posted activities can be reversed."))
        self.carbon_move_id.sudo()._reverse()
        super().write({"state": "reversed"})
        return True

    def action_view_carbon_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "carbon.move", "name": self.env._("Carbon Entries"),
            "view_mode": "list,form", "domain": [("activity_id", "=", self.id)],
        }
