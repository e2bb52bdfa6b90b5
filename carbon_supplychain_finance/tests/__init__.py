from . import test_passport
from . import test_label
