from . import test_passport
from . import test_label
from . import test_scorecard
from . import test_access
from . import test_public_page
from . import test_finance_request
from . import test_finance_pack
from . import test_finance_terms
