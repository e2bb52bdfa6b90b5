from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .carbon_supplier_scorecard import GRADES


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    carbon_min_grade = fields.Selection(
        GRADES, string="Carbon-linked: Minimum Vendor Grade",
        help="An early-payment discount term granted on the bills of vendors whose latest scorecard has this "
        "grade or a better one: such bills get this term automatically, and it says so on the bill.")

    @api.constrains("carbon_min_grade", "early_discount")
    def _check_carbon_min_grade(self):
        for term in self:
            if term.carbon_min_grade and not term.early_discount:
                raise ValidationError(self.env._(
                    "%s is carbon-linked: it must grant an early-payment discount.", term.name))
