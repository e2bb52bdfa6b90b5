import base64

from odoo import api, fields, models

STATEMENT_KEYS = ("opening", "direct", "energy", "acquired", "transferred", "written_off", "closing",
                  "ledger_closing", "removals_verified", "net_of_removals", "credits_retired")


def _partner_line(section, row, **extra):
    """The values of a statement line of a customer or supplier ``row`` of the statement's data."""
    return {"section": section, "partner_id": row["partner"].id, "carbon": row["carbon"],
            "lines_count": row["lines"], "domain": row["domain"], **extra}


class CarbonReportEliabilityWizard(models.TransientModel):
    """The E-liability statement of a company and period on screen (figures from
    ``carbon.report.eliability._get_data``), with its PDF, XLSX and drill-downs into the ledger."""

    _name = "carbon.report.eliability.wizard"
    _description = "E-liability Statement"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(required=True, default=lambda self: fields.Date.context_today(self).replace(month=1, day=1))
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    computed = fields.Boolean(readonly=True)
    opening = fields.Float(string="Opening Held", digits="Carbon", readonly=True)
    direct = fields.Float(string="Direct Emissions (Scope 1)", digits="Carbon", readonly=True)
    energy = fields.Float(string="Acquired from Energy Suppliers (Scope 2)", digits="Carbon", readonly=True)
    acquired = fields.Float(string="Acquired from Other Suppliers", digits="Carbon", readonly=True)
    transferred = fields.Float(string="Transferred to Customers", digits="Carbon", readonly=True)
    written_off = fields.Float(digits="Carbon", readonly=True)
    closing = fields.Float(string="Closing Held", digits="Carbon", readonly=True)
    ledger_closing = fields.Float(string="Held in the Ledger at End Date", digits="Carbon", readonly=True)
    closing_ok = fields.Boolean(string="Closing Agrees with the Ledger", readonly=True)
    removals_verified = fields.Float(string="Verified Removals Held (kgCO2e)", digits="Carbon", readonly=True,
                                     help="E-assets: verified removals held net of their buffer, in kgCO2e.")
    net_of_removals = fields.Float(string="Closing net of Verified Removals", digits="Carbon", readonly=True,
                                   help="For information: it never replaces the gross figures above.")
    credits_retired = fields.Float(string="Credits Retired in the Period (kgCO2e)", digits="Carbon", readonly=True,
                                   help="Avoidance credits retired: they never reduce E-liabilities.")
    domains = fields.Json(readonly=True)
    line_ids = fields.One2many("carbon.report.eliability.line", "wizard_id", readonly=True)
    customer_line_ids = fields.One2many("carbon.report.eliability.line", "wizard_id",
                                        domain=[("section", "=", "customer")], readonly=True)
    supplier_line_ids = fields.One2many("carbon.report.eliability.line", "wizard_id",
                                        domain=[("section", "=", "supplier")], readonly=True)
    product_line_ids = fields.One2many("carbon.report.eliability.line", "wizard_id",
                                       domain=[("section", "=", "product")], readonly=True)
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.depends("company_id", "date_from", "date_to")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._("E-liability Statement %(company)s, %(start)s to %(end)s",
                                             company=wizard.company_id.name, start=wizard.date_from, end=wizard.date_to)

    def _data(self):
        self.ensure_one()
        return self.env["carbon.report.eliability"]._get_data(self.company_id, self.date_from, self.date_to)

    def _reopen(self):
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "name": self.env._("E-liability Statement"), "view_mode": "form", "target": "current"}

    def action_compute(self):
        data = self._data()
        lines = [_partner_line("customer", r) for r in data["by_customer"]]
        lines += [
            _partner_line("supplier", r, primary_share=r["quality_share"]["verified"] + r["quality_share"]["primary"],
                          verified_share=r["quality_share"]["verified"])
            for r in data["by_supplier"]
        ]
        lines += [
            {
                "section": "product",
                "product_id": r["product"].id,
                "carbon": r["carbon"],
                "quantity": r["quantity"],
                "per_unit": r["per_unit"] or 0.0,
                "assessed": r["per_unit"] is not None,
                "unassessed_quantity": r["unassessed_quantity"],
                "domain": r["domain"],
            }
            for r in data["by_product"]
        ]
        self.line_ids.unlink()
        self.write({
            **{key: data[key] for key in STATEMENT_KEYS}, "closing_ok": data["closing_ok"], "computed": True,
            "domains": {**data["domains"], "credits_retired": data["credits_retired_domain"]},
            "line_ids": [fields.Command.create(vals) for vals in lines], "file": False,
        })
        return self._reopen()

    def action_open_ledger(self):
        """The ledger lines behind the statement row named by the context key ``eliability_key``."""
        self.ensure_one()
        key = self.env.context.get("eliability_key")
        if key == "credits_retired":
            return {"type": "ir.actions.act_window", "res_model": "carbon.register.movement",
                    "name": self.env._("Credits Retired"), "views": [(False, "list"), (False, "form")],
                    "domain": self.domains[key]}
        return self.env["carbon.report.eliability.line"]._ledger_action(self.domains[key])

    def action_print_pdf(self):
        return self.env.ref("carbon_accounting.action_report_eliability_statement").report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        content, __ = self.env["ir.actions.report"]._render_xlsx("carbon_accounting.eliability_xlsx", self.ids, {})
        self.write({"file": base64.b64encode(content),
                    "filename": f"e_liability_{self.company_id.name}_{self.date_from}_{self.date_to}.xlsx"})
        return self._reopen()

    @api.onchange("company_id", "date_from", "date_to")
    def _onchange_period(self):
        self.computed = False
