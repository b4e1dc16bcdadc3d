"""The Host check: an HTTP/1.1 request without a Host header gets 400 (RFC 9112 §3.2), before any view."""

from http import HTTPStatus

from flask import Request, abort


def require_host(request: Request) -> None:
    """before_request: Gunicorn passes such a request through, so the app refuses it."""
    environ = request.environ
    if environ.get("SERVER_PROTOCOL") == "HTTP/1.1" and not environ.get("HTTP_HOST"):
        abort(HTTPStatus.BAD_REQUEST, "An HTTP/1.1 request must carry a Host header (RFC 9112 §3.2).")
