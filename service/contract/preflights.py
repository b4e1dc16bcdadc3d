"""The CORS preflights in the OpenAPI document: the OPTIONS answer service/pipeline/cors.py gives on every
route in its scope, described once and added to each of those paths."""

import re
from typing import Any

from service.contract.paths import openapi_path
from service.pipeline import cors
from service.pipeline.cors import MAX_AGE, VARY


def _doc(text: str) -> dict[str, Any]:
    return {"description": text, "schema": {"type": "string"}}


PREFLIGHT_PARAMETERS = [
    {
        "name": "Origin",
        "in": "header",
        "schema": {"type": "string"},
        "description": "the calling page's origin",
    },
    {
        "name": "Access-Control-Request-Method",
        "in": "header",
        "schema": {"type": "string"},
        "description": "with Origin, makes this OPTIONS a CORS preflight",
    },
    {
        "name": "Access-Control-Request-Headers",
        "in": "header",
        "schema": {"type": "string"},
        "description": "the headers the real request will send; echoed if every name is a token",
    },
]
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Origin": _doc("*"),
    "Access-Control-Allow-Methods": _doc("the route's methods"),
    "Access-Control-Allow-Headers": _doc("the requested header names, lower-cased"),
    "Access-Control-Max-Age": _doc(f"{MAX_AGE} (seconds)"),
    "Vary": _doc(VARY),
}


def document(spec: dict[str, Any], scoped: frozenset[str]) -> dict[str, Any]:
    """Describe the preflight on every scoped rule's path of the OpenAPI document (openapi.build's)."""
    paths = {openapi_path(rule) for rule in scoped}
    for path in sorted(paths):
        item = spec["paths"][path]
        options = item.get("options")
        if options is None:
            # Flask's automatic OPTIONS: 200, Allow, an empty body it still labels text/html.
            options = item["options"] = {
                "operationId": "cors.preflight." + re.sub(r"\W+", "_", path).strip("_"),
                "tags": ["cors"],
                "summary": "204 to a CORS preflight; 200 with Allow (Flask's automatic OPTIONS) otherwise.",
                "responses": {"200": {"description": "OK", "content": {"text/html": {}}}},
                "x-cors-preflight": True,
            }
            # The path's own parameters, as the route's other operations declare them, but any string:
            # Flask's automatic OPTIONS answers 200 to every URL its rule matches, whatever the view's bounds.
            siblings = [op for method, op in item.items() if method != "options"]
            options["parameters"] = [
                {**p, "schema": {"type": "string"}}
                for p in siblings[0].get("parameters", [])
                if p["in"] == "path"
            ]
        options["parameters"] = [*options.get("parameters", []), *PREFLIGHT_PARAMETERS]
        preflight = options["responses"].setdefault("204", {"description": "No Content"})
        preflight["description"] += (
            " (a CORS preflight: OPTIONS with Origin and Access-Control-Request-Method)"
        )
        preflight["headers"] = {**preflight.get("headers", {}), **PREFLIGHT_HEADERS}
    opening = (cors.__doc__ or "").split("\n\n")[0].replace("\n", " ")
    spec["tags"].append({"name": "cors", "description": opening})
    return spec
