#!/usr/bin/env bash
# `make lint`: ruff and pylint-odoo with OCA's rule set for 19.0 (.ruff.toml, .pylintrc-mandatory, rendered
# from OCA's oca-addons-repo-template) over the repository's Python; installs both from PyPI when missing.
# Fails on any finding. Formatting (ruff format) is not checked.
source "$(dirname "$0")/lib.sh"

LINT_PY=${PYTHON:-python3}
ensure_python_deps "$LINT_PY" requirements-lint.txt
cd "$ROOT"
status=0
log "ruff check ($("$LINT_PY" -m ruff --version))"
"$LINT_PY" -m ruff check --no-fix . || status=1
PYLINT_PATHS=(carbon_accounting carbon_accounting_mrp carbon_supplychain_finance scripts tests setup.py)
log "pylint-odoo with .pylintrc-mandatory over ${PYLINT_PATHS[*]}"
"$LINT_PY" -m pylint --rcfile=.pylintrc-mandatory --output-format=colorized "${PYLINT_PATHS[@]}" || status=1
[ $status = 0 ] && log "lint: clean" || printf '\033[1;31m[carbon] lint: findings above\033[0m\n' >&2
exit $status
