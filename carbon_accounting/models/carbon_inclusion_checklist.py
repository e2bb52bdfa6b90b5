from odoo import fields, models

ANSWERS = [("yes", "Met"), ("no", "Not met")]


class CarbonInclusionChecklist(models.Model):
    """A project's answer to one applicability condition of its methodology, with the evidence."""

    _name = "carbon.inclusion.checklist"
    _description = "Carbon Inclusion Applicability Answer"
    _order = "project_id, sequence, id"

    project_id = fields.Many2one("carbon.inclusion.project", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    condition_id = fields.Many2one("carbon.inclusion.condition", required=True, ondelete="restrict")
    sequence = fields.Integer(related="condition_id.sequence", store=True)
    answer = fields.Selection(ANSWERS)
    explanation = fields.Text()
    attachment_ids = fields.Many2many("ir.attachment", string="Evidence")
