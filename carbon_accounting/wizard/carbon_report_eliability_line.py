from odoo import fields, models

SECTIONS = [("customer", "Customer"), ("supplier", "Supplier"), ("product", "Product")]


class CarbonReportEliabilityLine(models.TransientModel):
    """A row of the E-liability statement's tables: per customer, supplier or product, with the
    ledger lines behind it."""

    _name = "carbon.report.eliability.line"
    _description = "E-liability Statement Row"
    _order = "section, carbon desc, id"

    wizard_id = fields.Many2one("carbon.report.eliability.wizard", required=True, ondelete="cascade", index=True)
    section = fields.Selection(SECTIONS, required=True)
    partner_id = fields.Many2one("res.partner")
    product_id = fields.Many2one("product.product")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    carbon = fields.Float(string="kgCO2e", digits="Carbon")
    lines_count = fields.Integer(string="Ledger Lines")
    quantity = fields.Float(digits="Product Unit", aggregator=None)
    assessed = fields.Boolean()
    per_unit = fields.Float(string="kgCO2e per Unit", digits="Carbon Factor", aggregator=None)
    unassessed_quantity = fields.Float(string="Quantity of Unknown Carbon", digits="Product Unit", aggregator=None)
    primary_share = fields.Float(string="Primary Data", aggregator=None,
                                 help="Share from vendor declarations of primary or verified primary data.")
    verified_share = fields.Float(string="Verified", aggregator=None,
                                  help="Share from vendor declarations of verified primary data.")
    domain = fields.Json()

    def _ledger_action(self, domain):
        return {"type": "ir.actions.act_window", "res_model": "carbon.move.line",
                "name": self.env._("E-liability Ledger Lines"), "views": [(False, "list"), (False, "form")],
                "domain": domain}

    def action_open_lines(self):
        self.ensure_one()
        return self._ledger_action(self.domain)
