"""Print the requirements of an Odoo source tree that this Python should install, one a line.

Odoo's requirements.txt pins a version per Python release with environment markers. On Python 3.11
several of its 3.11 pins do not build any more (no wheels, old build back-ends), so there the markers
are evaluated as if the Python were 3.12: the pins Odoo gives for Python >= 3.12 install and work.
python-ldap is left out (LDAP authentication is optional and it needs the OpenLDAP headers to build).

    python scripts/odoo_requirements.py ODOO_SOURCE/requirements.txt > odoo-requirements.txt
"""

import sys

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement

LEFT_OUT = {"python-ldap"}


def marker_environment(version_info=sys.version_info):
    env = default_environment()
    if tuple(version_info[:2]) == (3, 11):
        env.update(python_version="3.12", python_full_version="3.12.0")
    return env


def requirements(lines, env):
    """The requirement strings of `lines` whose markers hold in `env`, without their markers."""
    selected = []
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            req = Requirement(text)
        except InvalidRequirement as exc:
            raise SystemExit(f"cannot parse Odoo's requirement {text!r}: {exc}") from exc
        if req.name.lower() in LEFT_OUT or (req.marker and not req.marker.evaluate(env)):
            continue
        extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
        selected.append(f"{req.name}{extras}{req.specifier}")
    return selected


def main(argv):
    if len(argv) != 2:
        raise SystemExit(f"usage: {argv[0]} PATH/TO/requirements.txt")
    with open(argv[1], encoding="utf-8") as f:
        sys.stdout.write("".join(f"{req}\n" for req in requirements(f, marker_environment())))


if __name__ == "__main__":
    main(sys.argv)
