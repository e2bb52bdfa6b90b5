from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    carbon_move_ids = fields.One2many("carbon.move", "account_move_id", string="Carbon Entries")
