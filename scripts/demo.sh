#!/usr/bin/env bash
# The main job: Odoo 19 (installed into .venv when no Python imports it), a PostgreSQL of the project's own,
# a database with carbon_accounting (and its mrp bridge), the founding-case demo year built in it, and its
# reports written to out/.
source "$(dirname "$0")/lib.sh"

ensure_odoo  # installs Odoo 19 into .venv when no Python imports it
ensure_odoo_addons "$PY"
ensure_python_deps "$PY" requirements.txt
DB=${CARBON_DEMO_DB:-carbon_demo}
OUT=${CARBON_OUT:-$ROOT/out}

pg_start
log "creating database $DB (drops the previous demo database of that name)"
dropdb_if_exists "$DB"
"$PY" -m odoo -c "$ODOO_CONF" -d "$DB" -i carbon_accounting,carbon_accounting_mrp,carbon_supplychain_finance \
  --stop-after-init --log-level=warn \
  || die "installing carbon_accounting, carbon_accounting_mrp and carbon_supplychain_finance into $DB failed"
log "building the demo and exporting its carbon register"
"$PY" "$ROOT/scripts/demo.py" -c "$ODOO_CONF" -d "$DB" --out "$OUT" || die "the demo failed"
log "green supply-chain finance: a bank's programme finances two lychee cooperatives' bills (rolled back)"
"$PY" "$ROOT/scripts/demo_finance.py" -c "$ODOO_CONF" -d "$DB" --out "$OUT" || die "the finance demo failed"
log "done. Browse it: $PY -m odoo -c $ODOO_CONF -d $DB  then open http://127.0.0.1:8069 (login admin, password admin)"
