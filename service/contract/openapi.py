"""/openapi.json: the OpenAPI 3.1 contract, built from the URL map and what each view declares.

Every route must carry @documented(Reply(...), ...) (service/contract/reply.py); create_app() refuses to
start otherwise, so the document cannot drift from the routes. The contract suite holds it to reality
in both directions (contract_tests/contract_coverage.py). Each operation's tag (and its id's prefix)
is its blueprint's catalogue entry's tag, described by the opening sentence of that blueprint's module.

View docstrings are data, not only comments: the first line is the operation's summary, the rest its
description, and every line starting with `curl ` is an example the index (`/`) shows. Keep them true.
"""

import re
import sys
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any, Protocol

from flask import Blueprint, Flask, current_app

from service.contract.paths import openapi_path, path_parameters
from service.contract.reply import AUTOMATIC, Operation, Reply, documented
from service.pipeline.media import JSON


class Entry(Protocol):
    """A catalogue entry, as far as the document cares (service/catalogue.py)."""

    @property
    def blueprint(self) -> Blueprint: ...

    @property
    def tag(self) -> str: ...


def _describe(code: str) -> str:
    if code.isdigit():
        try:
            return HTTPStatus(int(code)).phrase
        except ValueError:
            return f"Status {code}"
    return f"Any {code} status"


def _operation(
    view: Callable[..., Any], op: Operation, tag: str, parameters: list[dict[str, Any]]
) -> dict[str, Any]:
    doc = (view.__doc__ or "").strip()
    summary, _, description = doc.partition("\n")
    responses: dict[str, Any] = {}
    for code, media in op.statuses.items():
        response: dict[str, Any] = {"description": _describe(code)}
        if media:
            response["content"] = {one: {} for one in media}
        if code in op.headers:
            response["headers"] = op.headers[code]
        responses[code] = response
    operation: dict[str, Any] = {
        "operationId": f"{tag}.{view.__name__}",
        # The catalogue entry is the technique: the index groups by it.
        "tags": [tag],
        "summary": summary.strip(),
        "responses": responses,
    }
    if description.strip():
        operation["description"] = "\n".join(line.strip() for line in description.strip().splitlines())
    if parameters:
        operation["parameters"] = parameters
    if op.request_body:
        operation["requestBody"] = op.request_body
    return operation


def check(app: Flask, catalogue: Iterable[Entry]) -> None:
    """Raise now what build() would: a route without @documented(...) or outside the catalogue.

    create_app() calls this at start and leaves the document itself to spec(), on first use.
    """
    for _ in _documented(app, catalogue):
        pass


def spec(app: Flask) -> dict[str, Any]:
    """The app's OpenAPI document, built on first use (the index, /openapi.json) and then kept.

    Not at start: the document is a measurable share of a worker's memory (docs/performance.md), and
    the workers of a load test
    never serve either page. create_app() stores the builder; check() has already vetted every route.
    """
    built: dict[str, Any] | None = app.extensions.get("openapi")
    if built is None:
        built = app.extensions["openapi"] = app.extensions["openapi_builder"]()
    return built


def _documented(app: Flask, catalogue: Iterable[Entry]) -> Iterable[tuple[Any, Any, Operation, Entry]]:
    """Each route with its view, its @documented operation and its catalogue entry, sorted by rule;
    raises (after the documented ones) if a route is undocumented."""
    entries = {entry.blueprint.name: entry for entry in catalogue}
    undocumented = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        op: Operation | None = getattr(view, "openapi", None)
        if op is None:
            undocumented.append(rule.rule)
            continue
        # The first part is the catalogue's blueprint; a nested one (a lesson's half) belongs to it.
        entry = entries.get(rule.endpoint.split(".")[0])
        if entry is None:
            raise RuntimeError(f"route {rule.rule} belongs to no catalogue entry (service/catalogue.py)")
        yield rule, view, op, entry
    if undocumented:
        raise RuntimeError(f"routes without @documented(...): {', '.join(undocumented)}")


def build(app: Flask, catalogue: Iterable[Entry], settings: Any) -> dict[str, Any]:
    """The OpenAPI 3.1 document for every route of the app; raises if a route is undocumented.

    settings: the app's Settings, for the parameters whose bounds depend on them (the delay cap).
    """
    paths: dict[str, dict[str, Any]] = {}
    tags: dict[str, str] = {}
    seen: set[str] = set()
    for rule, view, op, entry in _documented(app, catalogue):
        tags.setdefault(entry.tag, _opening(entry.blueprint.import_name))
        declared_parameters = op.parameters(settings) if callable(op.parameters) else list(op.parameters)
        # A view on several rules (/digest-auth/... with and without {algorithm}) declares every path
        # parameter once; each rule keeps those it has.
        declared_parameters = [
            p for p in declared_parameters if p["in"] != "path" or p["name"] in rule.arguments
        ]
        # A declared parameter replaces the URL map's one of the same name (to give a path part a pattern).
        declared = {(p["name"], p["in"]) for p in declared_parameters}
        parameters = [
            *(p for p in path_parameters(rule.rule) if (p["name"], p["in"]) not in declared),
            *declared_parameters,
        ]
        path = openapi_path(rule.rule)
        methods = op.methods or _methods(rule)
        for method in methods:
            item = paths.setdefault(path, {})
            item[method.lower()] = _operation(view, op, entry.tag, parameters)
            if len(methods) > 1:
                item[method.lower()]["operationId"] += "." + method.lower()
            # One view on several rules (/anything and /anything/<path:rest>): the later ids name the path.
            if item[method.lower()]["operationId"] in seen:
                item[method.lower()]["operationId"] += "." + "_".join(re.findall(r"\w+", path))
            seen.add(item[method.lower()]["operationId"])
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Flask status codes",
            "version": "1.0.0",
            "description": "Every correct way to set an HTTP status code in Flask; a /status test target.",
        },
        # One tag per catalogue entry (= technique), described by its module's opening sentence.
        "tags": [{"name": name, "description": tags[name]} for name in sorted(tags)],
        "paths": paths,
    }


def _methods(rule: Any) -> tuple[str, ...]:
    """The rule's methods but the automatic ones; OPTIONS kept where the view answers it itself (Flask
    answers it only when the rule's methods did not list it)."""
    own = (rule.methods or set()) - AUTOMATIC
    if "OPTIONS" in (rule.methods or ()) and not getattr(rule, "provide_automatic_options", True):
        own = own | {"OPTIONS"}
    return tuple(sorted(own, key=lambda method: (_ORDER.index(method) if method in _ORDER else 9, method)))


# The order the explorer's cards name methods in (GET first, as RFC 9110 §9.3 lists them).
_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _opening(module: str) -> str:
    doc = (sys.modules[module].__doc__ or "").strip()
    return doc.split("\n\n")[0].replace("\n", " ")


bp = Blueprint("openapi", __name__)


@bp.get("/openapi.json")
@documented(Reply(200, JSON))
def openapi_json() -> dict[str, Any]:
    """The OpenAPI 3.1 document: every endpoint and every status it can answer.

    curl -s http://127.0.0.1:8000/openapi.json
    """
    return spec(current_app)
