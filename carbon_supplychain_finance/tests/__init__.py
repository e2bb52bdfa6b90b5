from . import test_passport
from . import test_label
from . import test_scorecard
