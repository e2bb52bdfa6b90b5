"""Load the addon's pure modules (``carbon_accounting/tools``) without Odoo."""
import importlib.util
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[2] / "carbon_accounting" / "tools"

spec = importlib.util.spec_from_file_location(
    "carbon_tools", TOOLS / "__init__.py", submodule_search_locations=[str(TOOLS)]
)
package = importlib.util.module_from_spec(spec)
sys.modules["carbon_tools"] = package
spec.loader.exec_module(package)

SCF_TOOLS = Path(__file__).resolve().parents[2] / "carbon_supplychain_finance" / "tools"
scf_spec = importlib.util.spec_from_file_location(
    "carbon_scf_tools", SCF_TOOLS / "__init__.py", submodule_search_locations=[str(SCF_TOOLS)]
)
scf_package = importlib.util.module_from_spec(scf_spec)
sys.modules["carbon_scf_tools"] = scf_package
scf_spec.loader.exec_module(scf_package)
