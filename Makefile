.PHONY: demo odoo test test-unit lint bench bench-reports pg-stop clean

# Set up the project's PostgreSQL, install the addons in a demo database, build the demo and
# write its GHG inventory, E-liability statement and carbon register to out/.
demo:
	bash scripts/demo.sh

# Odoo 19 into .venv when no Python imports it (from ODOO_SRC, a local checkout or source tarball, else
# from Odoo's official source), with its requirements, the OCA addons and the project's requirements.
odoo:
	bash scripts/install_odoo.sh

# All tests: pure-Python tests and the Odoo 19 suite on a throw-away database.
test:
	bash scripts/test.sh

# ruff and pylint-odoo with OCA's rule set for 19.0 (.ruff.toml, .pylintrc-mandatory); fails on a finding.
lint:
	bash scripts/lint.sh

# Only the fast pure-Python tests (no Odoo, no PostgreSQL).
test-unit:
	python3 -m pytest -q -p no:cacheprovider -p no:odoo tests/unit

pg-stop:
	bash -c 'source scripts/lib.sh; pg_stop'

clean:
	rm -rf out

# Benchmark: picking validation with and without carbon_accounting (prints ratios).
bench:
	bash scripts/bench.sh

# Benchmark: the GHG inventory, the E-liability statement and the evidence pack over 1,000,000 ledger
# lines (prints times, query counts and plans; the pack's rows per second and memory growth).
bench-reports:
	bash scripts/bench_reports.sh
