"""/demos/handlers: what the app-level error handlers make of failures and application exceptions."""

from http import HTTPStatus

from flask import Blueprint, Response, json
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import ServiceUnavailable, Unauthorized

from service.contract.reply import Reply, documented, header
from service.pipeline.errors import problem
from service.pipeline.media import PROBLEM_JSON

bp = Blueprint("error_handlers", __name__, url_prefix="/demos/handlers")


class DeliberateError(RuntimeError):
    """Raised on purpose; nothing handles it, so it reaches the app's catch-all handler."""


class ResourceConflict(Exception):
    """An application error: the resource is not in a state that allows the request."""

    def __init__(self, resource: str, detail: str) -> None:
        super().__init__(detail)
        self.resource = resource
        self.detail = detail


# app_errorhandler registers on the app, not the blueprint: any view raising ResourceConflict gets a 409.
@bp.app_errorhandler(ResourceConflict)
def handle_conflict(exc: ResourceConflict) -> Response:
    """Map the application's own exception to 409 Conflict, in the same problem+json shape."""
    body = problem(HTTPStatus.CONFLICT, exc.detail, resource=exc.resource)
    return Response(json.dumps(body), status=HTTPStatus.CONFLICT, mimetype=PROBLEM_JSON)


@bp.get("/unhandled")
@documented(Reply(500, PROBLEM_JSON))
def unhandled() -> str:
    """500 Internal Server Error as problem+json: an exception no handler expects.

    The traceback goes to the log; the body says nothing about the code.

    curl -i http://127.0.0.1:8000/demos/handlers/unhandled
    """
    raise DeliberateError("a secret detail that must never reach the client")


@bp.post("/conflict")
@documented(Reply(409, PROBLEM_JSON))
def conflict() -> str:
    """409 Conflict as problem+json: an application exception mapped by an app-level error handler.

    The view knows nothing about HTTP; handle_conflict, registered for ResourceConflict, answers 409
    with the resource named in an extension member.

    curl -i -X POST http://127.0.0.1:8000/demos/handlers/conflict
    """
    raise ResourceConflict("/demos/success/items/demo", "An item named 'demo' already exists.")


@bp.get("/unavailable")
@documented(Reply(503, PROBLEM_JSON, headers=[header("Retry-After", "seconds")]))
def unavailable() -> str:
    """503 Service Unavailable with Retry-After: the handler keeps the exception's headers.

    ServiceUnavailable(retry_after=120) sets Retry-After; the problem+json handler starts from
    the exception's own response, so only the body changes.

    curl -i http://127.0.0.1:8000/demos/handlers/unavailable
    """
    raise ServiceUnavailable("Down for maintenance, back soon.", retry_after=120)


@bp.get("/unauthorized")
@documented(Reply(401, PROBLEM_JSON, headers=[header("WWW-Authenticate", "Basic")]))
def unauthorized() -> str:
    """401 Unauthorized with WWW-Authenticate: the handler keeps the challenge header.

    curl -i http://127.0.0.1:8000/demos/handlers/unauthorized
    """
    challenge = WWWAuthenticate("basic", {"realm": "demo"})
    raise Unauthorized("Log in to see this demo.", www_authenticate=challenge)
