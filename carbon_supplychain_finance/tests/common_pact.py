"""The PACT v3 OpenAPI schema (tests/fixtures/pact/openapi-v3.yaml of the repository) as JSON Schema
validators of the answers."""
from pathlib import Path

import jsonschema
import yaml

# WBCSD's licence lets its schema be shared non-commercially only: it stays a test fixture of the
# repository (tests/fixtures/pact, with its licence), outside the addon that users install.
SCHEMA = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "pact" / "openapi-v3.yaml"
if not SCHEMA.exists():
    raise FileNotFoundError(f"The PACT v3 schema these tests validate against is missing: {SCHEMA} "
                            "(spec/v3/openapi.yaml of github.com/wbcsd/data-exchange-protocol, see its README)")
SPEC = yaml.safe_load(SCHEMA.read_text())


def validator(schema):
    """A validator of ``schema`` (a part of the OpenAPI document, its ``$ref``s resolved in it)."""
    return jsonschema.Draft202012Validator(dict(schema, components=SPEC["components"]),
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def response_validator(path, method, status):
    response = SPEC["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        response = SPEC["components"]["schemas"][response["$ref"].rsplit("/", 1)[-1]]
    return validator(response["content"]["application/json"]["schema"])


LIST_OK = response_validator("/3/footprints", "get", 200)
GET_OK = response_validator("/3/footprints/{id}", "get", 200)
ERROR = validator({"$ref": "#/components/schemas/Error"})
FOOTPRINT = validator({"$ref": "#/components/schemas/ProductFootprint"})
