"""Flask's rule syntax to OpenAPI's path syntax, in one place: `/items/<int:item_id>` -> `/items/{item_id}`.

The OpenAPI builder, the CORS preflight documentation and the explorer all key routes by the OpenAPI
path; they must agree on it, so they all call these.
"""

import re
from typing import Any

# <name>, <converter:name> and <converter(arguments):name>.
CONVERTER = re.compile(r"<(?:(?P<conv>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_SCHEMA = {"int": {"type": "integer"}, "float": {"type": "number"}}


def openapi_path(rule: str) -> str:
    """The OpenAPI path of a Flask rule: every <converter:name> becomes {name}."""
    return CONVERTER.sub(lambda m: "{" + m["name"] + "}", rule)


def path_parameters(rule: str) -> list[dict[str, Any]]:
    """The rule's variables as OpenAPI path parameters (int and float typed, the rest strings)."""
    return [
        {
            "name": m["name"],
            "in": "path",
            "required": True,
            "schema": _SCHEMA.get(m["conv"] or "", {"type": "string"}),
        }
        for m in CONVERTER.finditer(rule)
    ]
