"""GET /: the index — every endpoint grouped by technique with its curl line, as JSON or as an HTML page.

Built from the OpenAPI document (app.extensions["openapi"]), so an endpoint appears here as soon as its
route carries @documented(...). Content negotiation follows the Accept header (RFC 9110, section
12.5.1): JSON is the default and wins every tie (no Accept, */*, equal q-values), so API clients and
curl get JSON; a browser's Accept lists text/html at q=1 above */* at q=0.8, so it gets the page. An
Accept that allows neither (e.g. image/png) gets 406 with the usual problem+json body.
"""

import base64
import hashlib
from http import HTTPStatus
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import NotAcceptable

from service.media import HTML, JSON
from service.openapi import PROBLEM, Reply, documented, header

VARY = header("Vary", "Accept: the representation depends on it")
# The page's only style, inline and allowed by its hash: the CSP needs no 'unsafe-inline' and the page
# fetches nothing (no script, image, font or stylesheet URL at all).
CSS = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "h2{margin-top:2rem;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;vertical-align:top;padding:.4rem;border-bottom:1px solid #eee}"
    "code,pre{font:14px/1.4 ui-monospace,monospace}"
    "pre{margin:.3rem 0 0;white-space:pre-wrap;overflow-wrap:anywhere;color:#555}"
)
CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CSP = (
    f"default-src 'none'; style-src 'sha256-{CSS_HASH}'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

bp = Blueprint("index", __name__, template_folder="templates")


def techniques(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The document's operations grouped by tag (the module = the technique), in tag order."""
    groups: dict[str, list[dict[str, Any]]] = {tag["name"]: [] for tag in spec.get("tags", [])}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
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
    return [
        {"technique": name, "description": descriptions.get(name, ""), "endpoints": endpoints}
        for name, endpoints in groups.items()
        if endpoints
    ]


@bp.after_request
def vary_on_accept(response: Response) -> Response:
    # The representation depends on Accept (the 406 too): caches must key on it.
    response.vary.add("Accept")
    return response


@bp.get("/")
@documented(
    Reply(200, JSON, headers=[VARY]), Reply(200, HTML, headers=[VARY]), Reply(406, PROBLEM, headers=[VARY])
)
def index() -> Response | dict[str, Any]:
    """200 OK with the list of endpoints — JSON by default, an HTML page for browsers (Accept).

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
    info = spec["info"]
    listing = {
        "title": info["title"],
        "description": info.get("description", ""),
        "openapi": "/openapi.json",
        "techniques": techniques(spec),
    }
    if chosen == JSON:
        return listing
    # render_template autoescapes every value in an .html template; CSS is our own constant.
    page = render_template("index.html", css=Markup(CSS), **listing)  # noqa: S704 - constant, hashed in the CSP
    response = Response(page, HTTPStatus.OK, mimetype=HTML)
    response.headers["Content-Security-Policy"] = CSP
    return response
