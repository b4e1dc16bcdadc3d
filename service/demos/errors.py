"""/demos/errors: what the app-level error handlers make of failures."""

from flask import Blueprint

from service.openapi import documented

bp = Blueprint("demo_errors", __name__, url_prefix="/demos/errors")


class DeliberateError(RuntimeError):
    """Raised on purpose; nothing handles it, so it reaches the app's catch-all handler."""


@bp.get("/unhandled")
@documented(500)
def unhandled() -> str:
    """500 Internal Server Error as problem+json: an exception no handler expects.

    The traceback goes to the log; the body says nothing about the code.

    curl -i http://127.0.0.1:8000/demos/errors/unhandled
    """
    raise DeliberateError("a secret detail that must never reach the client")
