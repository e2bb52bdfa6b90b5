from . import carbon_factor_import
from . import carbon_factor_version
from . import carbon_xlsx_export
from . import carbon_conservation
from . import carbon_stock_adjustment
from . import carbon_report_ghg_wizard
from . import carbon_report_eliability_wizard
from . import carbon_report_eliability_line
