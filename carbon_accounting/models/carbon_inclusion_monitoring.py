from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import carbon_formula, carbon_math

STATES = [("draft", "Draft"), ("submitted", "Submitted"), ("verified", "Verified"), ("superseded", "Superseded")]
#: What can still be written on a submitted period: its verification, its state and what was issued from it.
UNLOCKED_FIELDS = {"state", "verifier_id", "verification_date", "verification_statement",
                   "verification_statement_name", "credit_id", "removal_id", "superseded_by_id"}


class CarbonInclusionMonitoring(models.Model):
    """One monitoring period of a project: its activity data, gathered from the ledger or read with
    evidence, and the baseline, project and leakage emissions (or sinks), the conservativeness
    deduction and the reductions computed from them by the methodology's formulas (kgCO2e), rounded
    down to whole tonnes for issuance. Submitted, it is locked; a correction is a new version, and
    the version it corrects is kept, superseded."""

    _name = "carbon.inclusion.monitoring"
    _inherit = ["mail.thread", "carbon.inclusion.state.mixin"]
    _description = "Carbon Inclusion Monitoring Period"
    _order = "date_from desc, version desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    project_id = fields.Many2one("carbon.inclusion.project", required=True, ondelete="restrict", index=True,
                                 check_company=True)
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    methodology_id = fields.Many2one(related="project_id.methodology_id")
    kind = fields.Selection(related="project_id.methodology_id.kind")
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    version = fields.Integer(default=1, readonly=True, copy=False, aggregator=False)
    previous_id = fields.Many2one("carbon.inclusion.monitoring", string="Corrects", readonly=True, copy=False,
                                  index="btree_not_null")
    superseded_by_id = fields.Many2one("carbon.inclusion.monitoring", readonly=True, copy=False)
    state = fields.Selection(STATES, required=True, default="draft", readonly=True, copy=False, tracking=True,
                             index=True)
    line_ids = fields.One2many("carbon.inclusion.monitoring.line", "monitoring_id", string="Monitoring Data", copy=True)
    computed = fields.Boolean(readonly=True, copy=False)
    baseline = fields.Float(string="Baseline (kgCO2e)", digits="Carbon", readonly=True, copy=False)
    project_emissions = fields.Float(string="Project (kgCO2e)", digits="Carbon", readonly=True, copy=False)
    leakage = fields.Float(string="Leakage (kgCO2e)", digits="Carbon", readonly=True, copy=False)
    net = fields.Float(string="Net before Deduction (kgCO2e)", digits="Carbon", readonly=True, copy=False)
    deduction = fields.Float(string="Conservativeness Deduction (kgCO2e)", digits="Carbon", readonly=True, copy=False)
    result = fields.Float(string="Result (kgCO2e)", digits="Carbon", readonly=True, copy=False,
                          help="Net less the conservativeness deduction: reductions, or removals for a sink.")
    issuable_tonnes = fields.Integer(string="Issuable (whole tCO2e)", readonly=True, copy=False, aggregator="sum",
                                     help="The result rounded down to whole tonnes.")
    calculation = fields.Text(readonly=True, copy=False, help="Each formula with its values, as computed.")
    verifier_id = fields.Many2one("res.partner", copy=False)
    verification_date = fields.Date(copy=False)
    verification_statement = fields.Binary(attachment=True, copy=False)
    verification_statement_name = fields.Char(copy=False)
    credit_id = fields.Many2one("carbon.credit", string="Credits Issued", readonly=True, copy=False,
                                check_company=True)
    removal_id = fields.Many2one("carbon.removal", string="Removals Issued (E-asset)", readonly=True, copy=False,
                                 check_company=True)
    issued_tonnes = fields.Float(string="Issued (tCO2e)", digits="Carbon", compute="_compute_issued_tonnes",
                                 help="Tonnes issued from this version.")

    _dates_ordered = models.Constraint("CHECK(date_from <= date_to)", "A monitoring period ends after it starts.")

    @api.depends("project_id.name", "date_from", "date_to", "version")
    def _compute_name(self):
        for monitoring in self:
            monitoring.name = self.env._("%(project)s %(start)s – %(end)s v%(version)s",
                                         project=monitoring.project_id.name or "", start=monitoring.date_from or "",
                                         end=monitoring.date_to or "", version=monitoring.version)

    @api.depends("credit_id.tonnes", "removal_id.tonnes")
    def _compute_issued_tonnes(self):
        for monitoring in self:
            monitoring.issued_tonnes = monitoring.credit_id.tonnes + monitoring.removal_id.tonnes

    @api.constrains("project_id", "date_from", "date_to", "state")
    def _check_overlap(self):
        for monitoring in self.filtered(lambda m: m.state != "superseded"):
            chain = monitoring._chain()
            overlapping = self.search([
                ("project_id", "=", monitoring.project_id.id), ("id", "not in", chain.ids),
                ("state", "!=", "superseded"), ("date_from", "<=", monitoring.date_to),
                ("date_to", ">=", monitoring.date_from)], limit=1)
            if overlapping:
                raise ValidationError(self.env._("%(period)s overlaps %(other)s: correct a period with a new version.",
                                                 period=monitoring.name, other=overlapping.name))

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        for monitoring in records.filtered(lambda m: not m.line_ids):
            monitoring.line_ids = [fields.Command.create({"monitoring_parameter_id": parameter.id})
                                   for parameter in monitoring.methodology_id.monitoring_parameter_ids]
        return records

    def write(self, vals):
        if set(vals) - UNLOCKED_FIELDS:
            self._check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        self._check_open(("draft",),
                         self.env._("A submitted monitoring period is kept: correct it with a new version."))

    def _check_draft(self):
        self._check_open(("draft",),
                         self.env._("A submitted monitoring period is locked: correct it with a new version."))

    def _chain(self):
        """Every version of this period: the ones it corrects and the ones correcting it."""
        self.ensure_one()
        chain = self
        previous = self.previous_id
        while previous:
            chain |= previous
            previous = previous.previous_id
        following = self.search([("previous_id", "in", chain.ids)])
        while following - chain:
            chain |= following
            following = self.search([("previous_id", "in", chain.ids)])
        return chain

    # ------------------------------------------------------------------ activity data from the ledger

    def _period_bounds(self):
        return (fields.Datetime.to_string(datetime.combine(self.date_from, time.min)),
                fields.Datetime.to_string(datetime.combine(self.date_to + timedelta(days=1), time.min)))

    def _ledger_domain(self, line):
        """The model and domain of the ledger records behind ``line`` (done consumption moves or
        posted vendor-bill lines of the mapped product in the period)."""
        self.ensure_one()
        source = self.project_id.source_ids.filtered(
            lambda s: s.monitoring_parameter_id == line.monitoring_parameter_id)
        if not source:
            raise UserError(
                self.env._(
                    "%(project)s: map the monitoring parameter %(parameter)s to a product (Ledger Sources) before "
                    "gathering it from the ledger.",
                    project=self.project_id.name,
                    parameter=line.monitoring_parameter_id.name,
                )
            )
        if line.data_source == "stock_consumption":
            start, end = self._period_bounds()
            location = [("location_dest_id", "=", source.location_id.id)] if source.location_id else \
                [("location_dest_id.usage", "=", "production")]
            return source, "stock.move", [
                ("company_id", "=", self.company_id.id), ("product_id", "=", source.product_id.id),
                ("state", "=", "done"), ("date", ">=", start), ("date", "<", end), *location]
        return source, "account.move.line", [
            ("company_id", "=", self.company_id.id), ("product_id", "=", source.product_id.id),
            ("parent_state", "=", "posted"), ("move_id.move_type", "in", ("in_invoice", "in_refund")),
            ("display_type", "=", "product"),
            ("move_id.invoice_date", ">=", fields.Date.to_string(self.date_from)),
            ("move_id.invoice_date", "<=", fields.Date.to_string(self.date_to))]

    def _ledger_quantity(self, line):
        source, model, domain = self._ledger_domain(line)
        target = line.monitoring_parameter_id.uom_id
        total = 0.0
        count = 0
        if model == "stock.move":
            groups = self.env[model]._read_group(domain, ["product_uom"], ["quantity:sum", "__count"])
            for uom, quantity, number in groups:
                total += uom._compute_quantity(quantity, target, round=False)
                count += number
        else:
            groups = self.env[model]._read_group(domain, ["product_uom_id", "move_type"], ["quantity:sum", "__count"])
            for uom, move_type, quantity, number in groups:
                sign = -1 if move_type == "in_refund" else 1
                total += sign * (uom or source.product_id.uom_id)._compute_quantity(quantity, target, round=False)
                count += number
        return source, domain, carbon_math.round_carbon(total), count

    def action_gather(self):
        """Fill the ledger-sourced monitoring data from the project's ledger for the period."""
        self._check_draft()
        for monitoring in self:
            for line in monitoring.line_ids.filtered(lambda line: line.data_source != "reading"):
                source, domain, quantity, count = monitoring._ledger_quantity(line)
                line.with_context(carbon_inclusion_gather=True).write(
                    {
                        "value": quantity,
                        "gathered": True,
                        "product_id": source.product_id.id,
                        "location_id": source.location_id.id,
                        "ledger_domain": domain,
                        "ledger_count": count,
                    }
                )
        return True

    # ------------------------------------------------------------------ computation

    def _values(self):
        self.ensure_one()
        values = {parameter.code: parameter.value for parameter in self.methodology_id.parameter_ids}
        for line in self.line_ids:
            if line.data_source == "reading" and not line.attachment_ids:
                raise UserError(self.env._("%(period)s: the reading of %(parameter)s needs its evidence attached.",
                                           period=self.name, parameter=line.monitoring_parameter_id.name))
            if line.data_source != "reading" and not line.gathered:
                raise UserError(self.env._("%(period)s: gather %(parameter)s from the ledger first.",
                                           period=self.name, parameter=line.monitoring_parameter_id.name))
            values[line.code] = line.value
        return values

    def _evaluate(self):
        """The figures of the period (kgCO2e) and the calculation text, from the methodology's formulas."""
        self.ensure_one()
        methodology = self.methodology_id
        methodology._check_formula_names()
        values = self._values()
        labels = methodology._formula_labels()
        figures, steps = {}, []
        for key, formula in methodology._formulas().items():
            try:
                figures[key] = carbon_math.round_carbon(carbon_formula.evaluate(formula, values))
            except carbon_formula.FormulaError as error:
                raise UserError(self.env._("%(period)s, %(figure)s: %(error)s", period=self.name, figure=labels[key],
                                           error=error)) from None
            used = ", ".join(f"{name} = {values[name]:g}" for name in carbon_formula.names(formula))
            steps.append(f"{labels[key]} = {formula}" + (f" [{used}]" if used else "")
                         + f" = {carbon_math.fixed_text(figures[key])} kgCO2e")
        net = carbon_math.inclusion_net(figures["baseline"], figures["project"], figures["leakage"], methodology.kind)
        deduction = carbon_math.conservative_deduction(net, methodology.deduction_percent)
        result = carbon_math.round_carbon(net - deduction)
        issuable = carbon_math.whole_tonnes_down(result)
        steps += [
            (
                self.env._("Net = baseline − project − leakage")
                if methodology.kind == "reduction"
                else self.env._("Net = project sink − baseline sink − leakage")
            )
            + f" = {carbon_math.fixed_text(net)} kgCO2e",
            self.env._(
                "Conservativeness deduction %(percent)s %% = %(value)s kgCO2e",
                percent=f"{methodology.deduction_percent:g}",
                value=carbon_math.fixed_text(deduction),
            ),
            self.env._(
                "Result = %(value)s kgCO2e; issuable, rounded down: %(tonnes)s tCO2e",
                value=carbon_math.fixed_text(result),
                tonnes=issuable,
            ),
        ]
        return {"baseline": figures["baseline"], "project_emissions": figures["project"], "leakage": figures["leakage"],
                "net": net, "deduction": deduction, "result": result, "issuable_tonnes": issuable,
                "calculation": "\n".join(steps)}

    def action_compute(self):
        self._check_draft()
        for monitoring in self:
            monitoring.write({**monitoring._evaluate(), "computed": True})
        return True

    def action_submit(self):
        for monitoring in self:
            if monitoring.state != "draft":
                raise UserError(self.env._("%s is already submitted.", monitoring.name))
            if monitoring.project_id.state != "monitoring":
                raise UserError(self.env._("%s: the project is not in monitoring.", monitoring.name))
            if not monitoring.computed:
                raise UserError(self.env._("%s: compute the period before submitting it.", monitoring.name))
            if monitoring._evaluate()["result"] != monitoring.result:
                raise UserError(self.env._("%s: the data changed since it was computed: compute it again.",
                                           monitoring.name))
            monitoring.write({"state": "submitted"})
            previous = monitoring.previous_id
            if previous:
                previous.write({"state": "superseded", "superseded_by_id": monitoring.id})
        return True

    def action_verify(self):
        if not self.env.user.has_group("carbon_accounting.group_carbon_accountant"):
            raise AccessError(self.env._("Only a carbon accountant records a verification."))
        for monitoring in self:
            if monitoring.state != "submitted":
                raise UserError(self.env._("%s: only a submitted period is verified.", monitoring.name))
            if not monitoring.verification_statement or not monitoring.verifier_id:
                raise UserError(self.env._("%s: name the verifier and attach the verification statement.",
                                           monitoring.name))
            monitoring.write({"state": "verified",
                              "verification_date": monitoring.verification_date or fields.Date.context_today(self)})
        return True

    def action_new_version(self):
        self.ensure_one()
        if self.state not in ("submitted", "verified"):
            raise UserError(self.env._("Only a submitted period is corrected by a new version; edit a draft."))
        if self.search_count([("previous_id", "=", self.id)]):
            raise UserError(self.env._("%s is already being corrected.", self.name))
        correction = self.copy({"version": self.version + 1, "previous_id": self.id})
        for new_line, old_line in zip(correction.line_ids, self.line_ids, strict=True):
            new_line.attachment_ids = old_line.attachment_ids
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": correction.id,
                "view_mode": "form", "name": self.env._("Correction")}

    # ------------------------------------------------------------------ issuance

    def _issued_in_chain(self):
        self.ensure_one()
        chain = self._chain()
        return carbon_math.round_carbon(sum(chain.mapped("issued_tonnes")))

    def _issue(self, tonnes, vintage, registry, serial_from, serial_to, date, reference):
        """Record the credits (reductions) or E-assets (removals) the registry issued from this
        verified period: ``tonnes`` whole tCO2e, at most what the period allows less what earlier
        versions already issued."""
        self.ensure_one()
        if self.state != "verified":
            raise UserError(self.env._("%s: credits are issued from a verified period only.", self.name))
        if self.credit_id or self.removal_id:
            raise UserError(self.env._("%s: its issuance is already recorded.", self.name))
        available = self.issuable_tonnes - self._issued_in_chain()
        if tonnes <= 0 or carbon_math.compare(tonnes, available) > 0 or tonnes != int(tonnes):
            raise UserError(self.env._("%(period)s: issue whole tonnes, from 1 to %(available)s tCO2e.",
                                       period=self.name, available=f"{max(available, 0):g}"))
        project = self.project_id
        vals = {
            "name": reference or self.name, "company_id": self.company_id.id, "tonnes": tonnes, "vintage": vintage,
            "registry_name": registry, "serial_from": serial_from, "serial_to": serial_to,
            "verifier_id": self.verifier_id.id, "verification_date": self.verification_date,
            "verification_statement": self.verification_statement,
            "verification_statement_name": self.verification_statement_name,
            "notes": self.env._("Issued from %(period)s under %(methodology)s.", period=self.name,
                                methodology=self.methodology_id.display_name),
        }
        if self.kind == "removal":
            entry = self.env["carbon.removal"].create({**vals, "method": self.methodology_id.removal_method,
                                                       "origin": "generated", "removal_date": date})
            entry.action_mark_verified()
            self.write({"removal_id": entry.id})
        else:
            entry = self.env["carbon.credit"].create({
                **vals, "credit_type": "reduction", "origin": "issued", "date": date, "standard": "PHCER",
                "project_name": project.name, "project_reference": project.reference})
            entry.action_mark_verified()
            self.write({"credit_id": entry.id})
        return entry

    def action_open_issue_wizard(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "carbon.inclusion.issue", "view_mode": "form",
                "target": "new", "name": self.env._("Record Issuance"),
                "context": {"default_monitoring_id": self.id}}

    def action_open_ledger(self):
        """The ledger records behind the monitoring line given in the context."""
        line = self.env["carbon.inclusion.monitoring.line"].browse(self.env.context.get("line_id"))
        return line.action_open_ledger()

    # ------------------------------------------------------------------ report

    def action_print_report(self):
        return self.env.ref("carbon_accounting.action_report_inclusion_monitoring").report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        content = self.env["carbon.inclusion.report.xlsx"]._render_monitoring_xlsx(self)
        attachment = self.env["ir.attachment"].create({
            "name": f"monitoring_{self.project_id.name}_{self.date_from}_{self.date_to}_v{self.version}.xlsx",
            "raw": content, "res_model": self._name, "res_id": self.id,
            "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}
