"""/demos/conditional: 304, 412, 206 and 416 decided by Werkzeug's conditional-request code, not by hand."""

from datetime import UTC, datetime
from http import HTTPStatus

from flask import Blueprint, Response, request
from werkzeug.exceptions import PreconditionFailed, PreconditionRequired

from service.contract.reply import Reply, documented, header
from service.pipeline.media import PROBLEM_JSON, TEXT

bp = Blueprint("conditional", __name__, url_prefix="/demos/conditional")

# A fixed document, so its validators are fixed too: any worker process gives the same answers.
DOCUMENT = b"0123456789abcdefghijklmnopqrstuvwxyz\n"
# A strong ETag: the exact bytes' version. Werkzeug quotes it ('"v1"') and compares it for us.
ETAG = "v1"
LAST_MODIFIED = datetime(2026, 1, 1, tzinfo=UTC)
STALE = f"The document's ETag is '\"{ETAG}\"'; If-Match named none that matches."

_CONDITIONAL_HEADERS = [
    {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}},
    {"name": "If-Modified-Since", "in": "header", "required": False, "schema": {"type": "string"}},
    {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"}},
    {"name": "Range", "in": "header", "required": False, "schema": {"type": "string"}},
    {"name": "If-Range", "in": "header", "required": False, "schema": {"type": "string"}},
]
_VALIDATORS = (
    header("ETag", "strong validator"),
    header("Last-Modified"),
    header("Cache-Control", "no-cache"),
)
_CONTENT_RANGE = header("Content-Range")


def _document() -> Response:
    response = Response(DOCUMENT, mimetype=TEXT)
    response.set_etag(ETAG)
    response.last_modified = LAST_MODIFIED
    # Caches may store it but must revalidate each time: that revalidation is what 304 answers.
    response.cache_control.no_cache = True
    return response


@bp.get("/document")
@documented(
    Reply(200, TEXT, headers=[*_VALIDATORS, header("Accept-Ranges", "bytes")]),
    Reply(206, TEXT, headers=[_CONTENT_RANGE]),
    Reply(304, None, headers=_VALIDATORS),
    Reply(412, PROBLEM_JSON),
    Reply(416, PROBLEM_JSON, headers=[_CONTENT_RANGE]),
    parameters=_CONDITIONAL_HEADERS,
)
def document() -> Response:
    """200 OK with a strong ETag and Last-Modified; Werkzeug's make_conditional() makes 304, 206 or 416.

    If-None-Match (weak comparison, so W/"v1" matches too) or an If-Modified-Since not older than
    Last-Modified -> 304, no body, ETag and Cache-Control repeated. Range: bytes=0-9 -> 206 with
    Content-Range; a range past the end -> 416 with Content-Range: bytes */37. If-Range with the
    ETag -> 206, a stale one -> the whole 200. If-Match that fails (strong comparison) -> 412
    problem+json. Werkzeug evaluates Range before If-None-Match, so Range plus a matching
    If-None-Match gets 206, not the 304 of RFC 9110 §13.2.2; and it compares If-Range weakly, so
    W/"v1" still gets 206. Several ranges, or a unit other than bytes, get the whole 200: RFC 9110
    §14.2 lets a server ignore Range (and requires it for an unknown unit); Werkzeug would say 416.

    curl -i -H 'Range: bytes=0-9' http://127.0.0.1:8000/demos/conditional/document
    """
    # If-Match is decided here, with Werkzeug's parsed header: make_conditional() fails `If-Match: *`
    # (its is_strong() ignores the star) and would set 412 on the document itself, body and all.
    if request.if_match and not request.if_match.contains(ETAG):
        raise PreconditionFailed(STALE)
    # ...so make_conditional() gets the request without it, and decides only 304, 206 and 416.
    environ = {key: value for key, value in request.environ.items() if key != "HTTP_IF_MATCH"}
    response = _document()
    ranges = request.range
    # RFC 9110 §14.2: a server MUST ignore a range unit it does not know and MAY ignore any Range;
    # Werkzeug answers 416 to both cases, so such a Range is not handed to it.
    ignored = ranges is not None and (ranges.units != "bytes" or len(ranges.ranges) > 1)
    if ignored:
        response.accept_ranges = "bytes"
    response.make_conditional(environ, accept_ranges=not ignored, complete_length=len(DOCUMENT))
    return response


@bp.put("/document")
@documented(
    Reply(204, None, headers=[header("ETag", "the document's, unchanged")]),
    Reply(412, PROBLEM_JSON),
    Reply(428, PROBLEM_JSON),
    parameters=[{"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"}}],
    request_body={"content": {TEXT: {"schema": {"type": "string"}}}},
)
def replace_document() -> Response:
    """412 Precondition Failed when If-Match names a stale ETag — a lost update prevented.

    make_conditional() only acts on GET and HEAD, so a write checks request.if_match itself (Werkzeug
    parses the header; its contains() is the strong comparison RFC 9110 §13.1.1 requires, so a weak
    W/"v1" never matches). A matching ETag (or *) -> 204; no If-Match at all -> 428 Precondition
    Required (RFC 6585), so a client cannot overwrite blindly. The demo accepts the write and
    discards it: the service keeps no state, so the document and its ETag never change.

    curl -i -X PUT -H 'If-Match: "v0"' -H 'Content-Type: text/plain' -d 'new' http://127.0.0.1:8000/demos/conditional/document
    """
    if not request.headers.get("If-Match"):
        raise PreconditionRequired("Send If-Match with the document's current ETag, so no update is lost.")
    if not request.if_match.contains(ETAG):
        raise PreconditionFailed(STALE)
    response = Response(status=HTTPStatus.NO_CONTENT)
    del response.headers["Content-Type"]  # no content, so no type: Response() would say text/html
    response.set_etag(ETAG)
    return response
