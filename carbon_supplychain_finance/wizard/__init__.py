from . import carbon_scorecard_generate
