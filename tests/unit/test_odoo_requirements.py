"""scripts/odoo_requirements.py: the pins of Odoo's requirements.txt this Python installs."""

import importlib.util
from pathlib import Path

from packaging.markers import default_environment

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "odoo_requirements.py"
spec = importlib.util.spec_from_file_location("odoo_requirements", SCRIPT)
odoo_requirements = importlib.util.module_from_spec(spec)
spec.loader.exec_module(odoo_requirements)

# Lines in the shape of Odoo 19's requirements.txt.
LINES = """\
# The officially supported versions of the following packages are their
cryptography==3.4.8; python_version < '3.12'  # incompatibility between pyopenssl 19.0.0 and cryptography>=37.0.0
cryptography==42.0.8 ; python_version >= '3.12'  # (Noble) min 41.0.7
gevent==22.10.2; sys_platform != 'win32' and python_version > '3.10' and python_version < '3.12'
gevent==24.2.1 ; sys_platform != 'win32' and python_version >= '3.12' and python_version < '3.13'  # (Noble)
lxml-html-clean; python_version >= '3.12' # (Noble - removed from lxml)
psycopg2==2.9.5 ; python_version == '3.11'
psycopg2==2.9.9 ; python_version >= '3.12' and python_version < '3.13' # (Noble)
pypiwin32 ; sys_platform == 'win32'
python-ldap==3.4.4 ; sys_platform != 'win32' and python_version >= '3.12'  # (Noble) Mostly to have a wheel package
pytz  # no version pinning to avoid OS perturbations
geoip2==2.9.0
""".splitlines()


def test_python_311_takes_the_pins_for_312():
    env = dict(odoo_requirements.marker_environment((3, 11, 7)), sys_platform="linux")
    assert env["python_version"] == "3.12"
    assert odoo_requirements.requirements(LINES, env) == [
        "cryptography==42.0.8", "gevent==24.2.1", "lxml-html-clean", "psycopg2==2.9.9", "pytz", "geoip2==2.9.0",
    ]


def test_other_pythons_take_their_own_pins():
    env = dict(default_environment(), python_version="3.10", python_full_version="3.10.12", sys_platform="linux")
    assert odoo_requirements.requirements(LINES, env) == ["cryptography==3.4.8", "pytz", "geoip2==2.9.0"]
    env.update(python_version="3.13", python_full_version="3.13.1")
    assert odoo_requirements.requirements(LINES, env) == ["cryptography==42.0.8", "lxml-html-clean", "pytz",
                                                          "geoip2==2.9.0"]
    assert odoo_requirements.marker_environment((3, 13, 1)) == default_environment()
