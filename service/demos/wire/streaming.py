"""/demos/streaming: a streamed body; its status and headers leave before the first chunk does."""

from collections.abc import Iterator
from http import HTTPStatus

from flask import Blueprint, Response, abort, request

from service.contract.reply import Reply, documented
from service.pipeline.media import PROBLEM_JSON, TEXT

bp = Blueprint("streaming", __name__, url_prefix="/demos/streaming")

MAX_LINES = 100


class StreamBroke(RuntimeError):
    """Raised by a generator after the status line is already on the wire."""


def _lines(count: int) -> Iterator[str]:
    for number in range(1, count + 1):
        yield f"line {number}\n"


@bp.get("/lines")
@documented(
    Reply(200, TEXT),
    Reply(400, PROBLEM_JSON),
    parameters=[
        {"name": "count", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": MAX_LINES}}
    ],
)
def lines() -> Response:
    """200 OK streamed from a generator, after the input was checked — 400 problem+json otherwise.

    Validate before streaming: once the generator runs, the status is already sent.

    curl -i "http://127.0.0.1:8000/demos/streaming/lines?count=3"
    """
    raw = request.args.get("count", "3")
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_LINES:
        abort(HTTPStatus.BAD_REQUEST, f"count must be an integer from 0 to {MAX_LINES}.")
    return Response(_lines(int(raw)), mimetype=TEXT)


def _breaks_midway() -> Iterator[str]:
    yield from _lines(2)
    raise StreamBroke("the data source failed after two lines")


@bp.get("/fails-midway")
@documented(Reply(200, TEXT))
def fails_midway() -> Response:
    """200 OK, then a broken body: the generator fails after two lines — the wrong way.

    The status and headers went out before the first chunk, so no 500 can follow and the app's
    error handlers never run: Gunicorn logs "Error handling request" and closes the connection
    without the final chunk, and the client sees a truncated body (an incomplete chunked read).

    curl -i http://127.0.0.1:8000/demos/streaming/fails-midway
    """
    return Response(_breaks_midway(), mimetype=TEXT)
