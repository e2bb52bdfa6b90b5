# Shared settings and helpers for the project's scripts (sourced, not run).
# Everything here is overridable from the environment.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=${CARBON_RUN_DIR:-/var/tmp/carbon_accounting}
PGPORT=${CARBON_PGPORT:-55432}
PGHOST=127.0.0.1
PGUSER=${CARBON_PGUSER:-carbon}
PGDATA=${CARBON_PGDATA:-$RUN_DIR/pg-$PGPORT}
ODOO_CONF=$RUN_DIR/odoo-$PGPORT.conf
export PGPORT PGHOST PGUSER

log() { printf '\033[1m[carbon]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[carbon] ERROR:\033[0m %s\n' "$*" >&2; exit 1; }

# The project's virtualenv: where `make demo` installs Odoo 19 when no Python imports it.
VENV=${CARBON_VENV:-$ROOT/.venv}
ODOO_GIT_URL=https://github.com/odoo/odoo.git
ODOO_TARBALL_URL=https://nightly.odoo.com/19.0/nightly/src/odoo_19.0.latest.tar.gz

# The Python that can import Odoo 19: $PYTHON, else the project's .venv, else python3.
find_odoo_python() {
  local py
  for py in ${PYTHON:-} "$VENV/bin/python" python3; do
    [ -n "$py" ] || continue
    command -v "$py" >/dev/null 2>&1 || [ -x "$py" ] || continue
    if "$py" -c 'import odoo.release as r, sys; sys.exit(r.version_info[0] != 19)' >/dev/null 2>&1; then
      echo "$py"; return 0
    fi
  done
  return 1
}

odoo_missing_help() {
  cat >&2 <<'MSG'
Odoo 19.0 is not importable by $PYTHON, .venv/bin/python or python3.
`make odoo` (or `make demo`, which runs it first) installs it into the project's .venv from Odoo's
official source (a shallow clone of its 19.0 branch), or from ODOO_SRC: a local Odoo 19 checkout or
source tarball (.tar.gz, .zip). See README "Installing Odoo 19". Or point PYTHON at a Python where
`import odoo` gives 19.0.
MSG
}

# Sets PY to a Python that imports Odoo 19; when none does, installs Odoo 19 into $VENV first.
ensure_odoo() {
  PY=$(find_odoo_python) && return 0
  install_odoo_venv
  PY=$(find_odoo_python) || die "Odoo 19 was installed into $VENV but $VENV/bin/python cannot import it"
}

# Odoo 19 into $VENV: a virtualenv that sees the system's site-packages (Debian's python3-* packages and
# whatever is installed already are reused, not downloaded or built again; pip installs Odoo's pins that
# differ into the venv, where they take precedence), Odoo's source on its path (a .pth file, as an
# editable install), Odoo's Python requirements.
install_odoo_venv() {
  local py=$VENV/bin/python src site
  if [ ! -x "$py" ]; then
    log "creating the virtualenv $VENV (python3 -m venv --system-site-packages)"
    python3 -m venv --system-site-packages "$VENV" 2>/dev/null || {
      rm -rf "$VENV"
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing Debian's python3-venv package"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null) \
          || die "apt-get install python3-venv failed"
      fi
      python3 -m venv --system-site-packages "$VENV" || die "python3 -m venv $VENV failed (Debian: apt-get install python3-venv)"
    }
  fi
  src=$(odoo_source) || exit 1
  [ -f "$src/odoo/release.py" ] && [ -f "$src/requirements.txt" ] \
    || die "$src is not an Odoo source tree (no odoo/release.py and requirements.txt)"
  grep -Eq '^version_info = \(19, 0,' "$src/odoo/release.py" || die "$src is not Odoo 19.0 (see its odoo/release.py)"
  site=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  echo "$src" >"$site/odoo19.pth"
  log "Odoo 19 source: $src (on $py's path by $site/odoo19.pth)"
  "$py" -c 'import packaging.markers' >/dev/null 2>&1 || "$py" -m pip install -q packaging >&2
  "$py" "$ROOT/scripts/odoo_requirements.py" "$src/requirements.txt" >"$VENV/odoo-requirements.txt" \
    || die "cannot read Odoo's requirements from $src/requirements.txt"
  ensure_build_tools "$py"
  log "installing Odoo's Python requirements into $VENV (the pins of $VENV/odoo-requirements.txt)"
  "$py" -m pip install -q -r "$VENV/odoo-requirements.txt" >&2 \
    || die "installing Odoo's Python requirements into $VENV failed (see above)"
}

