#!/usr/bin/env bash
# Odoo 19 for the project: when no Python imports it ($PYTHON, .venv/bin/python, python3), installs it
# into .venv ($CARBON_VENV) from ODOO_SRC (a local Odoo 19 checkout or source tarball) or Odoo's official
# source; then the OCA addons and the Python packages the project needs. Prints the Python to use.
source "$(dirname "$0")/lib.sh"

ensure_odoo
ensure_odoo_addons "$PY"
ensure_python_deps "$PY" requirements.txt
log "Odoo $("$PY" -c 'import odoo.release as r; print(r.version)') is importable by $PY"
echo "$PY"
