from . import carbon_report_sll
