from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import finance_math
from .carbon_supplier_scorecard import GRADES

INSTRUMENTS = [
    ("reverse_factoring", "Supplier early payment / reverse factoring"),
    ("green_loan", "Green loan"),
    ("sll", "Sustainability-linked loan"),
]
DAY_COUNTS = [
    ("act_360", "Actual/360"),
    ("act_365", "Actual/365 Fixed"),
    ("30_360", "30/360 Bond Basis"),
]
#: Grades, best first: a minimum grade admits it and every better one.
GRADE_ORDER = [code for code, __ in GRADES]


class CarbonFinanceProgramme(models.Model):
    """A green finance programme a financier offers the company: an instrument at a base annual rate,
    the carbon rules a vendor must meet for its bills to be financed, and the green tiers that lower
    the rate by the vendor's scorecard grade."""

    _name = "carbon.finance.programme"
    _description = "Green Finance Programme"
    _inherit = ["mail.thread"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    financier_id = fields.Many2one("res.partner", required=True, check_company=True,
                                   tracking=True)
    instrument = fields.Selection(INSTRUMENTS, required=True, default="reverse_factoring", tracking=True)
    currency_id = fields.Many2one("res.currency", required=True,
                                  default=lambda self: self.env.company.currency_id)
    base_rate = fields.Float(string="Base Annual Rate (%)", digits=(16, 4), required=True, tracking=True)
    day_count = fields.Selection(DAY_COUNTS, string="Day-count Convention", required=True, default="act_360",
                                 help="Actual/360: actual days over 360. Actual/365 Fixed: actual days over 365, "
                                 "leap years included. 30/360 Bond Basis: months of 30 days (ISDA 2006 "
                                 "4.16(f)) over 360.")
    # eligibility
    min_grade = fields.Selection(GRADES, string="Minimum Scorecard Grade",
                                 help="The vendor's latest scorecard must have this grade or a better one. Empty: "
                                 "no grade is required.")
    check_benchmark = fields.Boolean(string="Limit Intensity against Benchmark")
    max_benchmark_ratio = fields.Float(string="Maximum Intensity against Benchmark", default=1.0,
                                       help="The vendor's carbon over what the category benchmarks give for the "
                                       "same quantities must not exceed this (100 %: at the benchmark).")
    require_passport = fields.Boolean(string="Published Passport Required",
                                      help="Every product on the bill has a published, unexpired carbon passport.")
    require_verified = fields.Boolean(string="Verified Data Required")
    min_verified_share = fields.Float(string="Minimum Verified-data Share", default=0.5,
                                      help="Share of the carbon acquired from the vendor backed by verified data.")
    tier_ids = fields.One2many("carbon.finance.programme.tier", "programme_id", string="Green Tiers")
    # accounting
    journal_id = fields.Many2one("account.journal", string="Financing Journal", check_company=True,
                                 domain="[('type', '=', 'general')]",
                                 help="Journal of the entries moving a funded bill from the vendor to the financier.")
    payment_journal_id = fields.Many2one("account.journal", string="Repayment Journal", check_company=True,
                                         domain="[('type', 'in', ('bank', 'cash'))]")
    interest_account_id = fields.Many2one("account.account", string="Financing Cost Account", check_company=True,
                                          domain="[('account_type', 'in', ('expense', 'expense_other'))]")
    # data pack
    endpoint_url = fields.Char(string="Data-pack Endpoint",
                               help="HTTPS address the financier's data pack is posted to when a request is "
                               "submitted. Empty: the pack is only attached to the request.")
    request_count = fields.Integer(compute="_compute_request_count")

    @api.constrains("base_rate", "max_benchmark_ratio", "min_verified_share")
    def _check_figures(self):
        for programme in self:
            if programme.base_rate < 0:
                raise ValidationError(self.env._("The base rate of %s is negative.", programme.name))
            if programme.check_benchmark and programme.max_benchmark_ratio <= 0:
                raise ValidationError(self.env._("The maximum intensity against the benchmark must be positive."))
            if not 0 <= programme.min_verified_share <= 1:
                raise ValidationError(self.env._("The minimum verified-data share is between 0 and 100 %."))

    @api.constrains("endpoint_url")
    def _check_endpoint_url(self):
        for programme in self.filtered("endpoint_url"):
            if not programme._endpoint_allowed(programme.endpoint_url):
                raise ValidationError(self.env._(
                    "The data-pack endpoint must be an https:// address (got %s).", programme.endpoint_url))

    def _endpoint_allowed(self, url):
        """HTTPS only. Plain http is accepted for the loopback address 127.0.0.1 alone, and only where the
        system parameter ``carbon_supplychain_finance.allow_http_loopback`` is set (test servers)."""
        if url.startswith("https://"):
            return True
        loopback = url.startswith("http://127.0.0.1:") or url.startswith("http://127.0.0.1/")
        return loopback and bool(self.env["ir.config_parameter"].sudo().get_param(
            "carbon_supplychain_finance.allow_http_loopback"))

    def _compute_request_count(self):
        counts = dict(self.env["carbon.finance.request"]._read_group(
            [("programme_id", "in", self.ids)], ["programme_id"], ["__count"]))
        for programme in self:
            programme.request_count = counts.get(programme, 0)

    def _tiers(self):
        self.ensure_one()
        return {tier.grade: tier.discount_bps for tier in self.tier_ids}

    def _grade_qualifies(self, grade):
        """Whether ``grade`` is the programme's minimum grade or better (any grade when none is set)."""
        self.ensure_one()
        if not self.min_grade:
            return True
        return bool(grade) and GRADE_ORDER.index(grade) <= GRADE_ORDER.index(self.min_grade)

    def _cost(self, amount, days, discount_bps=0):
        """The financing cost of ``amount`` for ``days`` at the base rate less ``discount_bps``, rounded
        to the programme currency (see ``tools/finance_math.py``)."""
        self.ensure_one()
        rate = finance_math.discounted_rate(self.base_rate, discount_bps)
        return float(finance_math.financing_cost(amount, rate, days, self.day_count,
                                                 self.currency_id.decimal_places)), float(rate)

    def action_view_requests(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "carbon.finance.request", "view_mode": "list,form",
            "name": self.env._("Finance Requests"), "domain": [("programme_id", "=", self.id)],
            "context": {"default_programme_id": self.id},
        }