# The directory of the Odoo 19 source tree to use: ODOO_SRC itself when it is a directory, ODOO_SRC
# unpacked into $VENV/src when it is a tarball or zip, else the source got before, else Odoo's official
# source fetched into $VENV/src/odoo: a shallow clone of its 19.0 branch (the nightly source tarball
# when git is missing).
odoo_source() {
  local dest=$VENV/src/odoo tmp
  if [ -n "${ODOO_SRC:-}" ]; then
    if [ -d "$ODOO_SRC" ]; then
      (cd "$ODOO_SRC" && pwd); return 0
    fi
    [ -f "$ODOO_SRC" ] || die "ODOO_SRC=$ODOO_SRC is neither a directory nor a file"
    unpack_odoo "$ODOO_SRC" "$dest"; echo "$dest"; return 0
  fi
  if [ -f "$dest/odoo/release.py" ]; then
    echo "$dest"; return 0
  fi
  rm -rf "$dest"; mkdir -p "$VENV/src"
  if command -v git >/dev/null 2>&1; then
    log "fetching Odoo 19 from $ODOO_GIT_URL (git clone --depth 1 --branch 19.0)"
    git clone -q --depth 1 --branch 19.0 "$ODOO_GIT_URL" "$dest" >&2 \
      || die "git clone of $ODOO_GIT_URL failed: without internet, set ODOO_SRC to a local Odoo 19 checkout or tarball"
  else
    log "fetching Odoo 19 from $ODOO_TARBALL_URL"
    tmp=$VENV/src/odoo_19.0.latest.tar.gz
    python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' \
        "$ODOO_TARBALL_URL" "$tmp" \
      || die "download of $ODOO_TARBALL_URL failed: without internet, set ODOO_SRC to a local Odoo 19 checkout or tarball"
    unpack_odoo "$tmp" "$dest"
    rm -f "$tmp"
  fi
  echo "$dest"
}

unpack_odoo() {  # $1: source tarball or zip; $2: the directory to hold its tree (replaced)
  local archive=$1 dest=$2 top
  log "unpacking $archive into $dest"
  rm -rf "$dest" "$dest.unpack"; mkdir -p "$dest.unpack"
  python3 -c 'import shutil, sys; shutil.unpack_archive(sys.argv[1], sys.argv[2])' "$archive" "$dest.unpack" \
    || die "cannot unpack $archive (a .tar.gz, .tgz, .tar or .zip of Odoo 19's source)"
  top=$(find "$dest.unpack" -maxdepth 3 -path '*/odoo/release.py' | head -1)
  [ -n "$top" ] || die "$archive holds no Odoo source tree (no odoo/release.py)"
  mv "$(dirname "$(dirname "$top")")" "$dest"
  rm -rf "$dest.unpack"
}

# A C compiler and libpq's headers when $1 cannot import psycopg2: Odoo pins psycopg2, which is built
# from source. Installed from Debian's packages when they are missing and we are root.
ensure_build_tools() {  # $1: python
  "$1" -c 'import psycopg2' >/dev/null 2>&1 && return 0
  command -v cc >/dev/null 2>&1 && command -v pg_config >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's build-essential, python3-dev and libpq-dev (psycopg2 is built from source)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential python3-dev libpq-dev \
      >/dev/null) || log "apt-get install of the build tools failed: pip may not build psycopg2"
  fi
}

