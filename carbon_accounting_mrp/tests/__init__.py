from . import test_allocation_follows_goods
from . import test_conservation_random
from . import test_fuel_in_production
from . import test_ghg_by_use
from . import test_production_carbon
from . import test_production_source
from . import test_roles
from . import test_report_footprint
