"""The PACT v3 OpenAPI schema (static/pact/openapi-v3.yaml) as JSON Schema validators of the answers."""
from pathlib import Path

import jsonschema
import yaml

SPEC = yaml.safe_load((Path(__file__).resolve().parents[1] / "static" / "pact" / "openapi-v3.yaml").read_text())


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
