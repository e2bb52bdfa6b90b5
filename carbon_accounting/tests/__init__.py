from . import test_purchase_carbon
