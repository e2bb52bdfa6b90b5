#!/usr/bin/env bash
# All tests: the pure-Python tests, then the Odoo suite on a throw-away database of the project's
# own PostgreSQL (the addons' tests, the end-to-end demo test, and Odoo's own tests of purchase,
# purchase_stock, stock_account and mrp_account with the addons installed), then the tours (HttpCase
# classes tagged carbon_tour) with Odoo's own test runner in a headless Chromium. Without an importable
# Odoo 19 the Odoo suite is skipped loudly (`make odoo` or `make demo` installs it into .venv), and so are
# the tours without a Chromium. Under CI (CI=true) a missing Odoo is installed into .venv first (from
# ODOO_SRC, else Odoo's official source; nothing is fetched when Odoo is importable) and a missing
# Chromium is a failure: CI always tests the real thing.
source "$(dirname "$0")/lib.sh"

REPORTS=$(mktemp -d)
trap 'rm -rf "$REPORTS"' EXIT
status=0

if [ "${CI:-}" = "true" ]; then
  ensure_odoo
else
  PY=$(find_odoo_python) || PY=""
fi
BASE_PY=${PY:-python3}
ensure_python_deps "$BASE_PY" requirements.txt requirements-test.txt

log "pure-Python tests (carbon arithmetic, CSV parsing, XLSX rendering)"
"$BASE_PY" -m pytest -q -p no:cacheprovider -p no:odoo "$ROOT/tests/unit" --junitxml="$REPORTS/unit.xml" || status=1

odoo_suite_ran=0
if [ -z "$PY" ]; then
  printf '\n\033[1;31m%s\033[0m\n' "*** ODOO SUITE NOT RUN: Odoo 19 is not importable. ***" >&2
  odoo_missing_help
  if [ "${CI:-}" = "true" ]; then
    status=1
  fi
else
  ensure_odoo_addons "$PY"
  ensure_libreoffice || log "no LibreOffice: the evidence pack's formulas are not recomputed in the tests"
  ensure_wkhtmltopdf || log "no wkhtmltopdf: the PDF reports are not read back in the tests"
  pg_start
  DB=${CARBON_TEST_DB:-carbon_test_$$}
  trap 'rm -rf "$REPORTS"; dropdb_if_exists "$DB" >/dev/null 2>&1 || true' EXIT
  dropdb_if_exists "$DB"
  log "installing carbon_accounting, mrp (carbon_accounting_mrp comes with it) and carbon_supplychain_finance into throw-away database $DB"
  "$PY" -m odoo -c "$ODOO_CONF" -d "$DB" -i carbon_accounting,mrp,carbon_supplychain_finance --stop-after-init --log-level=warn \
    || die "installing the addons into $DB failed"
  ODOO_TESTS=()
  for module in purchase purchase_stock stock_account mrp_account; do
    ODOO_TESTS+=("$(odoo_module_path "$PY" "$module")/tests")
  done
  log "Odoo suite on $DB"
  (cd "$ROOT" && CARBON_TEST_CONF="$ODOO_CONF" "$PY" -m pytest -q -p no:cacheprovider \
      --odoo-database="$DB" --odoo-config="$ODOO_CONF" --junitxml="$REPORTS/odoo.xml" \
      --ignore-glob='*/tests/test_tours.py' --ignore-glob='*/tests/test_*_tour.py' \
      carbon_accounting/tests carbon_accounting_mrp/tests carbon_supplychain_finance/tests tests/e2e "${ODOO_TESTS[@]}") || status=1
  odoo_suite_ran=1

  if ensure_chromium; then
    log "tours in headless Chromium on $DB"
    TOUR_LOG="$REPORTS/tours.log"
    tour_status=0
    (cd "$ROOT" && "$PY" -m odoo -c "$ODOO_CONF" -d "$DB" \
        --test-tags "carbon_tour/carbon_accounting,carbon_tour/carbon_accounting_mrp,carbon_tour/carbon_supplychain_finance" \
        --stop-after-init --http-port "$(free_port)" --log-level=info >"$TOUR_LOG" 2>&1) || tour_status=1
    grep -E "(ERROR|CRITICAL)|FAIL|tests when loading database|Tour .* (failed|succeeded)" "$TOUR_LOG" >&2 || true
    "$BASE_PY" - "$TOUR_LOG" "$REPORTS/tours.xml" "$tour_status" <<'PY' || status=1
import re, sys
log, out, rc = open(sys.argv[1], errors="replace").read(), sys.argv[2], int(sys.argv[3])
# Odoo's summary: "<F> failed, <E> error(s) of <N> tests when loading database '<db>'".
match = re.search(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database", log)
failed, errors, tests = map(int, match.groups()) if match else (0, 1, 1)
skipped = len(re.findall(r"odoo\.tests\.[\w.]*: skipped ", log))
if not tests:
    print("no tour ran: are the HttpCase classes tagged carbon_tour?", file=sys.stderr)
    errors = tests = 1
with open(out, "w") as f:
    f.write(f'<testsuites><testsuite name="tours" tests="{tests}" failures="{failed}" errors="{errors}" '
            f'skipped="{skipped}"/></testsuites>')
sys.exit(1 if rc or failed or errors or not match else 0)
PY
  else
    printf '\n\033[1;31m%s\033[0m\n' "*** TOURS NOT RUN: no Chrome or Chromium (install Debian's 'chromium'). ***" >&2
    if [ "${CI:-}" = "true" ]; then
      status=1
    fi
  fi
fi

"$BASE_PY" - "$REPORTS" "$odoo_suite_ran" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
tests = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.xml"):
    for suite in ET.parse(path).getroot().iter("testsuite"):
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
if sys.argv[2] != "1":
    print("(the Odoo suite was NOT run)")
print(f"total: {tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
exit $status
