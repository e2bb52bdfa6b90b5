from . import carbon_product_benchmark
from . import carbon_passport
from . import carbon_supplier_scorecard
from . import res_partner
from . import purchase_order_line
