#!/usr/bin/env bash
# Benchmark: the GHG inventory, the E-liability statement and the evidence pack over 1,000,000 posted
# ledger lines.
# The database is kept between runs (the lines are generated once); CARBON_BENCH_FRESH=1 rebuilds it.
source "$(dirname "$0")/lib.sh"
PY=$(find_odoo_python) || { odoo_missing_help; die "the benchmark needs Odoo 19"; }
DB=${CARBON_BENCH_REPORTS_DB:-carbon_bench_reports}
pg_start
[ "${CARBON_BENCH_FRESH:-0}" = 1 ] && dropdb_if_exists "$DB"
if ! "$PG_BINDIR/psql" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" -Atc "SELECT 1 FROM ir_module_module
        WHERE name = 'carbon_accounting' AND state = 'installed'" 2>/dev/null | grep -q 1; then
  dropdb_if_exists "$DB"
  log "building $DB (carbon_accounting)"
  "$PY" -m odoo -c "$ODOO_CONF" -d "$DB" -i carbon_accounting --stop-after-init --log-level=warn
else
  log "updating carbon_accounting in $DB"
  "$PY" -m odoo -c "$ODOO_CONF" -d "$DB" -u carbon_accounting --stop-after-init --log-level=warn
fi
"$PY" "$ROOT/tests/benchmarks/bench_reports.py" -c "$ODOO_CONF" -d "$DB" "$@"
log "the evidence pack's background job over the same lines"
"$PY" "$ROOT/tests/benchmarks/bench_pack.py" -c "$ODOO_CONF" -d "$DB"
