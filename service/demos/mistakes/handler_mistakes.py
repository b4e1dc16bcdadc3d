"""/demos/handler-mistakes: three error-handler mistakes Flask users make, each wrong beside right.

Each half of each pair is its own small blueprint, so each can carry its own error handler (a blueprint's
handler runs for errors raised in that blueprint's views only) and the wrong one cannot leak into the
right one. The wrong halves really answer wrong on the wire: a 200 for an error, a 500 for a 404, and a
404 body that is not the one the blueprint's handler writes. The contract suite pins every half.
"""

from http import HTTPStatus

from flask import Blueprint, Response, abort, jsonify
from werkzeug.exceptions import HTTPException, NotFound

from service.contract.reply import Reply, documented
from service.pipeline.media import HTML, JSON

bp = Blueprint("handler_mistakes", __name__, url_prefix="/demos/handler-mistakes")


class OutOfStock(Exception):
    """An application error: the item cannot be ordered now."""


# Mistake 1: an error handler that returns a body without a status.
no_status_wrong = Blueprint("no_status_wrong", __name__, url_prefix="/no-status/wrong")
no_status_right = Blueprint("no_status_right", __name__, url_prefix="/no-status/right")


@no_status_wrong.errorhandler(OutOfStock)
def out_of_stock_without_status(exc: OutOfStock) -> dict[str, str]:
    """Returns only a body: Flask sends it with the default status, 200 OK."""
    return {"error": str(exc)}


@no_status_right.errorhandler(OutOfStock)
def out_of_stock_with_status(exc: OutOfStock) -> tuple[dict[str, str], HTTPStatus]:
    """Returns the body and the status, as a view would."""
    return {"error": str(exc)}, HTTPStatus.CONFLICT


@no_status_wrong.post("")
@documented(Reply(200, JSON))
def order_wrong() -> str:
    """Deliberate mistake: 200 OK for an error — the error handler returned a body and no status.

    An error handler's return value is made into a response exactly like a view's, and a response
    without a status is a 200. The client is told the order succeeded.

    curl -i -X POST http://127.0.0.1:8000/demos/handler-mistakes/no-status/wrong
    """
    raise OutOfStock("Tea is out of stock.")


@no_status_right.post("")
@documented(Reply(409, JSON))
def order_right() -> str:
    """409 Conflict — the error handler returns (body, status), so the error is an error on the wire.

    curl -i -X POST http://127.0.0.1:8000/demos/handler-mistakes/no-status/right
    """
    raise OutOfStock("Tea is out of stock.")


# Mistake 2: @errorhandler(Exception) also catches HTTPException, so abort(404) becomes a 500.
catch_all_wrong = Blueprint("catch_all_wrong", __name__, url_prefix="/catch-all/wrong")
catch_all_right = Blueprint("catch_all_right", __name__, url_prefix="/catch-all/right")


@catch_all_wrong.errorhandler(Exception)
def everything_is_a_500(exc: Exception) -> tuple[dict[str, str], HTTPStatus]:
    """Catches every exception, abort()'s HTTPException included, and calls it a server error."""
    return {"error": str(exc)}, HTTPStatus.INTERNAL_SERVER_ERROR


@catch_all_right.errorhandler(Exception)
def unexpected_is_a_500(exc: Exception) -> HTTPException | tuple[dict[str, str], HTTPStatus]:
    """Lets an HTTPException through with its own status; only an unexpected exception is a 500."""
    if isinstance(exc, HTTPException):
        return exc
    return {"error": "Internal server error."}, HTTPStatus.INTERNAL_SERVER_ERROR


@catch_all_wrong.get("")
@documented(Reply(500, JSON))
def item_wrong() -> str:
    """Deliberate mistake: 500 for a 404 — @errorhandler(Exception) also catches abort(404).

    abort() raises an HTTPException, which is an Exception too, so the catch-all handler turns the
    404 into a 500 (and its str() leaks "404 Not Found" into the body). At the app level it would
    turn every routing 404 and 405 into a 500 as well.

    curl -i http://127.0.0.1:8000/demos/handler-mistakes/catch-all/wrong
    """
    abort(HTTPStatus.NOT_FOUND, "No item here.")


@catch_all_right.get("")
@documented(Reply(404, HTML))
def item_right() -> str:
    """404 Not Found — the catch-all handler returns an HTTPException as it is (Flask's documented way).

    curl -i http://127.0.0.1:8000/demos/handler-mistakes/catch-all/right
    """
    abort(HTTPStatus.NOT_FOUND, "No item here.")


# Mistake 3: a blueprint's errorhandler(404) never runs for a URL that matches no route.
PAGES = ("1",)
missing_wrong = Blueprint("missing_wrong", __name__, url_prefix="/blueprint-404/wrong")
missing_right = Blueprint("missing_right", __name__, url_prefix="/blueprint-404/right")


def no_such_page() -> tuple[Response, HTTPStatus]:
    """The 404 this lesson's blueprints mean to send: JSON naming the pages that exist."""
    return jsonify(error="No such page in this blueprint.", pages=PAGES), HTTPStatus.NOT_FOUND


@missing_wrong.errorhandler(HTTPStatus.NOT_FOUND)
@missing_right.errorhandler(HTTPStatus.NOT_FOUND)
def blueprint_not_found(exc: NotFound) -> tuple[Response, HTTPStatus]:
    """Registered on a blueprint: runs for a 404 raised in one of its views, never for a URL with no route."""
    return no_such_page()


@missing_wrong.get("/1")
@documented(Reply(200, JSON))
def page_wrong() -> dict[str, str]:
    """Deliberate mistake: the app's 404, not the blueprint's — errorhandler(404) on a blueprint.

    The blueprint serves /1 only. /2 (or any other URL under its prefix) matches no route, so Flask
    raises the 404 while routing, before it knows which blueprint the URL belongs to, and only the
    app's handlers are asked: the answer is the app's problem+json, not the JSON list of pages the
    blueprint's handler writes.

    curl -i http://127.0.0.1:8000/demos/handler-mistakes/blueprint-404/wrong/2
    """
    return {"page": "1"}


@missing_right.get("/<page>")
@documented(Reply(200, JSON), Reply(404, JSON))
def page_right(page: str) -> dict[str, str]:
    """404 Not Found with the blueprint's own body — a catch-all route makes the URL the blueprint's.

    /1 exists. The <page> rule matches any other page too, so the 404 is raised inside the blueprint
    (abort in its view) and the blueprint's errorhandler(404) answers. The other way: one app-level
    404 handler that looks at request.path.

    curl -i http://127.0.0.1:8000/demos/handler-mistakes/blueprint-404/right/2
    """
    if page not in PAGES:
        abort(HTTPStatus.NOT_FOUND)
    return {"page": page}


HALVES = (no_status_wrong, no_status_right, catch_all_wrong, catch_all_right, missing_wrong, missing_right)
for child in HALVES:
    bp.register_blueprint(child)
