"""/openapi.json: the OpenAPI 3.1 contract, built from the URL map and what each view declares.

Every route must carry @documented(Reply(...), ...), listing every reply it can give — status, body
media type (or EMPTY) and headers, all written at the call site; create_app() refuses to start
otherwise, so the document cannot drift from the routes. The contract suite holds it to reality in
both directions (contract_tests/contract_coverage.py).

View docstrings are data, not only comments: the first line is the operation's summary, the rest its
description, and every line starting with `curl ` is an example the index (`/`) shows. Keep them true.
"""

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, TypeVar

from flask import Blueprint, Flask, current_app

from service.media import JSON, PROBLEM_JSON

# Methods Flask adds to every route by itself; documented only where a view declares them.
AUTOMATIC = frozenset({"HEAD", "OPTIONS"})
F = TypeVar("F", bound=Callable[..., Any])

# A reply's body: a media type, or EMPTY for none (204, 304, a HEAD...).
EMPTY = None
# The one error shape (service/errors.py): what every 4xx/5xx the app itself writes carries.
PROBLEM = PROBLEM_JSON


@dataclass(frozen=True)
class Header:
    """A response header's name and its OpenAPI header object."""

    name: str
    doc: dict[str, Any]


def header(name: str, description: str = "", *, schema_type: str = "string") -> Header:
    """A header a reply carries, e.g. header("Location", "the created item")."""
    doc: dict[str, Any] = {"schema": {"type": schema_type}}
    if description:
        doc["description"] = description
    return Header(name, doc)


@dataclass(frozen=True, init=False)
class Reply:
    """One answer a view can give: a status (a code, or an OpenAPI range such as "5XX"), its body's
    media type (EMPTY for none) and the headers it carries.

    A status declared twice with two media types offers both (content negotiation, e.g. the index's
    JSON and HTML); their headers are merged.
    """

    status: int | str
    media: str | None
    headers: tuple[Header, ...]

    def __init__(self, status: int | str, media: str | None, headers: Iterable[Header] = ()) -> None:
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "media", media)
        object.__setattr__(self, "headers", tuple(headers))


@dataclass(frozen=True)
class Operation:
    """What a view declares about itself for the OpenAPI document."""

    statuses: dict[str, tuple[str, ...]]  # status -> its media types; () is "no body"
    parameters: tuple[dict[str, Any], ...] = ()
    request_body: dict[str, Any] | None = None
    methods: tuple[str, ...] | None = None
    headers: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)


def documented(
    *replies: Reply,
    parameters: Iterable[dict[str, Any]] = (),
    request_body: dict[str, Any] | None = None,
    methods: Iterable[str] | None = None,
) -> Callable[[F], F]:
    """Declare the replies (and parameters, request body) a view can give.

    methods: the methods to document, when they differ from the route's own (HEAD, OPTIONS included).
    """
    statuses: dict[str, tuple[str, ...]] = {}
    headers: dict[str, dict[str, dict[str, Any]]] = {}
    for reply in replies:
        key = str(reply.status)
        statuses[key] = (*statuses.get(key, ()), *((reply.media,) if reply.media else ()))
        if reply.headers:
            headers.setdefault(key, {}).update({h.name: h.doc for h in reply.headers})
    operation = Operation(
        statuses=statuses,
        parameters=tuple(parameters),
        request_body=request_body,
        methods=tuple(m.upper() for m in methods) if methods is not None else None,
        headers=headers,
    )

    def mark(view: F) -> F:
        view.openapi = operation  # type: ignore[attr-defined]
        return view

    return mark


def _describe(code: str) -> str:
    if code.isdigit():
        try:
            return HTTPStatus(int(code)).phrase
        except ValueError:
            return f"Status {code}"
    return f"Any {code} status"


_CONVERTER = re.compile(r"<(?:(?P<conv>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_SCHEMA = {"int": {"type": "integer"}, "float": {"type": "number"}}


def _path_and_params(rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = [
        {
            "name": m["name"],
            "in": "path",
            "required": True,
            "schema": _SCHEMA.get(m["conv"] or "", {"type": "string"}),
        }
        for m in _CONVERTER.finditer(rule)
    ]
    return _CONVERTER.sub(lambda m: "{" + m["name"] + "}", rule), params


def _operation(view: Callable[..., Any], op: Operation, path_params: list[dict[str, Any]]) -> dict[str, Any]:
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
    module = view.__module__.removeprefix("service.")
    operation: dict[str, Any] = {
        "operationId": f"{module}.{view.__name__}",
        # The module is the technique: the index groups by it, and a URL's module is one step away.
        "tags": [module],
        "summary": summary.strip(),
        "responses": responses,
    }
    if description.strip():
        operation["description"] = "\n".join(line.strip() for line in description.strip().splitlines())
    # A declared parameter replaces the URL map's one of the same name, e.g. to give a path part a pattern.
    declared = {(p["name"], p["in"]) for p in op.parameters}
    parameters = [*(p for p in path_params if (p["name"], p["in"]) not in declared), *op.parameters]
    if parameters:
        operation["parameters"] = parameters
    if op.request_body:
        operation["requestBody"] = op.request_body
    return operation


def build(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document for every route of the app; raises if a route is undocumented."""
    paths: dict[str, dict[str, Any]] = {}
    tags: dict[str, str] = {}
    undocumented = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        op: Operation | None = getattr(view, "openapi", None)
        if op is None:
            undocumented.append(rule.rule)
            continue
        path, params = _path_and_params(rule.rule)
        tags.setdefault(view.__module__.removeprefix("service."), _opening(view.__module__))
        methods = op.methods or tuple(sorted((rule.methods or set()) - AUTOMATIC))
        for method in methods:
            entry = paths.setdefault(path, {})
            entry[method.lower()] = _operation(view, op, params)
            if len(methods) > 1:
                entry[method.lower()]["operationId"] += "." + method.lower()
    if undocumented:
        raise RuntimeError(f"routes without @documented(...): {', '.join(undocumented)}")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Flask status codes",
            "version": "1.0.0",
            "description": "Every correct way to set an HTTP status code in Flask; a /status test target.",
        },
        # One tag per module (= technique), described by the module's opening sentence.
        "tags": [{"name": name, "description": tags[name]} for name in sorted(tags)],
        "paths": paths,
    }


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
    spec: dict[str, Any] = current_app.extensions["openapi"]
    return spec
