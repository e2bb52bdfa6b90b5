from . import carbon_register_report
