"""GET /: the index — every endpoint grouped by technique, as JSON or as the explorer page for browsers.

Built from the OpenAPI document (app.extensions["openapi"]), so an endpoint appears here as soon as its
route carries @documented(...). Content negotiation follows the Accept header (RFC 9110, section
12.5.1): JSON is the default and wins every tie (no Accept, */*, equal q-values), so API clients and
curl get JSON; a browser's Accept lists text/html at q=1 above */* at q=0.8, so it gets the explorer
(service/explorer.py). An
Accept that allows neither (e.g. image/png) gets 406 with the usual problem+json body.
"""

from http import HTTPStatus
from typing import Any

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import NotAcceptable

from service import explorer
from service.media import HTML, JSON
from service.openapi import PROBLEM, Reply, documented, header
from service.techniques import ORDER, TITLES, short_name

VARY = header("Vary", "Accept: the representation depends on it")

bp = Blueprint("index", __name__, template_folder="templates")


def techniques(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The document's operations grouped by tag (the module = the technique), in learning order.

    CORS preflights (x-cors-preflight) are left out: they are the same for every route (service/cors.py).
    """
    groups: dict[str, list[dict[str, Any]]] = {tag["name"]: [] for tag in spec.get("tags", [])}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if operation.get("x-cors-preflight"):
                continue
            lines = operation.get("description", "").splitlines()
            for tag in operation.get("tags", ["other"]):
                groups.setdefault(tag, []).append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary", ""),
                        "statuses": list(operation["responses"]),
                        "curl": [line for line in lines if line.startswith("curl ")],
                    }
                )
    descriptions = {tag["name"]: tag.get("description", "") for tag in spec.get("tags", [])}
    # A module missing from service/techniques.py gets no title (null): the contract suite fails on it.
    return [
        {
            "technique": name,
            "title": TITLES.get(short_name(name), (None, None))[0],
            "intro": TITLES.get(short_name(name), (None, None))[1],
            "description": descriptions.get(name, ""),
            "endpoints": endpoints,
        }
        for name, endpoints in sorted(groups.items(), key=lambda g: ORDER.get(short_name(g[0]), len(ORDER)))
        if endpoints
    ]


@bp.after_request
def vary_on_accept(response: Response) -> Response:
    # The representation depends on Accept (the 406 too), the page's encoding on Accept-Encoding.
    response.vary.add("Accept")
    response.vary.add("Accept-Encoding")
    return response


@bp.get("/")
@documented(
    Reply(200, JSON, headers=[VARY]), Reply(200, HTML, headers=[VARY]), Reply(406, PROBLEM, headers=[VARY])
)
def index() -> Response | dict[str, Any]:
    """200 OK with the list of endpoints — JSON by default, the explorer page for browsers (Accept).

    The same list, grouped by technique, built from /openapi.json; 406 when Accept allows neither.

    curl -i http://127.0.0.1:8000/
    curl -i -H 'Accept: text/html' http://127.0.0.1:8000/
    """
    spec: dict[str, Any] = current_app.extensions["openapi"]
    # No Accept means "anything" (RFC 9110), but Werkzeug's best_match answers None to it: JSON then.
    # JSON is offered first because best_match prefers the earlier offer when qualities tie.
    chosen = request.accept_mimetypes.best_match([JSON, HTML]) if request.accept_mimetypes else JSON
    if chosen is None:
        raise NotAcceptable(
            f"This resource is available as {JSON} or {HTML}; the Accept header allows neither."
        )
    if chosen == JSON:
        info = spec["info"]
        return {
            "title": info["title"],
            "description": info.get("description", ""),
            "openapi": "/openapi.json",
            "techniques": techniques(spec),
        }
    # Rendered once per process (explorer.page is cached): a browser's visit costs a dict lookup.
    html, gzipped = explorer.page(current_app._get_current_object())  # type: ignore[attr-defined]
    compress = request.accept_encodings["gzip"] > 0
    response = Response(gzipped if compress else html, HTTPStatus.OK, mimetype=HTML)
    if compress:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Security-Policy"] = explorer.CSP
    return response
