"""/demos/aborts: abort() stops a view by raising an HTTPException that becomes the response."""

from http import HTTPStatus

from flask import Blueprint, Response, abort, json

from service.contract.reply import Reply, documented, header
from service.pipeline.errors import problem
from service.pipeline.media import PROBLEM_JSON

bp = Blueprint("aborts", __name__, url_prefix="/demos/aborts")


@bp.get("/code")
@documented(Reply(403, PROBLEM_JSON))
def code() -> Response:
    """403 Forbidden from abort(code): the app's handler turns it into problem+json.

    The detail is Werkzeug's default description for the code.

    curl -i http://127.0.0.1:8000/demos/aborts/code
    """
    abort(HTTPStatus.FORBIDDEN)


@bp.get("/code-description")
@documented(Reply(403, PROBLEM_JSON))
def code_description() -> Response:
    """403 Forbidden from abort(code, description): the description becomes the problem's detail.

    curl -i http://127.0.0.1:8000/demos/aborts/code-description
    """
    abort(HTTPStatus.FORBIDDEN, "Only the owner may read this demo resource.")


@bp.get("/response")
@documented(Reply(422, PROBLEM_JSON, headers=[header("X-Prepared", "yes: the prepared response, untouched")]))
def response() -> Response:
    """422 Unprocessable Content from abort(response): a prepared Response goes out untouched.

    The app's HTTPException handler never sees it (Flask returns an exception that carries a
    response as it is), so the response must already be in the app's error shape. Here it keeps an
    `errors` member and an `X-Prepared` header that the generic handler would not have written.

    curl -i http://127.0.0.1:8000/demos/aborts/response
    """
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    body = problem(status, "The payload is invalid.", errors=[{"field": "name", "message": "required"}])
    prepared = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    prepared.headers["X-Prepared"] = "yes"
    abort(prepared)
