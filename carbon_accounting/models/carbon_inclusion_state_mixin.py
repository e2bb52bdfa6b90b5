from odoo import models
from odoo.exceptions import UserError


class CarbonInclusionStateMixin(models.AbstractModel):
    """A carbon-inclusion record that locks once it leaves its first states (a project once
    registered, a monitoring period once submitted)."""

    _name = "carbon.inclusion.state.mixin"
    _description = "Carbon Inclusion Lock by State"

    def _check_open(self, open_states, message):
        """Refuse with ``message`` when one of these records is no longer in ``open_states``."""
        if self.filtered(lambda record: record.state not in open_states):
            raise UserError(message)
