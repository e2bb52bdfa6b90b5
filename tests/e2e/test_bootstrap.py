"""`make odoo` / `make demo` on a machine where no Python imports Odoo: Odoo 19 into a virtualenv from ODOO_SRC.

Runs scripts/install_odoo.sh for real with ODOO_SRC pointing at a local Odoo 19 source, once as a source
tarball and once as a checkout directory, into a throw-away virtualenv (CARBON_VENV), with a `python3` first
on the PATH that cannot import Odoo (it starts without site-packages): the machine without Odoo. The
virtualenv sees the system's site-packages, so Odoo's requirements already installed are not downloaded
again: the source given is small (Odoo's `odoo` package and requirements.txt, taken from the Odoo the
suite runs on, without its standard addons) and the install takes seconds.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
from pathlib import Path

import pytest

import odoo.release

ROOT = Path(__file__).resolve().parents[2]
ODOO_ROOT = Path(odoo.release.__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def _odoo_tree(dest):
    """A small Odoo 19 source tree: the running Odoo's `odoo` package and its requirements.txt."""
    if not (ODOO_ROOT / "requirements.txt").is_file():
        pytest.skip(f"the importable Odoo ({ODOO_ROOT}) is not a source tree with a requirements.txt")
    shutil.copytree(ODOO_ROOT / "odoo", dest / "odoo", ignore=IGNORE)
    shutil.copy(ODOO_ROOT / "requirements.txt", dest / "requirements.txt")
    return dest


def _machine_without_odoo(tmp_path):
    """The environment of a machine whose python3 cannot import Odoo."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "python3"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    shim.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHON", "PYTHONPATH", "ODOO_SRC")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env['PATH']}", CARBON_VENV=str(tmp_path / "venv"))
    if sys.prefix != sys.base_prefix:
        # the suite runs in a virtualenv (the project's .venv on a fresh machine): the throw-away one, made
        # from the base Python, sees the packages installed there too, instead of downloading them again
        env["PYTHONPATH"] = sysconfig.get_paths()["purelib"]
    return env


def _bash(script, env):
    return subprocess.run(["bash", "-c", f'source "{ROOT}/scripts/lib.sh"; {script}'], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("kind", ["tarball", "directory"])
def test_odoo_into_venv_from_odoo_src(tmp_path, kind):
    env = _machine_without_odoo(tmp_path)
    venv_python = tmp_path / "venv" / "bin" / "python"
    check = _bash("find_odoo_python", env)
    assert check.returncode == 1, f"python3 should not import Odoo here: {check.stdout}{check.stderr}"
    if kind == "tarball":
        tree = _odoo_tree(tmp_path / "odoo-19.0")
        src = tmp_path / "odoo_19.0.tar.gz"
        with tarfile.open(src, "w:gz") as tar:
            tar.add(tree, arcname="odoo-19.0")
        shutil.rmtree(tree)
        expected_source = tmp_path / "venv" / "src" / "odoo"
    else:
        src = expected_source = _odoo_tree(tmp_path / "odoo-checkout")
    env["ODOO_SRC"] = str(src)

    run = subprocess.run(["bash", str(ROOT / "scripts" / "install_odoo.sh")], env=env, capture_output=True,
                         text=True, timeout=300)

    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1] == str(venv_python)
    version = subprocess.run([str(venv_python), "-c", "import odoo.release as r; print(r.version, r.__file__)"],
                             capture_output=True, text=True, check=True).stdout.split()
    assert version[0] == "19.0"
    assert Path(version[1]).resolve() == (expected_source / "odoo" / "release.py").resolve()
    requirements = (tmp_path / "venv" / "odoo-requirements.txt").read_text().splitlines()
    assert "psycopg2" in {line.split("=")[0] for line in requirements}
    assert not [line for line in requirements if line.lower().startswith("python-ldap")]
    found = _bash("find_odoo_python", env)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == str(venv_python)
