from . import test_allocation_follows_goods
from . import test_conservation_random
from . import test_production_carbon
