"""/demos/view-mistakes: views that lose their status — jsonify, a broad except, a decorator, a None.

Each wrong half really answers wrong on the wire (a 200 for an error, a 500 for a 404, a header that
contradicts the status line, a 500 for a finished job); each right half beside it does the same job
correctly. The contract suite pins every half.
"""

from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from typing import Any

from flask import Blueprint, Response, abort, jsonify, make_response
from werkzeug.exceptions import HTTPException

from service.contract.reply import Reply, documented, header
from service.pipeline.media import HTML, JSON, PROBLEM_JSON

bp = Blueprint("view_mistakes", __name__, url_prefix="/demos/view-mistakes")

SEEN = header("X-Seen-Status", "the status the decorator read")
View = Callable[..., Any]


@bp.post("/jsonify-status/wrong")
@documented(Reply(200, JSON))
def jsonify_status_wrong() -> Response:
    """Deliberate mistake: 200 OK with "status": 400 in the body — jsonify(..., status=400).

    jsonify() turns every keyword into a member of the JSON object; it has no status parameter. The
    response it makes is a 200, and a client that checks the status line sees success.

    curl -i -X POST http://127.0.0.1:8000/demos/view-mistakes/jsonify-status/wrong
    """
    return jsonify(error="The quantity must be at least 1.", status=400)


@bp.post("/jsonify-status/right")
@documented(Reply(400, JSON))
def jsonify_status_right() -> tuple[Response, HTTPStatus]:
    """400 Bad Request as JSON — return jsonify(...), 400: the status goes in the tuple, not in jsonify.

    A dict works the same way ({"error": ...}, 400); jsonify() is needed for other JSON values
    or when the response must be built before it is returned.

    curl -i -X POST http://127.0.0.1:8000/demos/view-mistakes/jsonify-status/right
    """
    return jsonify(error="The quantity must be at least 1."), HTTPStatus.BAD_REQUEST


def _find_item() -> dict[str, str]:
    """Look the item up; this demo stores none, so it is never found."""
    abort(HTTPStatus.NOT_FOUND, "No such item.")


@bp.get("/swallowed-abort/wrong")
@documented(Reply(500, JSON))
def swallowed_abort_wrong() -> tuple[dict[str, str], HTTPStatus]:
    """Deliberate mistake: 500 for a 404 — a broad try/except Exception swallows abort().

    abort() works by raising an HTTPException; `except Exception` catches it with every real failure,
    and the handler's 500 replaces the 404 the helper asked for.

    curl -i http://127.0.0.1:8000/demos/view-mistakes/swallowed-abort/wrong
    """
    try:
        return _find_item(), HTTPStatus.OK
    except Exception:
        return {"error": "Could not load the item."}, HTTPStatus.INTERNAL_SERVER_ERROR


@bp.get("/swallowed-abort/right")
@documented(Reply(404, PROBLEM_JSON))
def swallowed_abort_right() -> tuple[dict[str, str], HTTPStatus]:
    """404 Not Found — HTTPException is re-raised before the broad except, so abort() reaches Flask.

    curl -i http://127.0.0.1:8000/demos/view-mistakes/swallowed-abort/right
    """
    try:
        return _find_item(), HTTPStatus.OK
    except HTTPException:
        raise
    except Exception:
        return {"error": "Could not load the item."}, HTTPStatus.INTERNAL_SERVER_ERROR


def seen_status_wrong(view: View) -> View:
    """Reads the status from the view's return value as it is: a tuple's Response, not the tuple's status."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        returned = view(*args, **kwargs)
        response = returned[0] if isinstance(returned, tuple) else returned
        response.headers["X-Seen-Status"] = str(response.status_code)
        return returned

    return wrapper


def seen_status_right(view: View) -> View:
    """make_response() first: the tuple becomes the Response Flask will send, status included."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        response = make_response(view(*args, **kwargs))
        response.headers["X-Seen-Status"] = str(response.status_code)
        return response

    return wrapper


@bp.post("/decorator-status/wrong")
@documented(Reply(202, JSON, headers=[SEEN]))
@seen_status_wrong
def decorator_status_wrong() -> tuple[Response, HTTPStatus]:
    """Deliberate mistake: 202 Accepted with X-Seen-Status: 200 — a decorator read jsonify()'s status.

    jsonify() made a 200 Response; the 202 is in the tuple, which Flask applies only after the
    decorator returned. Anything the decorator decides from that 200 (a log line, a metric, a cache)
    is wrong.

    curl -i -X POST http://127.0.0.1:8000/demos/view-mistakes/decorator-status/wrong
    """
    return jsonify(state="accepted"), HTTPStatus.ACCEPTED


@bp.post("/decorator-status/right")
@documented(Reply(202, JSON, headers=[SEEN]))
@seen_status_right
def decorator_status_right() -> tuple[Response, HTTPStatus]:
    """202 Accepted with X-Seen-Status: 202 — the decorator calls make_response() before it reads.

    curl -i -X POST http://127.0.0.1:8000/demos/view-mistakes/decorator-status/right
    """
    return jsonify(state="accepted"), HTTPStatus.ACCEPTED


@bp.delete("/returns-none/wrong")  # type: ignore[type-var]  # mypy rejects a None return: Flask's types say no
@documented(Reply(500, PROBLEM_JSON))
def returns_none_wrong() -> None:
    """Deliberate mistake: 500 for a finished job — the view returns None.

    The work is done, but a view must return a response; Flask raises TypeError ("did not return a
    valid response") and the app's handler answers 500.

    curl -i -X DELETE http://127.0.0.1:8000/demos/view-mistakes/returns-none/wrong
    """
    _forget_the_draft()


@bp.delete("/returns-none/right")
@documented(Reply(204, HTML))
def returns_none_right() -> tuple[str, HTTPStatus]:
    """204 No Content — nothing to say is still a response: an empty body and 204.

    curl -i -X DELETE http://127.0.0.1:8000/demos/view-mistakes/returns-none/right
    """
    _forget_the_draft()
    return "", HTTPStatus.NO_CONTENT


def _forget_the_draft() -> None:
    """The work both views do; this demo stores no drafts, so there is nothing to remove."""
