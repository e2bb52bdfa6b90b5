from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import carbon_formula
from .carbon_removal import METHODS

KINDS = [("reduction", "Emission Reduction"), ("removal", "Removal (Sink)")]


class CarbonInclusionMethodology(models.Model):
    """A carbon-inclusion (碳普惠) methodology as filed with the provincial ecology and environment
    department: its scope, basis, terms, applicability conditions, accounting boundary and the
    formulas of baseline, project and leakage emissions (or sinks) over named parameters."""

    _name = "carbon.inclusion.methodology"
    _inherit = ["mail.thread"]
    _description = "Carbon Inclusion Methodology"
    _order = "code, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, index=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True,
                                 help="Empty: shared by every company (a methodology filed with the province).")
    kind = fields.Selection(KINDS, required=True, default="reduction", tracking=True,
                            help="Reductions are baseline − project − leakage emissions; removals are project sink "
                                 "− baseline sink − leakage. A reduction is never shown as a removal.")
    removal_method = fields.Selection(METHODS, default="biochar",
                                      help="For a sink: the method of the E-assets its verified removals become.")
    scope = fields.Text(translate=True, help="What the methodology applies to.")
    basis_name = fields.Char(string="Basis", help="The title of the filed methodology.")
    basis_issuer = fields.Char(string="Issuer")
    basis_date = fields.Date(string="Issued on")
    basis_version = fields.Char(string="Version")
    basis_filing_number = fields.Char(string="Filing Number", help="The provincial filing (备案) number.")
    terms = fields.Text(translate=True, help="Terms and definitions.")
    applicability = fields.Text(translate=True, help="Applicability conditions in the methodology's words.")
    condition_ids = fields.One2many("carbon.inclusion.condition", "methodology_id", string="Applicability Checklist",
                                    copy=True)
    geography = fields.Char(translate=True, help="The geographical boundary, e.g. Guangdong Province.")
    accounting_period = fields.Char(translate=True, help="e.g. one calendar year per monitoring period.")
    carbon_pools = fields.Text(translate=True, help="Carbon pools and emission sources inside the boundary.")
    gas_ids = fields.Many2many("carbon.gas", string="Gases")
    crediting_period_years = fields.Integer(string="Crediting Period (years)", default=10, aggregator=False)
    deduction_percent = fields.Float(string="Conservativeness Deduction (%)", aggregator=False,
                                     help="The share of the net result not issued, for uncertainty.")
    baseline_formula = fields.Char(
        required=True,
        default="0",
        help="kgCO2e of the baseline emissions (or sink) over the named parameters, e.g. prunings_kg * ef_burning",
    )
    project_formula = fields.Char(required=True, default="0", help="kgCO2e of the project emissions (or sink).")
    leakage_formula = fields.Char(required=True, default="0", help="kgCO2e of leakage emissions.")
    parameter_ids = fields.One2many("carbon.inclusion.parameter", "methodology_id", string="Parameters", copy=True)
    monitoring_parameter_ids = fields.One2many("carbon.inclusion.monitoring.parameter", "methodology_id",
                                               string="Monitoring Parameters", copy=True)
    uncertainty = fields.Text(translate=True, help="How uncertainty is assessed and reported.")
    qa_qc = fields.Text(string="QA/QC", translate=True, help="Quality assurance and quality control procedures.")
    project_count = fields.Integer(compute="_compute_project_count")

    _deduction_percentage = models.Constraint(
        "CHECK(deduction_percent >= 0 AND deduction_percent <= 100)",
        "A conservativeness deduction is from 0 to 100 %.")
    _crediting_period_positive = models.Constraint(
        "CHECK(crediting_period_years > 0)", "A crediting period is of one year or more.")

    def _compute_project_count(self):
        counts = dict(self.env["carbon.inclusion.project"]._read_group(
            [("methodology_id", "in", self.ids)], ["methodology_id"], ["__count"]))
        for methodology in self:
            methodology.project_count = counts.get(methodology, 0)

    def _formulas(self):
        self.ensure_one()
        return {"baseline": self.baseline_formula, "project": self.project_formula, "leakage": self.leakage_formula}

    def _formula_labels(self):
        if self.kind == "removal":
            return {
                "baseline": self.env._("Baseline sink"),
                "project": self.env._("Project sink"),
                "leakage": self.env._("Leakage emissions"),
            }
        return {"baseline": self.env._("Baseline emissions"), "project": self.env._("Project emissions"),
                "leakage": self.env._("Leakage emissions")}

    @api.constrains("baseline_formula", "project_formula", "leakage_formula")
    def _check_formula_syntax(self):
        for methodology in self:
            for key, formula in methodology._formulas().items():
                try:
                    carbon_formula.parse(formula)
                except carbon_formula.FormulaError as error:
                    raise ValidationError(self.env._("%(methodology)s, %(formula)s formula: %(error)s",
                                                     methodology=methodology.name, formula=key, error=error)) from None

    def _check_formula_names(self):
        """Every name the formulas use is a parameter or a monitoring parameter, and none is both.
        Checked when a project is validated and a period computed (the lines of a methodology are
        created after it)."""
        for methodology in self:
            codes = methodology.parameter_ids.mapped("code")
            monitored = methodology.monitoring_parameter_ids.mapped("code")
            duplicated = set(codes) & set(monitored)
            if duplicated:
                raise UserError(self.env._("%(methodology)s: %(codes)s names both a parameter and a monitoring "
                                           "parameter.", methodology=methodology.name,
                                           codes=", ".join(sorted(duplicated))))
            for key, formula in methodology._formulas().items():
                unknown = set(carbon_formula.names(formula)) - set(codes) - set(monitored)
                if unknown:
                    raise UserError(self.env._(
                        "%(methodology)s, %(formula)s formula: %(names)s is not a parameter of the methodology.",
                        methodology=methodology.name, formula=key, names=", ".join(sorted(unknown))))

    def action_open_projects(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "carbon.inclusion.project",
                "name": self.env._("Projects"), "view_mode": "list,form",
                "domain": [("methodology_id", "=", self.id)], "context": {"default_methodology_id": self.id}}
