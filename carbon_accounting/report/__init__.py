from . import carbon_register_report
from . import carbon_register_reconciliation
from . import carbon_report_ghg
from . import carbon_report_ghg_xlsx
from . import carbon_report_eliability
from . import carbon_report_eliability_xlsx
from . import carbon_report_eliability_pdf
from . import carbon_evidence_pack_xlsx
