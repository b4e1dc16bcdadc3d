"""The floors `make bench` compares the service with: a minimal Flask route and a bare WSGI callable.

Each answers every path with 200 and a short text body, as cheaply as its layer allows, so the gap
between them and the service is what the service's own features cost.
"""

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

BODY = b"Success!"

minimal_flask = Flask(__name__)


@minimal_flask.get("/status/200")
@minimal_flask.get("/success")
def success() -> tuple[str, int]:
    """200 OK from a (body, status) tuple: Flask with nothing added."""
    return "Success!", 200


def bare_wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """200 OK with no framework at all: the cost of Gunicorn and the WSGI protocol alone."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]
