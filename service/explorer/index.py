"""GET /: the index — every endpoint grouped by technique, as JSON or as the explorer page for browsers.

Built from the OpenAPI document (openapi.spec(app)) and the catalogue, so an endpoint appears
here as soon as its route carries @documented(...). Content negotiation follows the Accept header (RFC
9110, section 12.5.1): JSON is the default and wins every tie (no Accept, */*, equal q-values), so API
clients and curl get JSON; a browser's Accept lists text/html at q=1 above */* at q=0.8, so it gets the
explorer (service/explorer/page.py). An Accept that allows neither (e.g. image/png) gets 406 with the
usual problem+json body.

The page's builders (page.py, listing.py and what they import) are loaded by the first request that
needs them, not at start: a worker that only ever serves /status never holds them (docs/performance.md,
"Figures moved out of the code").
"""

from http import HTTPStatus
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import NotAcceptable

from service.contract import openapi
from service.contract.reply import Reply, documented, header
from service.pipeline.media import HTML, JSON, PROBLEM_JSON

VARY = header("Vary", "Accept: the representation depends on it")

bp = Blueprint("index", __name__, template_folder="templates")


def techniques(app: Flask) -> list[dict[str, Any]]:
    """The lessons in learning order (service/explorer/listing.py), each with its endpoints, as JSON."""
    from service.explorer import listing  # on first use: the module docstring says why

    return [
        {
            "technique": lesson.tag,
            "title": lesson.title,
            "intro": lesson.intro,
            "description": lesson.description,
            "endpoints": [
                {
                    "method": operation.method,
                    "path": operation.path,
                    "summary": operation.spec.get("summary", ""),
                    "statuses": list(operation.spec["responses"]),
                    "curl": [
                        line
                        for line in operation.spec.get("description", "").splitlines()
                        if line.startswith("curl ")
                    ],
                }
                for operation in lesson.operations
            ],
        }
        for lesson in listing.lessons(app)
    ]


@bp.after_request
def vary_on_accept(response: Response) -> Response:
    # The representation depends on Accept (the 406 too), the page's encoding on Accept-Encoding.
    response.vary.add("Accept")
    response.vary.add("Accept-Encoding")
    return response


@bp.get("/")
@documented(
    Reply(200, JSON, headers=[VARY]),
    Reply(200, HTML, headers=[VARY]),
    Reply(406, PROBLEM_JSON, headers=[VARY]),
)
def index() -> Response | dict[str, Any]:
    """200 OK with the list of endpoints — JSON by default, the explorer page for browsers (Accept).

    The same list, grouped by technique, built from /openapi.json; 406 when Accept allows neither.

    curl -i http://127.0.0.1:8000/
    curl -i -H 'Accept: text/html' http://127.0.0.1:8000/
    """
    spec = openapi.spec(current_app)
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
            "techniques": techniques(current_app._get_current_object()),  # type: ignore[attr-defined]
        }
    # Rendered once per process (explorer.page is cached): a browser's visit costs a dict lookup.
    from service.explorer import page  # on first use: the module docstring says why

    html, gzipped = page.page(current_app._get_current_object())  # type: ignore[attr-defined]
    compress = request.accept_encodings["gzip"] > 0
    response = Response(gzipped if compress else html, HTTPStatus.OK, mimetype=HTML)
    if compress:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Security-Policy"] = page.CSP
    return response
