from odoo import api, fields, models


class CarbonInclusionParticipant(models.Model):
    """A farmer, household, cooperative or supplier taking part in a project, with its share of the
    activity: the share by which credit revenue is paid out."""

    _name = "carbon.inclusion.participant"
    _description = "Carbon Inclusion Participant"
    _order = "project_id, sequence, id"
    _check_company_auto = True

    project_id = fields.Many2one("carbon.inclusion.project", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one("res.partner", required=True, check_company=True)
    share_percent = fields.Float(string="Activity Share (%)", digits=(5, 4), required=True)
    activity = fields.Char(help="What the participant contributes, e.g. 12 mu of orchard, 30 t of prunings.")

    _share_percentage = models.Constraint("CHECK(share_percent > 0 AND share_percent <= 100)",
                                          "An activity share is more than 0 and at most 100 %.")
    _partner_unique = models.Constraint("UNIQUE(project_id, partner_id)", "A participant is named once per project.")

    @api.model_create_multi
    def create(self, vals_list):
        participants = super().create(vals_list)
        participants.project_id._check_unregistered()
        return participants

    def write(self, vals):
        self.project_id._check_unregistered()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_registered(self):
        self.project_id._check_unregistered()
