from . import carbon_register_report
from . import carbon_register_reconciliation
