from . import test_production_carbon
