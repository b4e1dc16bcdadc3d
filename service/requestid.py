"""Request IDs and route templates: what the access log and the metrics learn from the app.

An incoming X-Request-ID is kept when it is a short printable token (1 to 64 of A-Z a-z 0-9 . _ -),
otherwise it is replaced with a fresh one (32 random hex digits), so a client can correlate its
requests, yet nothing it sends can grow the log or break a line. Every response carries the id in
X-Request-ID, every problem+json body as "request_id" (service/errors.py). The id and the matched
route's template (never the raw path: metrics labels stay bounded) go into the WSGI environ, where
Gunicorn's access logger (service/accesslog.py) reads them after the response is sent.
"""

import os
import re

from flask import Flask, Response, request

HEADER = "X-Request-ID"
ENV_ID = "service.request_id"
ENV_ROUTE = "service.route"
VALID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id() -> str:
    """The current request's id, chosen on first use (an error handler may need it before any hook ran)."""
    environ = request.environ
    found: str | None = environ.get(ENV_ID)
    if found is None:
        given = environ.get("HTTP_X_REQUEST_ID", "")
        found = given if VALID.fullmatch(given) else os.urandom(16).hex()
        environ[ENV_ID] = found
    return found


def register(app: Flask) -> None:
    """Install the hooks; register before any hook that may abort, so the route is always recorded."""

    @app.before_request
    def note_route() -> None:
        rule = request.url_rule
        if rule is not None:  # no rule: a 404 or 405, logged as the access logger's "<unmatched>"
            request.environ[ENV_ROUTE] = rule.rule

    @app.after_request
    def send_request_id(response: Response) -> Response:
        response.headers[HEADER] = request_id()
        return response
