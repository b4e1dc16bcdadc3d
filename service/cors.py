"""CORS for browser clients of the /status target and the demos: read any answer, preflights succeed.

Every answer of /status/<codes> and of every demo carries `Access-Control-Allow-Origin: *` (never with
credentials: nothing here depends on a cookie) and `Access-Control-Expose-Headers` naming the headers
statuses carry, so a script on another origin can read a 503's Retry-After or a 201's Location. A
preflight (OPTIONS with Origin and Access-Control-Request-Method, Fetch standard §3.2.2) gets 204 with
the route's methods, the request headers it asked for and a Max-Age, so the real request can then
fail with exactly the status it asked for. A plain OPTIONS (no Origin or no request method) is not a
preflight and reaches the route as before: /status answers the chosen status, the demos Flask's 200.

Hand-written rather than flask-cors: that library answers *every* OPTIONS carrying an Origin itself
(automatic_options), which would take the plain-OPTIONS status away from /status, and it cannot
describe its preflights in the OpenAPI document, which the contract suite holds in both directions.
"""

import re
import sys
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, TypeVar

from flask import Flask, Response, request
from werkzeug.routing import Rule

from service.status_input import TOKEN

# Headers statuses carry that are not CORS-safelisted; "*" then exposes the rest (a ?header= of
# /status, say) to any client that is not sending credentials, which is every client here.
EXPOSED = (
    "Location, Retry-After, WWW-Authenticate, Allow, Content-Range, Accept-Ranges, ETag, Last-Modified, "
    "Link, Content-Location, Content-Disposition, Vary, X-Demo, X-Prepared, *"
)
# Chromium caps a preflight cache at 7200 s; a longer value would only be a promise nobody keeps.
MAX_AGE = "7200"
VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
MAX_REQUEST_HEADERS = 20
NO_CONTENT = int(HTTPStatus.NO_CONTENT)  # a plain int: compared on every answer
# Paths that have no route (404) or not for this method (405) are still the target's or a demo's.
PREFIXES = ("/status/", "/demos/", "/redirect/", "/anything")


F = TypeVar("F", bound=Callable[..., Any])


def preflight_if(check: Callable[..., bool]) -> Callable[[F], F]:
    """Answer a preflight to this view only when check(**view_args) holds; otherwise the view answers it.

    For a view that refuses some URLs with a 400: a preflight must not promise a URL the request will
    not get, so it gets the same 400 (and the browser reports the failed preflight).
    """

    def mark(view: F) -> F:
        view.cors_preflight_check = check  # type: ignore[attr-defined]
        return view

    return mark


def _in_scope(module: str) -> bool:
    return module.startswith(("service.demos.", "service.target.")) or module == "service.status"


def scoped_rules(app: Flask) -> list[Rule]:
    """The routes that answer browsers on any origin: the /status target and every demo."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and _in_scope(app.view_functions[rule.endpoint].__module__)
    ]


def allowed_headers(requested: str) -> str | None:
    """The requested header names, lower-cased, if every one is a token (at most 20); otherwise None.

    Echoing is safe: with `Allow-Origin: *` no credentials ride along, so a header can only carry what
    the calling script already knows. A malformed list gets no Allow-Headers, so the browser refuses.
    """
    names = [name.strip().lower() for name in requested.split(",") if name.strip()]
    if len(names) > MAX_REQUEST_HEADERS or not all(TOKEN.fullmatch(name) for name in names):
        return None
    return ", ".join(names)


def register(app: Flask) -> None:
    """Answer preflights and add the CORS headers on the scoped routes; call after every blueprint."""
    scoped = frozenset(rule.rule for rule in scoped_rules(app))

    @app.before_request
    def preflight() -> Response | None:
        # The method first: every other request leaves here after one look at the environ.
        if request.environ["REQUEST_METHOD"] != "OPTIONS":
            return None
        # Not a preflight without both (Fetch §3.2.2), and not ours without a route to describe.
        method = request.headers.get("Access-Control-Request-Method", "")
        rule = request.url_rule
        if "Origin" not in request.headers or not TOKEN.fullmatch(method):
            return None
        if rule is None or rule.rule not in scoped:
            return None
        check = getattr(app.view_functions[rule.endpoint], "cors_preflight_check", None)
        if check is not None and not check(**(request.view_args or {})):
            return None
        response = Response(status=NO_CONTENT)
        del response.headers["Content-Type"]  # no content, so no type (RFC 9110 §15.3.5)
        response.headers["Access-Control-Allow-Methods"] = ", ".join(sorted(rule.methods or ()))
        names = allowed_headers(request.headers.get("Access-Control-Request-Headers", ""))
        if names:
            response.headers["Access-Control-Allow-Headers"] = names
        response.headers["Access-Control-Max-Age"] = MAX_AGE
        response.headers["Vary"] = VARY
        return response

    @app.after_request
    def allow_any_origin(response: Response) -> Response:
        # On every /status answer: kept to a set lookup and two appends (no view sets these names,
        # and ?header= refuses them, so add() cannot duplicate one).
        rule = request.url_rule
        if rule.rule in scoped if rule is not None else request.path.startswith(PREFIXES):
            response.headers.add("Access-Control-Allow-Origin", "*")
            if response.status_code != NO_CONTENT or request.method != "OPTIONS":
                response.headers.add("Access-Control-Expose-Headers", EXPOSED)
        return response


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


def document(spec: dict[str, Any], app: Flask) -> dict[str, Any]:
    """Describe the preflight on every scoped path of the OpenAPI document (built by openapi.build)."""
    paths = {re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule) for rule in scoped_rules(app)}
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
            # The path's own parameters, as the route's other operations declare them.
            siblings = [op for method, op in item.items() if method != "options"]
            options["parameters"] = [p for p in siblings[0].get("parameters", []) if p["in"] == "path"]
        options["parameters"] = [*options.get("parameters", []), *PREFLIGHT_PARAMETERS]
        preflight = options["responses"].setdefault("204", {"description": "No Content"})
        preflight["description"] += (
            " (a CORS preflight: OPTIONS with Origin and Access-Control-Request-Method)"
        )
        preflight["headers"] = {**preflight.get("headers", {}), **PREFLIGHT_HEADERS}
    opening = (sys.modules[__name__].__doc__ or "").split("\n\n")[0].replace("\n", " ")
    spec["tags"].append({"name": "cors", "description": opening})
    return spec