ensure_python_deps() {  # $1: python; $2...: requirement files
  local py=$1; shift
  local f missing=()
  for f in "$@"; do
    while IFS= read -r req; do
      req=${req%%#*}; req=$(echo "$req" | xargs)
      [ -n "$req" ] || continue
      mod=$(echo "$req" | sed -E 's/[<>=!~ ;].*//' | tr 'A-Z-' 'a-z_')
      "$py" -c "import $mod" >/dev/null 2>&1 || missing+=("$req")
    done < "$ROOT/$f"
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Python packages: ${missing[*]}"
    "$py" -m pip install -q "${missing[@]}"
  fi
}

# OCA addons (requirements-oca.txt) that `import odoo.addons.<name>` does not find: installed from PyPI
# with --no-deps, as they pin the `odoo` distribution and the Odoo in use is not always one.
ensure_odoo_addons() {  # $1: python that imports Odoo 19
  local py=$1 req name missing=()
  while IFS= read -r req; do
    req=${req%%#*}; req=$(echo "$req" | xargs)
    [ -n "$req" ] || continue
    name=$(echo "$req" | sed -E 's/[<>=!~ ;].*//; s/^odoo-addon-//' | tr 'A-Z-' 'a-z_')
    "$py" -c "import importlib.util as u, sys; sys.exit(u.find_spec('odoo.addons.$name') is None)" \
      >/dev/null 2>&1 || missing+=("$req")
  done < "$ROOT/requirements-oca.txt"
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing OCA addons: ${missing[*]}"
    "$py" -m pip install -q --no-deps "${missing[@]}"
  fi
}

pg_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return 0; fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

# The OS user that owns the cluster: initdb refuses root.
pg_os_user() {
  if [ "$(id -u)" != 0 ]; then id -un; return; fi
  if ! id -u postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  echo postgres
}

as_pg_user() {  # run a command as the cluster's owner
  local user; user=$(pg_os_user)
  if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

# Start (initialising on first use) the project's own PostgreSQL on 127.0.0.1:$PGPORT.
pg_start() {
  local bindir
  if ! bindir=$(pg_bindir); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "installing Debian's postgresql package"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
        || die "apt-get install postgresql failed"
      bindir=$(pg_bindir) || die "postgresql installed but initdb not found"
    else
      die "PostgreSQL server binaries not found: install Debian's 'postgresql' package (sudo apt-get install postgresql)"
    fi
  fi
  local user; user=$(pg_os_user)
  mkdir -p "$RUN_DIR"; chmod 755 "$RUN_DIR"
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    log "initialising PostgreSQL cluster in $PGDATA (owner $user, role $PGUSER)"
    mkdir -p "$PGDATA"; chown "$user" "$PGDATA"; chmod 700 "$PGDATA"
    as_pg_user "$bindir/initdb" -D "$PGDATA" -U "$PGUSER" --auth=trust -E UTF8 --locale=C.UTF-8 >"$RUN_DIR/initdb.log" 2>&1 \
      || { cat "$RUN_DIR/initdb.log" >&2; die "initdb failed"; }
    cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGDATA'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  fi
  if ! as_pg_user "$bindir/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    log "starting PostgreSQL on $PGHOST:$PGPORT"
    as_pg_user "$bindir/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start >/dev/null \
      || { tail -20 "$PGDATA/server.log" >&2; die "PostgreSQL did not start"; }
  fi
  "$bindir/pg_isready" -h "$PGHOST" -p "$PGPORT" -q || die "PostgreSQL is not answering on $PGHOST:$PGPORT"
  PG_BINDIR=$bindir
  write_odoo_conf
}

pg_stop() {
  local bindir; bindir=$(pg_bindir) || return 0
  [ -f "$PGDATA/PG_VERSION" ] || return 0
  as_pg_user "$bindir/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
}

write_odoo_conf() {
  mkdir -p "$RUN_DIR/filestore"
  cat >"$ODOO_CONF" <<CONF
[options]
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
addons_path = $ROOT
data_dir = $RUN_DIR/filestore
list_db = True
http_interface = 127.0.0.1
CONF
}

odoo_module_path() {  # $1: python, $2: module name
  "$1" -c "
import sys
import odoo.init
from odoo.tools import config
config.parse_config(['-c', sys.argv[1]], setup_logging=False)
from odoo.modules.module import get_module_path
print(get_module_path(sys.argv[2]) or '')" "$ODOO_CONF" "$2"
}

# A command the tests use, from Debian's PACKAGE when it is missing and we are root (as PostgreSQL
# is): ensure_tool COMMAND PACKAGE WHY [apt-get options]. Fails when it cannot be had.
ensure_tool() {
  local cmd=$1 package=$2 why=$3
  shift 3
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's $package package ($why)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" "$package" >/dev/null) \
      && command -v "$cmd" >/dev/null 2>&1 && return 0
  fi
  return 1
}

# The headless browser of Odoo's tours: Chrome or Chromium on the PATH, else Debian's `chromium`.
ensure_chromium() {
  local bin
  for bin in google-chrome chromium-browser google-chrome-stable; do
    command -v "$bin" >/dev/null 2>&1 && return 0
  done
  ensure_tool chromium chromium "for the tours"
}

# LibreOffice Calc, headless: the tests open the evidence pack in it to recompute its formulas.
ensure_libreoffice() {
  ensure_tool soffice libreoffice-calc-nogui "the evidence pack's tests recompute it" --no-install-recommends
}

# wkhtmltopdf: Odoo renders its PDF reports with it; the tests read the text of the target's and
# the passport's PDFs.
ensure_wkhtmltopdf() {
  ensure_tool wkhtmltopdf wkhtmltopdf "Odoo's PDF reports, read back in the tests"
}

free_port() {  # a TCP port nobody listens on, for Odoo's HTTP server during the tours
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

dropdb_if_exists() { "$PG_BINDIR/dropdb" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" --if-exists "$1"; }
