"""Every error the app answers, turned into the one problem+json shape (service/pipeline/problem.py)."""

from typing import Any

from flask import Flask, current_app, has_request_context, json
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from service.pipeline import problem as shape
from service.pipeline.media import PROBLEM_JSON
from service.pipeline.request_id import request_id


def problem(status: int, detail: str | None = None, **extensions: Any) -> dict[str, Any]:
    """The problem-details body for a status, with the current request's id (an extension member a user
    can quote) unless one is given; outside a request, pass request_id= yourself."""
    body = shape.problem(status, detail, **extensions)
    if "request_id" not in body and has_request_context():
        body["request_id"] = request_id()
    return body


def handle_http_exception(exc: HTTPException) -> Response:
    """Keep Werkzeug's status and headers (Allow, WWW-Authenticate, Retry-After...), replace the body;
    an exception's `problem` dict adds members (service/httpbin/params.py's BadParameter names its own)."""
    response = exc.get_response()
    extensions = getattr(exc, "problem", {})
    response.set_data(json.dumps(problem(response.status_code, exc.description, **extensions)))
    response.mimetype = PROBLEM_JSON
    return response


def handle_unhandled(exc: Exception) -> Response:
    """Any other exception: log the traceback, answer a generic 500 that reveals nothing inside."""
    current_app.logger.exception("Unhandled exception", exc_info=exc)
    return handle_http_exception(InternalServerError())


def register(app: Flask) -> None:
    """Install the handlers: the most specific class wins, so HTTPException never reaches the 500 one."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unhandled)
