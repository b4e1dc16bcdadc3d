"""Request IDs and route templates: what the access log and the metrics learn from the app.

An incoming X-Request-ID is kept when it is a short printable token (1 to 64 of A-Z a-z 0-9 . _ -),
otherwise it is replaced with a fresh one (32 random hex digits, unique but not secret), so a client
can correlate its requests, yet nothing it sends can grow the log or break a line. Every response
carries the id in X-Request-ID, every problem+json body as "request_id" (service/pipeline/errors.py). The id
and the matched route's template (never the raw path: metrics labels stay bounded) go into the WSGI
environ, where Gunicorn's access logger (service/server/accesslog.py) reads them after the response is sent.
"""

import random
import re
from typing import Any

from flask import Request, Response, request

from service.seam import REQUEST_ID as ENV_ID
from service.seam import ROUTE as ENV_ROUTE

HEADER = "X-Request-ID"
VALID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# An id needs to be unique, not secret: Python's Mersenne Twister (reseeded in each forked worker) and
# not os.urandom, whose getrandom() call releases the GIL on every request, a hand-off that cost
# /status/200 a large share of its throughput with 32 threads a worker (docs/performance.md).
_bits = random.getrandbits


def request_id() -> str:
    """The current request's id, chosen on first use (an error handler may need it before the hook)."""
    return environ_request_id(request.environ)


def environ_request_id(environ: dict[str, Any]) -> str:
    """The id of the request whose WSGI environ this is, chosen on first use (service/tester/replay.py
    calls it for an answer it replays without Flask)."""
    found: str | None = environ.get(ENV_ID)
    if found is None:
        given = environ.get("HTTP_X_REQUEST_ID")
        found = given if given is not None and VALID.fullmatch(given) else f"{_bits(128):032x}"
        environ[ENV_ID] = found
    return found


def note_route_and_id(request: Request, response: Response) -> Response:
    """after_request, for every response the app makes (error handlers' too): the id header, and the
    route template and id in the environ for the access log and the metrics."""
    environ = request.environ
    rule = request.url_rule
    if rule is not None:  # no rule: a 404 or 405, logged as the access logger's "<unmatched>"
        environ[ENV_ROUTE] = rule.rule
    response.headers[HEADER] = environ_request_id(environ)
    return response
