"""Install the addons into the ``odoo.addons`` namespace, as OCA packages are.

``pip install .`` next to an Odoo 19 that is itself installed as a Python distribution makes
``carbon_accounting`` importable as ``odoo.addons.carbon_accounting`` and installable in
Odoo without an --addons-path. The project's own scripts use the source tree instead.
"""
import ast
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent
ADDONS = ["carbon_accounting", "carbon_accounting_mrp", "carbon_supplychain_finance"]
DATA_SUFFIXES = (".xml", ".csv", ".png", ".svg", ".md", ".pot", ".po", ".js", ".scss")


def requirements(name):
    return [line.split("#")[0].strip() for line in (HERE / name).read_text().splitlines()
            if line.split("#")[0].strip()]


def addon_packages(addon):
    """Every Python package of the addon, named inside odoo.addons, and its data files."""
    packages, package_dir, package_data = [], {}, {}
    for init in sorted((HERE / addon).rglob("__init__.py")):
        folder = init.parent
        name = ".".join(("odoo", "addons") + folder.relative_to(HERE).parts)
        packages.append(name)
        package_dir[name] = str(folder.relative_to(HERE))
    root = f"odoo.addons.{addon}"
    package_data[root] = [
        str(p.relative_to(HERE / addon)) for p in (HERE / addon).rglob("*")
        if p.is_file() and (p.suffix in DATA_SUFFIXES or p.name == "__manifest__.py")
    ]
    return packages, package_dir, package_data


packages, package_dir, package_data = [], {}, {}
for addon in ADDONS:
    p, d, data = addon_packages(addon)
    packages += p
    package_dir.update(d)
    package_data.update(data)

manifest = ast.literal_eval((HERE / "carbon_accounting" / "__manifest__.py").read_text())

setup(
    name="odoo-addons-carbon-accounting",
    version=manifest["version"],
    description=manifest["summary"],
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license=manifest["license"],
    author=manifest["author"],
    packages=packages,
    package_dir=package_dir,
    package_data=package_data,
    include_package_data=False,
    python_requires=">=3.10",
    install_requires=requirements("requirements.txt") + requirements("requirements-oca.txt"),
    extras_require={"test": requirements("requirements-test.txt")},
    classifiers=[
        "Framework :: Odoo",
        "Framework :: Odoo :: 19.0",
        "License :: OSI Approved :: GNU Affero General Public License v3",
        "Programming Language :: Python :: 3",
    ],
)
