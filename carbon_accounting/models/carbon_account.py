from odoo import api, fields, models

ACCOUNT_TYPES = [
    ("inventory", "Carbon in inventory"),
    ("wip", "Work in progress (production)"),
    ("acquired", "Acquired from suppliers"),
    ("direct", "Direct emissions (Scope 1)"),
    ("energy", "Purchased energy (Scope 2)"),
    ("overhead", "Overhead pool"),
    ("transferred", "Transferred to customers"),
    ("writeoff", "Written off (scrap, losses)"),
    # No longer used: removals (E-assets) and retired credits have registers of their own; the
    # values stay so that entries posted before 19.0.2 still read.
    ("removal", "Removals (E-assets), no longer used"),
    ("offset", "Offsets retired, no longer used"),
]
#: Account types no entry can use any more (see carbon.removal and carbon.credit).
REGISTER_ACCOUNT_TYPES = ("removal", "offset")
#: The E-liability chart each company gets: (code, name, type).
CHART = [
    ("100", "Carbon in inventory", "inventory"),
    ("150", "Work in progress (production)", "wip"),
    ("200", "E-liabilities acquired from suppliers", "acquired"),
    ("300", "Direct emissions (Scope 1)", "direct"),
    ("310", "Purchased energy (Scope 2)", "energy"),
    ("400", "Overhead pool", "overhead"),
    ("500", "Transferred to customers", "transferred"),
    ("600", "Written off: scrap and inventory losses", "writeoff"),
]


class CarbonAccount(models.Model):
    _name = "carbon.account"
    _description = "E-liability Account"
    _order = "company_id, code"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    account_type = fields.Selection(ACCOUNT_TYPES, string="Type", required=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)

    _code_company_unique = models.Constraint(
        "UNIQUE(code, company_id)", "An E-liability account code is unique in a company."
    )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for account in self:
            account.display_name = f"{account.code} {account.name}"

    @api.model
    def _create_chart(self, companies):
        """Give ``companies`` the standard E-liability chart (accounts they lack)."""
        existing = {(a.company_id.id, a.code) for a in self.with_context(active_test=False).search(
            [("company_id", "in", companies.ids)])}
        self.create([
            {"code": code, "name": name, "account_type": kind, "company_id": company.id}
            for company in companies for code, name, kind in CHART
            if (company.id, code) not in existing
        ])

    @api.model
    def _for_company(self, company, complete=True):
        """{account type: the company's first active account of that type}; a chart that lacks a
        type of the standard chart (an older install) is completed first."""
        accounts = {}
        for account in self.sudo().search([("company_id", "=", company.id)], order="code"):
            accounts.setdefault(account.account_type, account.sudo(False))
        if complete and {kind for __, __, kind in CHART} - set(accounts):
            self.sudo()._create_chart(company)
            return self._for_company(company, complete=False)
        return accounts
