from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import carbon_math, target_path

METHODS = [
    ("absolute", "Absolute contraction"),
    ("flag", "FLAG (forest, land and agriculture)"),
    ("intensity", "Intensity"),
]
INTENSITY_BASES = [
    ("revenue", "Per million of revenue"),
    ("unit_sold", "Per unit sold"),
    ("unit_made", "Per unit made"),
]


class CarbonTarget(models.Model):
    """A science-based (SBTi) reduction target: the scopes it covers, a base year whose emissions come
    from the GHG inventory of the posted ledger (or, for years before the ledger, a figure entered with
    its evidence), a linear path to the target year, and the actual figure of each year against it.

    The base figure is recorded when the target is confirmed; when the ledger's base year later moves
    by 5 % or more (a structural change, a factor correction booked as an adjustment), the target
    warns, and re-baselining records the new figure with a trace in the chatter."""

    _name = "carbon.target"
    _inherit = ["mail.thread"]
    _description = "Emission Reduction Target (SBTi)"
    _order = "base_year desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company,
                                 tracking=True)
    state = fields.Selection([("draft", "Draft"), ("confirmed", "Confirmed")], default="draft", required=True,
                             readonly=True, copy=False, tracking=True)
    scope1 = fields.Boolean(string="Scope 1", default=True, tracking=True)
    scope2 = fields.Boolean(string="Scope 2", default=True, tracking=True)
    scope2_basis = fields.Selection([("market", "Market-based"), ("location", "Location-based")],
                                    string="Scope 2 Basis", default="market", required=True, tracking=True)
    scope3 = fields.Boolean(string="Scope 3", tracking=True)
    method = fields.Selection(METHODS, required=True, default="absolute", tracking=True,
                              help="Absolute contraction: the covered emissions fall linearly by the rate, a share of "
                                   "the base each year. FLAG: the same on land-based emissions at the FLAG pathway's "
                                   "rate. Intensity: the emissions per million of revenue or per unit fall so.")
    intensity_basis = fields.Selection(INTENSITY_BASES, default="revenue", tracking=True)
    unit_product_id = fields.Many2one("product.product", string="Product", check_company=True, tracking=True,
                                      help="The product whose units sold or made divide the emissions.")
    unit_category_id = fields.Many2one("product.category", string="Product Category", tracking=True,
                                       help="The category whose units sold or made divide the emissions.")
    rate = fields.Float(
        string="Annual Reduction (% of base)", digits=(5, 2), compute="_compute_rate", store=True, readonly=False,
        precompute=True, tracking=True, aggregator=False,
        help="Linear annual reduction, a share of the base-year figure. SBTi: 4.2 %/yr for Scopes 1 and 2 on a "
             "1.5 °C path; at least 2.5 %/yr (well-below 2 °C) for Scope 3; FLAG pathway 3.03 %/yr (SBTi Forest, "
             "Land and Agriculture (FLAG) Guidance, 2022).")
    base_year = fields.Integer(required=True, tracking=True, aggregator=False,
                               default=lambda self: fields.Date.context_today(self).year - 1)
    submission_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True,
                                  help="The day the target is set or submitted; the target year should come 5 to "
                                       "10 years later.")
    target_year = fields.Integer(required=True, tracking=True, aggregator=False,
                                 default=lambda self: fields.Date.context_today(self).year + 5)
    base_source = fields.Selection(
        [("ledger", "GHG inventory of the ledger"), ("manual", "Entered with evidence")],
        string="Base from", required=True, default="ledger", tracking=True,
        help="Years before the ledger have no posted lines: enter their base figure by hand and attach the "
             "inventory it comes from.")
    base_manual = fields.Float(string="Base Figure Entered", digits="Carbon", tracking=True, aggregator=False,
                               help="In the target's unit: kgCO2e, or kgCO2e per million of revenue or per unit.")
    evidence_ids = fields.Many2many("ir.attachment", "carbon_target_attachment_rel", "target_id", "attachment_id",
                                    help="The inventory or verification behind a base entered "
                                         "by hand: required to confirm it.")
    base_recorded = fields.Float(string="Recorded Base Figure", digits="Carbon", readonly=True, copy=False,
                                 tracking=True, aggregator=False,
                                 help="The base figure recorded when the target was confirmed or last re-baselined; "
                                      "the path runs from it.")
    base_recorded_date = fields.Date(string="Base Recorded on", readonly=True, copy=False)
    line_ids = fields.One2many("carbon.target.line", "target_id", string="Path Lines", readonly=True)

    unit_label = fields.Char(string="Unit", compute="_compute_report")
    base_figure = fields.Float(string="Base Figure Now", digits="Carbon", compute="_compute_report",
                               help="The base year's figure as the ledger gives it today.")
    base_reason = fields.Char(string="Base Missing", compute="_compute_report")
    base_change_percent = fields.Float(string="Base Change (%)", digits=(16, 2), compute="_compute_report")
    recalculation_needed = fields.Boolean(compute="_compute_report")
    target_figure = fields.Float(string="Target-year Figure", digits="Carbon", compute="_compute_report")
    reduction_percent = fields.Float(string="Reduction by Target Year (%)", digits=(5, 2), compute="_compute_report")
    track_status = fields.Selection(
        [("on_track", "On track"), ("off_track", "Off track"), ("no_data", "No data")],
        string="Latest Year", compute="_compute_report")
    track_year = fields.Integer(string="Latest Year Tracked", compute="_compute_report")
    warning = fields.Text(compute="_compute_report")
    path_html = fields.Html(string="Path", compute="_compute_report", sanitize=False)

    _base_year_sbti = models.Constraint(
        "CHECK(base_year >= 2015)", "The SBTi accepts base years from 2015 on.")
    _target_after_base = models.Constraint(
        "CHECK(target_year > base_year)", "The target year comes after the base year.")
    _rate_positive = models.Constraint(
        "CHECK(rate > 0 AND rate <= 100)", "The annual reduction is a share of the base above 0 and at most 100 %.")
    _base_manual_positive = models.Constraint(
        "CHECK(base_manual >= 0)", "A base figure cannot be negative.")

    @api.depends("method", "scope1", "scope2", "scope3")
    def _compute_rate(self):
        for target in self:
            if target.method == "flag":
                target.rate = target_path.RATE_FLAG
            elif target.scope1 or target.scope2:
                target.rate = target_path.RATE_SCOPE12_1_5C
            else:
                target.rate = target_path.RATE_SCOPE3_MIN

    @api.constrains("scope1", "scope2", "scope3")
    def _check_scopes(self):
        for target in self.filtered(lambda t: not (t.scope1 or t.scope2 or t.scope3)):
            raise ValidationError(self.env._("%s: a target covers at least one scope.", target.name))

    @api.constrains("rate", "scope3", "method")
    def _check_scope3_rate(self):
        for target in self:
            if target.scope3 and target.method != "flag" and carbon_math.compare(
                    target.rate, target_path.RATE_SCOPE3_MIN, 2) < 0:
                raise ValidationError(self.env._(
                    "%(target)s: a target covering Scope 3 reduces it by at least %(min)s %% a year, the SBTi's "
                    "well-below 2 °C minimum (%(rate)s %% set).",
                    target=target.name, min=target_path.RATE_SCOPE3_MIN, rate=target.rate))

    @api.constrains("method", "intensity_basis", "unit_product_id", "unit_category_id")
    def _check_unit(self):
        for target in self:
            per_unit = target.method == "intensity" and target.intensity_basis in ("unit_sold", "unit_made")
            if per_unit and bool(target.unit_product_id) == bool(target.unit_category_id):
                raise ValidationError(self.env._(
                    "%s: an intensity per unit names one product or one product category.", target.name))

    # ------------------------------------------------------------------ data

    def _per_unit(self):
        return self.method == "intensity" and self.intensity_basis in ("unit_sold", "unit_made")

    def _unit_label(self):
        if self.method != "intensity":
            return self.env._("kgCO2e")
        if self.intensity_basis == "revenue":
            return self.env._("kgCO2e per million %s of revenue", self.company_id.currency_id.name)
        unit = self.unit_product_id.display_name or self.unit_category_id.display_name or ""
        if self.intensity_basis == "unit_sold":
            return self.env._("kgCO2e per unit sold of %s", unit)
        return self.env._("kgCO2e per unit made of %s", unit)

    def _scopes_label(self):
        labels = []
        if self.scope1:
            labels.append(self.env._("Scope 1"))
        if self.scope2:
            labels.append(
                self.env._("Scope 2 (market-based)")
                if self.scope2_basis == "market"
                else self.env._("Scope 2 (location-based)")
            )
        if self.scope3:
            labels.append(self.env._("Scope 3"))
        return ", ".join(labels)

    def _years_with_data(self, first_year, last_year):
        """The years from ``first_year`` to ``last_year`` with posted emission lines of the company."""
        domain = self.env["carbon.report.ghg"]._line_domain(
            self.company_id, date(first_year, 1, 1), date(last_year, 12, 31))
        groups = self.env["carbon.move.line"].sudo()._read_group(domain, ["date:year"], ["__count"])
        return {day.year for day, __ in groups}

    def _covered(self, data):
        """kgCO2e of the covered scopes in a GHG builder's data."""
        amount = 0.0
        if self.scope1:
            amount += data["scope1"]
        if self.scope2:
            amount += data["scope2_market"] if self.scope2_basis == "market" else data["scope2_location"]
        if self.scope3:
            amount += data["scope3"]
        return carbon_math.round_carbon(amount)

    def _year_figure(self, year):
        """(figure, reason) of one calendar year from the GHG builder: the covered emissions, or their
        intensity; figure None with the reason when there is nothing to divide by."""
        # the figures of the target's company, which the reader may read, whatever their carbon role
        ghg = self.env["carbon.report.ghg"].sudo()
        period = (self.company_id, date(year, 1, 1), date(year, 12, 31))
        if self._per_unit():
            data = ghg._get_data(*period, unit_product=self.unit_product_id or None,
                                 unit_category=self.unit_category_id or None)
        else:
            data = ghg._get_totals(*period)
        emissions = self._covered(data)
        if self.method != "intensity":
            return emissions, ""
        if self.intensity_basis == "revenue":
            figure = carbon_math.intensity_per_million(emissions, data["revenue"])
            return figure, "" if figure is not None else self.env._("%s: no revenue to divide by.", year)
        quantity = (data["unit_intensity"] or {}).get(
            "quantity_sold" if self.intensity_basis == "unit_sold" else "quantity_made")
        figure = carbon_math.intensity(emissions, quantity)
        return figure, "" if figure is not None else self.env._("%s: no units to divide by.", year)

    def _get_report_data(self):
        """The target and its path as plain data (numbers, labels), rendered by the form, the PDF and
        the XLSX. Figures in the target's unit; a year without posted lines has no actual (None)."""
        self.ensure_one()
        today_year = fields.Date.context_today(self).year
        last_year = min(self.target_year, today_year)
        with_data = self._years_with_data(self.base_year, last_year) if last_year >= self.base_year else set()
        figures, reasons = {}, []
        for year in sorted(with_data):
            figure, reason = self._year_figure(year)
            if figure is None:
                reasons.append(reason)
            else:
                figures[year] = figure
        if self.base_source == "manual":
            base, base_reason = self.base_manual, ""
            if self.base_year in with_data:
                reasons.append(
                    self.env._(
                        "The ledger holds posted emissions for %s: its base could come from the ledger.", self.base_year
                    )
                )
        else:
            base = figures.get(self.base_year)
            base_reason = "" if base is not None else self.env._(
                "The ledger holds no figure for %s: enter the base with its evidence.", self.base_year)
        recorded = self.base_recorded if self.state == "confirmed" else None
        path_base = recorded if recorded is not None else base
        actuals = dict(figures)
        if base is not None:
            actuals[self.base_year] = base
        rows = target_path.path(self.base_year, self.target_year, path_base, self.rate,
                                {y: v for y, v in actuals.items() if y <= last_year}) if path_base is not None else []
        latest = target_path.latest_status([row for row in rows if row["year"] > self.base_year])
        warnings = list(reasons)
        if base_reason:
            warnings.insert(0, base_reason)
        recalculation = target_path.needs_recalculation(recorded, base)
        change = target_path.change_percent(recorded, base)
        if recalculation:
            warnings.insert(0, self.env._(
                "The base year %(year)s now reads %(base)s against %(recorded)s recorded (%(change)s %%): a "
                "recalculation policy asks to re-baseline at 5 %% or more (structural change, factor corrections).",
                year=self.base_year, base=carbon_math.fixed_text(base, 3), recorded=carbon_math.fixed_text(recorded, 3),
                change=change if change is not None else "n/a"))
        submission_year = self.submission_date.year
        if not target_path.target_years_ok(submission_year, self.target_year):
            warnings.append(self.env._(
                "The target year %(target)s is %(years)s year(s) after the submission (%(submitted)s): SBTi "
                "near-term targets cover 5 to 10 years.",
                target=self.target_year, years=self.target_year - submission_year, submitted=submission_year))
        if (self.scope1 or self.scope2) and self.method != "flag" and carbon_math.compare(
                self.rate, target_path.RATE_SCOPE12_1_5C, 2) < 0:
            warnings.append(
                self.env._(
                    "%(rate)s %% a year is below the %(min)s %% of a 1.5 °C path for Scopes 1 and 2.",
                    rate=self.rate,
                    min=target_path.RATE_SCOPE12_1_5C,
                )
            )
        years = self.target_year - self.base_year
        return {
            "name": self.name,
            "company": self.company_id.name,
            "scopes": self._scopes_label(),
            "method": self.method,
            "method_label": dict(METHODS)[self.method],
            "rate": self.rate,
            "unit": self._unit_label(),
            "base_year": self.base_year,
            "target_year": self.target_year,
            "submission_date": self.submission_date,
            "base_source": self.base_source,
            "base": base,
            "base_reason": base_reason,
            "base_recorded": recorded,
            "change_percent": change,
            "recalculation_needed": recalculation,
            "target": target_path.target_figure(path_base, self.rate, years) if path_base is not None else None,
            "reduction_percent": target_path.reduction_percent(self.rate, years),
            "path": rows,
            "latest": latest,
            "warnings": warnings,
        }

    @api.depends("company_id", "scope1", "scope2", "scope2_basis", "scope3", "method", "intensity_basis",
                 "unit_product_id", "unit_category_id", "rate", "base_year", "target_year", "submission_date",
                 "base_source", "base_manual", "base_recorded", "state")
    def _compute_report(self):
        for target in self:
            if not (target.base_year and target.target_year and target.target_year > target.base_year
                    and target.rate and target.submission_date and (target.scope1 or target.scope2 or target.scope3)):
                target.update({
                    "unit_label": False, "base_figure": False, "base_reason": False, "base_change_percent": False,
                    "recalculation_needed": False, "target_figure": False, "reduction_percent": False,
                    "track_status": False, "track_year": False, "warning": False, "path_html": False,
                })
                continue
            data = target._get_report_data()
            latest = data["latest"]
            target.update({
                "unit_label": data["unit"],
                "base_figure": data["base"] or 0.0,
                "base_reason": data["base_reason"],
                "base_change_percent": data["change_percent"] or 0.0,
                "recalculation_needed": data["recalculation_needed"],
                "target_figure": data["target"] or 0.0,
                "reduction_percent": data["reduction_percent"],
                "track_status": latest["status"] if latest else "no_data",
                "track_year": latest["year"] if latest else 0,
                "warning": "\n".join(data["warnings"]),
                "path_html": self.env["ir.qweb"]._render("carbon_accounting.carbon_target_path_table",
                                                         {"data": data, "statuses": self._statuses()}),
            })

    def _statuses(self):
        return {
            "on_track": self.env._("On track"),
            "off_track": self.env._("Off track"),
            "no_data": self.env._("No data"),
        }

    # --------------------------------------------------------------- actions

    def _check_base(self, data):
        if data["base"] is None:
            raise UserError(data["base_reason"])
        if self.base_source == "manual" and not self.evidence_ids:
            raise UserError(self.env._(
                "%s: attach the evidence of the base figure entered (the base-year inventory, its verification) "
                "before confirming.", self.name))

    def action_confirm(self):
        for target in self:
            if target.state != "draft":
                raise UserError(self.env._("Only draft targets can be confirmed."))
            data = target._get_report_data()
            target._check_base(data)
            target.write({"state": "confirmed", "base_recorded": data["base"],
                          "base_recorded_date": fields.Date.context_today(self)})
            target._compute_path_lines()
        return True

    def action_rebaseline(self):
        """Record the base year's figure as the ledger gives it now, with a trace of the old one."""
        for target in self:
            if target.state != "confirmed":
                raise UserError(self.env._("Only confirmed targets are re-baselined."))
            data = target._get_report_data()
            target._check_base(data)
            old = target.base_recorded
            target.write({"base_recorded": data["base"], "base_recorded_date": fields.Date.context_today(self)})
            target.message_post(body=self.env._(
                "Re-baselined under the recalculation policy (structural change, factor corrections): base year "
                "%(year)s from %(old)s to %(new)s %(unit)s (%(change)s %%).",
                year=target.base_year, old=carbon_math.fixed_text(old, 3),
                new=carbon_math.fixed_text(data["base"], 3), unit=data["unit"],
                change=data["change_percent"] if data["change_percent"] is not None else "n/a"))
            target._compute_path_lines()
        return True

    def action_reset_draft(self):
        self.write({"state": "draft"})
        return True

    def _compute_path_lines(self):
        """Store the path as lines (one per year and series) for the graph: the target, and the actual
        of each year with data."""
        lines = []
        for target in self:
            for row in target._get_report_data()["path"]:
                day = date(row["year"], 1, 1)
                lines.append({"target_id": target.id, "date": day, "year": row["year"], "series": "target",
                              "value": row["target"]})
                if row["actual"] is not None:
                    lines.append({"target_id": target.id, "date": day, "year": row["year"], "series": "actual",
                                  "value": row["actual"]})
        Line = self.env["carbon.target.line"].sudo()
        Line.search([("target_id", "in", self.ids)]).unlink()
        Line.create(lines)

    def action_view_graph(self):
        """The path and the actuals in a graph, recomputed from the ledger first."""
        self.ensure_one()
        self._compute_path_lines()
        return {
            "type": "ir.actions.act_window", "name": self.env._("%s: Path and Actual", self.name),
            "res_model": "carbon.target.line", "view_mode": "graph,list",
            "views": [(self.env.ref("carbon_accounting.carbon_target_line_view_graph").id, "graph"),
                      (False, "list")],
            "domain": [("target_id", "=", self.id)], "context": {"create": False},
        }

    def action_print_pdf(self):
        return self.env.ref("carbon_accounting.action_report_carbon_target").report_action(self)

    def action_export_xlsx(self):
        return self.env.ref("carbon_accounting.action_report_target_xlsx").report_action(self, config=False)
