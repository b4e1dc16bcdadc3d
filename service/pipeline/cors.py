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

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any, Protocol, TypeVar

from flask import Blueprint, Flask, Request, Response

from service.rfc9110 import TOKEN

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
PREFLIGHT_STATUS = int(HTTPStatus.NO_CONTENT)  # a plain int: compared on every answer
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


class Entry(Protocol):
    """A catalogue entry, as far as CORS cares (service/catalogue.py)."""

    @property
    def blueprint(self) -> Blueprint: ...

    @property
    def cors(self) -> bool: ...


def scope(app: Flask, catalogue: Iterable[Entry]) -> frozenset[str]:
    """The rules that answer browsers on any origin: those of the catalogue's entries marked cors.

    An endpoint's first part names its blueprint in the catalogue, nested blueprints included
    ("handler_mistakes.no_status_wrong.order_wrong" belongs to handler_mistakes).
    """
    names = {entry.blueprint.name for entry in catalogue if entry.cors}
    return frozenset(rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0] in names)


def allowed_headers(requested: str) -> str | None:
    """The requested header names, lower-cased, if every one is a token (at most 20); otherwise None.

    Echoing is safe: with `Allow-Origin: *` no credentials ride along, so a header can only carry what
    the calling script already knows. A malformed list gets no Allow-Headers, so the browser refuses.
    """
    names = [name.strip().lower() for name in requested.split(",") if name.strip()]
    if len(names) > MAX_REQUEST_HEADERS or not all(TOKEN.fullmatch(name) for name in names):
        return None
    return ", ".join(names)


def preflight_hook(app: Flask, scoped: frozenset[str]) -> Callable[[Request], Response | None]:
    """The before_request step that answers a preflight to a scoped rule with 204 (Fetch §3.2.2)."""

    def preflight(request: Request) -> Response | None:
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
        response = Response(status=PREFLIGHT_STATUS)
        del response.headers["Content-Type"]  # no content, so no type (RFC 9110 §15.3.5)
        response.headers["Access-Control-Allow-Methods"] = ", ".join(sorted(rule.methods or ()))
        names = allowed_headers(request.headers.get("Access-Control-Request-Headers", ""))
        if names:
            response.headers["Access-Control-Allow-Headers"] = names
        response.headers["Access-Control-Max-Age"] = MAX_AGE
        response.headers["Vary"] = VARY
        return response

    return preflight


def origin_hook(scoped: frozenset[str]) -> Callable[[Request, Response], Response]:
    """The after_request step that lets any origin read the answers of the scoped rules."""

    def allow_any_origin(request: Request, response: Response) -> Response:
        # On every /status answer: kept to a set lookup and an add or two (no view sets these names, and
        # ?header= refuses them, so adding cannot duplicate one; extend() would first test the pairs
        # against Mapping, an abstract class: slower than the adds themselves).
        rule = request.url_rule
        if rule.rule in scoped if rule is not None else request.path.startswith(PREFIXES):
            headers = response.headers
            headers.add(*ANY_ORIGIN)
            if response.status_code != PREFLIGHT_STATUS or request.method != "OPTIONS":
                headers.add(*EXPOSE)
        return response

    return allow_any_origin


ANY_ORIGIN = ("Access-Control-Allow-Origin", "*")
EXPOSE = ("Access-Control-Expose-Headers", EXPOSED)
