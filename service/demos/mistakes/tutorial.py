"""The four routes of the tutorial this project grew from, each telling the truth about its technique."""

from flask import Blueprint, Response, make_response

from service.contract.reply import Reply, documented
from service.pipeline.media import HTML

bp = Blueprint("tutorial", __name__)


@bp.get("/success")
@documented(Reply(200, HTML))
def success() -> tuple[str, int]:
    """200 OK from a (body, status) tuple — the most common way to set a status.

    curl -i http://127.0.0.1:8000/success
    """
    return "Success!", 200


@bp.get("/notfound")
@documented(Reply(404, HTML))
def not_found() -> Response:
    """404 Not Found from make_response(body, status) — a Response object you can still modify.

    curl -i http://127.0.0.1:8000/notfound
    """
    return make_response("Not Found", 404)


@bp.get("/wrong")  # type: ignore[type-var]  # mypy rejects a str status: Flask's types say int
@documented(Reply(404, HTML))
def wrong() -> tuple[str, str]:
    """404 Not Found, although the status is the *string* '404'.

    The tutorial says Flask ignores a string status; it does not. Werkzeug parses a str status
    ("404" or "404 Not Found") and sends it, adding its own reason phrase to a bare number. It is
    still the wrong style: a typo such as "Not Found" (no number) only fails at request time, as
    Gunicorn's own HTML 500 (see /demos/pitfalls/reason-only/wrong), and a type checker flags the str
    because Flask's types say int. Use an int or http.HTTPStatus (see /right).

    curl -i http://127.0.0.1:8000/wrong
    """
    return "Error", "404"


@bp.get("/right")
@documented(Reply(404, HTML))
def right() -> tuple[str, int]:
    """404 Not Found from a (body, int) tuple — the right way to write what /wrong meant.

    curl -i http://127.0.0.1:8000/right
    """
    return "Error", 404
