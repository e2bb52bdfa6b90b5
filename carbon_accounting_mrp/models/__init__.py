from . import carbon_allocation
from . import mrp_production
from . import stock_move
from . import carbon_move
from . import carbon_move_line
