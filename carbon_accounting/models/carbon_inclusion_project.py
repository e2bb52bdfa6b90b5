from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import carbon_math

STATES = [("draft", "Draft"), ("validated", "Validated"), ("registered", "Registered"),
          ("monitoring", "Monitoring"), ("closed", "Closed")]


class CarbonInclusionProject(models.Model):
    """A carbon-inclusion project under a methodology: who takes part and by what share of the
    activity, where, from when, the applicability checklist answered with evidence, and its
    monitoring periods, credits and payouts. Documents go in the chatter."""

    _name = "carbon.inclusion.project"
    _inherit = ["mail.thread", "mail.activity.mixin", "carbon.inclusion.state.mixin"]
    _description = "Carbon Inclusion Project"
    _order = "start_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    reference = fields.Char(help="The registry's project number once registered.", tracking=True)
    company_id = fields.Many2one("res.company", string="Owner", required=True, default=lambda self: self.env.company,
                                 index=True)
    methodology_id = fields.Many2one("carbon.inclusion.methodology", required=True, tracking=True,
                                     domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]")
    kind = fields.Selection(related="methodology_id.kind")
    state = fields.Selection(STATES, required=True, default="draft", tracking=True, copy=False, index=True)
    location = fields.Char(help="Village, town, county: where the activity takes place.")
    has_location = fields.Boolean(
        string="Position Known", compute="_compute_has_location", store=True, readonly=False, precompute=True,
        help="Unticked, the position is unknown: the coordinates are neither shown nor used (0, 0 is a real point, "
             "in the Gulf of Guinea).")
    latitude = fields.Float(digits=(10, 6))
    longitude = fields.Float(digits=(10, 6))
    start_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    crediting_start = fields.Date(string="Crediting Period from", compute="_compute_crediting", store=True,
                                  readonly=False, precompute=True)
    crediting_end = fields.Date(string="Crediting Period to", compute="_compute_crediting", store=True,
                                readonly=False, precompute=True)
    participant_ids = fields.One2many("carbon.inclusion.participant", "project_id", string="Participants", copy=True)
    share_total = fields.Float(string="Shares (%)", compute="_compute_share_total", digits=(5, 2))
    checklist_ids = fields.One2many("carbon.inclusion.checklist", "project_id", string="Applicability Checklist")
    source_ids = fields.One2many("carbon.inclusion.project.source", "project_id", string="Ledger Sources", copy=True)
    monitoring_ids = fields.One2many("carbon.inclusion.monitoring", "project_id", string="Monitoring Periods")
    payout_ids = fields.One2many("carbon.inclusion.payout", "project_id", string="Payouts")
    monitoring_count = fields.Integer(compute="_compute_counts")
    payout_count = fields.Integer(compute="_compute_counts")
    notes = fields.Html()

    @api.depends("start_date", "methodology_id.crediting_period_years")
    def _compute_crediting(self):
        for project in self:
            if project.start_date and project.methodology_id:
                project.crediting_start = project.start_date
                project.crediting_end = project.start_date + relativedelta(
                    years=project.methodology_id.crediting_period_years, days=-1)

    @api.depends("latitude", "longitude")
    def _compute_has_location(self):
        """Coordinates entered make the position known; the point 0, 0 only when said so."""
        for project in self:
            project.has_location = project.has_location or bool(project.latitude or project.longitude)

    @api.constrains("has_location", "latitude", "longitude")
    def _check_position(self):
        for project in self.filtered("has_location"):
            if not -90.0 <= project.latitude <= 90.0:
                raise ValidationError(self.env._(
                    "%(project)s: a latitude is between -90 and 90 degrees, not %(value)s.",
                    project=project.name, value=project.latitude))
            if not -180.0 <= project.longitude <= 180.0:
                raise ValidationError(self.env._(
                    "%(project)s: a longitude is between -180 and 180 degrees, not %(value)s.",
                    project=project.name, value=project.longitude))

    @api.depends("participant_ids.share_percent")
    def _compute_share_total(self):
        for project in self:
            project.share_total = sum(project.participant_ids.mapped("share_percent"))

    def _compute_counts(self):
        for project in self:
            project.monitoring_count = len(project.monitoring_ids)
            project.payout_count = len(project.payout_ids)

    @api.onchange("methodology_id")
    def _onchange_methodology(self):
        self.checklist_ids = [fields.Command.clear()] + [
            fields.Command.create({"condition_id": condition.id}) for condition in self.methodology_id.condition_ids]

    @api.model_create_multi
    def create(self, vals_list):
        projects = super().create(vals_list)
        for project in projects.filtered(lambda p: not p.checklist_ids):
            project.checklist_ids = [fields.Command.create({"condition_id": condition.id})
                                     for condition in project.methodology_id.condition_ids]
        return projects

    def write(self, vals):
        if {"methodology_id", "company_id", "participant_ids"} & set(vals):
            self._check_unregistered()
        return super().write(vals)

    def _check_unregistered(self):
        self._check_open(("draft", "validated"),
                         self.env._("The methodology, owner and participants of a registered project are fixed."))

    def _check_ready(self):
        self.methodology_id._check_formula_names()
        for project in self:
            if not project.participant_ids:
                raise UserError(self.env._("%s: name the participants and their share of the activity.", project.name))
            if carbon_math.compare(project.share_total, 100.0, 4):
                raise UserError(self.env._("%(project)s: the participants' shares add up to %(total)s %%, not 100 %%.",
                                           project=project.name, total=round(project.share_total, 4)))
            missing = project.methodology_id.condition_ids - project.checklist_ids.condition_id
            unmet = project.checklist_ids.filtered(lambda c: c.answer != "yes" or not c.attachment_ids)
            if missing or unmet:
                conditions = [*missing.mapped("name"), *unmet.condition_id.mapped("name")]
                raise UserError(self.env._(
                    "%(project)s: every applicability condition is answered yes with evidence before validation. "
                    "Open: %(conditions)s", project=project.name, conditions="; ".join(conditions)))

    def _set_state(self, allowed, state):
        wrong = self.filtered(lambda p: p.state not in allowed)
        if wrong:
            raise UserError(self.env._("%(projects)s cannot go to %(state)s from where it is.",
                                       projects=", ".join(wrong.mapped("name")),
                                       state=dict(self._fields["state"]._description_selection(self.env))[state]))
        self.write({"state": state})
        return True

    def action_validate(self):
        self._check_ready()
        return self._set_state(("draft",), "validated")

    def action_register(self):
        missing = self.filtered(lambda p: not p.reference)
        if missing:
            raise UserError(self.env._("%s: enter the registry's project number first.",
                                       ", ".join(missing.mapped("name"))))
        return self._set_state(("validated",), "registered")

    def action_start_monitoring(self):
        return self._set_state(("registered",), "monitoring")

    def action_close(self):
        return self._set_state(("monitoring", "registered"), "closed")

    def action_reset_draft(self):
        if self.filtered(lambda p: p.state != "validated"):
            raise UserError(self.env._("Only a validated project goes back to draft."))
        return self._set_state(("validated",), "draft")

    def action_open_monitoring(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "carbon.inclusion.monitoring",
                "name": self.env._("Monitoring Periods"), "view_mode": "list,form",
                "domain": [("project_id", "=", self.id)], "context": {"default_project_id": self.id}}

    def action_open_payouts(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "carbon.inclusion.payout",
                "name": self.env._("Payouts"), "view_mode": "list,form",
                "domain": [("project_id", "=", self.id)], "context": {"default_project_id": self.id}}
