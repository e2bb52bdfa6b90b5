from . import main
from . import supplier_portal
