from . import models
from . import report
from . import wizard


def post_init_hook(env):
    env["carbon.account"]._create_chart(env["res.company"].search([]))
