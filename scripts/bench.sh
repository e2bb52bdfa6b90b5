#!/usr/bin/env bash
# Benchmark: validating pickings with and without carbon_accounting, in one run.
source "$(dirname "$0")/lib.sh"
PY=$(find_odoo_python) || { odoo_missing_help; die "the benchmark needs Odoo 19"; }
# the databases are named $CARBON_BENCH_DB_without and $CARBON_BENCH_DB_with (so that several people
# can benchmark on one PostgreSQL)
BENCH_DB=${CARBON_BENCH_DB:-carbon_bench}
WITHOUT=${BENCH_DB}_without WITH=${BENCH_DB}_with
pg_start
for db in "$WITHOUT" "$WITH"; do dropdb_if_exists "$db"; done
log "building $WITHOUT (purchase_stock) and $WITH (carbon_accounting)"
"$PY" -m odoo -c "$ODOO_CONF" -d "$WITHOUT" -i purchase_stock --stop-after-init --log-level=warn
"$PY" -m odoo -c "$ODOO_CONF" -d "$WITH" -i carbon_accounting --stop-after-init --log-level=warn
"$PY" "$ROOT/tests/benchmarks/bench_picking.py" -c "$ODOO_CONF" --without "$WITHOUT" --with "$WITH"
