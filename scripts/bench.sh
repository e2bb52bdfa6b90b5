#!/usr/bin/env bash
# Benchmark: validating pickings with and without carbon_accounting, in one run.
source "$(dirname "$0")/lib.sh"
PY=$(find_odoo_python) || { odoo_missing_help; die "the benchmark needs Odoo 19"; }
pg_start
for db in carbon_bench_without carbon_bench_with; do dropdb_if_exists "$db"; done
log "building carbon_bench_without (purchase_stock) and carbon_bench_with (carbon_accounting)"
"$PY" -m odoo -c "$ODOO_CONF" -d carbon_bench_without -i purchase_stock --stop-after-init --log-level=warn
"$PY" -m odoo -c "$ODOO_CONF" -d carbon_bench_with -i carbon_accounting --stop-after-init --log-level=warn
"$PY" "$ROOT/tests/benchmarks/bench_picking.py" -c "$ODOO_CONF" --without carbon_bench_without --with carbon_bench_with
