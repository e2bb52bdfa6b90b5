from odoo import fields, models

from ..routers import pact_router


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    app = fields.Selection(selection_add=[("pact", "PACT v3 product footprints")], ondelete={"pact": "cascade"})

    def _get_fastapi_routers(self):
        if self.app == "pact":
            return [pact_router]
        return super()._get_fastapi_routers()
