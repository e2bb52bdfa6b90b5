from . import carbon_report_eliability
