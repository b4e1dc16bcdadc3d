"""/anything: the echo a client test ends on — what method, path, query, headers and body arrived.

Every method answers 200 with JSON (never HTML, whatever Accept says) and `Cache-Control: no-store`, so
a tester sees what a client re-sent after a 303 (a GET, no body) or a 307/308 (the same method and
body), and no cache keeps one answer for another request. The body is read up to the service's body
limit (MAX_CONTENT_LENGTH, 1 MiB: 413 above); text is echoed as text, anything that is not UTF-8 as
base64. Headers are echoed as the WSGI server hands them over (names in Title-Case, repeated fields
joined with ", "), the query as its name/value pairs in order.
"""

import base64
from typing import Any

from flask import Blueprint, Response, current_app, json, request
from werkzeug.exceptions import RequestEntityTooLarge

from service.contract.reply import Reply, documented, header
from service.pipeline.media import JSON, PROBLEM_JSON

bp = Blueprint("anything", __name__)

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
NO_STORE = header("Cache-Control", "no-store: every answer is for its own request")
BODY = {
    "description": "anything, up to the body limit (1 MiB); echoed back",
    "required": False,
    "content": {"*/*": {"schema": {}}},
}


def echo() -> dict[str, Any]:
    """What this request carried, as the JSON /anything answers."""
    # One byte more than allowed: Werkzeug cuts a chunked body (no Content-Length) at the limit without a
    # word, so a body that fills limit + 1 was too long. A declared Content-Length over it is refused unread.
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    request.max_content_length = limit + 1
    data = request.get_data(cache=False)
    if len(data) > limit:
        raise RequestEntityTooLarge(f"The body may be at most {limit} bytes.")
    try:
        body, encoding = data.decode(), "utf-8"
    except UnicodeDecodeError:
        body, encoding = base64.b64encode(data).decode(), "base64"
    return {
        "method": request.method,
        "path": request.path,
        "query": [[name, value] for name, value in request.args.items(multi=True)],
        "headers": dict(request.headers.items()),
        "body": body,
        "body_encoding": encoding,
        "body_bytes": len(data),
        "protocol": request.environ.get("SERVER_PROTOCOL"),
    }


@bp.route("/anything", methods=list(METHODS))
@documented(
    Reply(200, JSON, [NO_STORE]),
    Reply(413, PROBLEM_JSON),
    methods=METHODS,
    request_body=BODY,
)
def anything() -> Response:
    """Echo the request: method, path, query, headers and body, as JSON; every method answers 200.

    curl -s -X POST -d 'hello' 'http://127.0.0.1:8000/anything?a=1'
    """
    response = Response(json.dumps(echo()), mimetype=JSON)
    response.headers["Cache-Control"] = "no-store"
    return response
