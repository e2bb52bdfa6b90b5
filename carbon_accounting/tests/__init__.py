from . import test_conservation
from . import test_factor
from . import test_factor_import
from . import test_purchase_carbon
from . import test_security
from . import test_stock_carbon
from . import test_xlsx_export
