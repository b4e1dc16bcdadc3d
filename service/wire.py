"""POST /wire: what one of this service's own routes sends, byte for byte, as it left the server.

A page's fetch() hides the very things several lessons are about: every interim 1xx (the 103 of Early
Hints), Set-Cookie, a redirect's 3xx and Location, the reason phrase. /wire asks the service itself,
over HTTP/1.1 on the socket the request came in on, and returns each head as it arrived.

Under Gunicorn (the container) and Werkzeug's development server (`flask run`) the request goes over a
real connection to the server's own address. The test client has no connection: there the route is
called in-process, so the one head is the final one as the app made it (no interim 1xx, no server
headers), which is what such an app can know.

It is no proxy: it connects only to the address of the server's own listening socket (never to a name
from the request or from the Host header), sends only a path of this service that a route matches or
that lies under /demos/ or /status/ (never /wire itself: no recursion), only a few lesson headers, a
body of at most 8 KB, and it keeps at most 64 KB of the answer and waits at most 6 s for it.
"""

import socket
import time
from typing import Any

from flask import Blueprint, current_app, request
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge
from werkzeug.routing import RequestRedirect
from werkzeug.test import EnvironBuilder, run_wsgi_app

from service.contract.reply import Reply, documented
from service.pipeline.media import JSON, PROBLEM_JSON
from service.seam import SOCKET

bp = Blueprint("wire", __name__)

MAX_BODY = 8 * 1024  # the body sent on; the lessons' bodies are a few bytes
MAX_ANSWER = 64 * 1024  # bytes of the answer kept: every head, and the start of the body
DEADLINE = 6.0  # seconds for the whole exchange; /status may be asked to sleep up to its cap
# What a lesson's request may carry besides method, path and body (curl lines use these).
HEADERS = frozenset(
    {"accept", "authorization", "content-type", "if-match", "if-none-match", "if-modified-since"}
    | {"if-unmodified-since", "if-range", "range", "origin", "access-control-request-method"}
)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
PREFIXES = ("/demos/", "/status/")
_SCHEMA = {
    "type": "object",
    "required": ["url"],
    "properties": {
        "url": {"type": "string", "pattern": "^/", "maxLength": 2000},
        "method": {"type": "string", "enum": sorted(METHODS)},
        "headers": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 500}},
        "body": {"type": "string", "maxLength": MAX_BODY},
    },
    "additionalProperties": False,
}


def _target(raw: Any) -> str:
    """The request target, if it is one of this service's own paths; 400 otherwise."""
    if not isinstance(raw, str) or not raw.startswith("/") or raw.startswith("//") or len(raw) > 2000:
        raise BadRequest("url must be a path of this service, starting with a single '/'.")
    if not raw.isascii() or any(c <= " " or c == "\x7f" for c in raw):
        raise BadRequest("url must be printable ASCII without spaces (percent-encode the rest).")
    path = raw.split("?", 1)[0]
    adapter = current_app.url_map.bind("localhost")
    endpoints = set()
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        try:
            endpoints.add(adapter.match(path, method=method)[0])
        except RequestRedirect:  # the same route with a trailing slash, say: it exists
            endpoints.add("redirect")
        except HTTPException:  # no route for this method (or none at all)
            pass
    if not endpoints and path.startswith(PREFIXES):
        endpoints.add("under a prefix")  # a 404 of the target or of a demo, which lessons show
    if not endpoints or endpoints & {"static", "wire.wire"}:
        raise BadRequest(f"{path} is not one of this service's documented routes.")
    return raw


def _headers(raw: Any) -> list[tuple[str, str]]:
    if not isinstance(raw, dict):
        raise BadRequest("headers must be an object of name: value.")
    chosen = []
    for name, value in raw.items():
        if not isinstance(value, str) or name.lower() not in HEADERS:
            raise BadRequest(f"headers may name only: {', '.join(sorted(HEADERS))}.")
        if len(value) > 500 or not value.isascii() or any(c < " " or c == "\x7f" for c in value):
            raise BadRequest(f"The {name} header must be printable ASCII, at most 500 characters.")
        chosen.append((name, value))
    return chosen


def exchange(address: tuple[Any, ...], request_bytes: bytes) -> tuple[bytes, bool]:
    """Send the request to the server's own socket; every byte of the answer (up to MAX_ANSWER) and
    whether it ended (the server closed) before the deadline."""
    deadline = time.monotonic() + DEADLINE
    received = b""
    with socket.create_connection(address[:2], timeout=DEADLINE) as sock:
        sock.sendall(request_bytes)
        while len(received) < MAX_ANSWER:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return received, False
            sock.settimeout(remaining)
            try:
                chunk = sock.recv(MAX_ANSWER - len(received))
            except OSError:  # the deadline, or a reset (/status/...?fault=reset does it on purpose)
                return received, False
            if not chunk:
                return received, True
            received += chunk
    return received, False


def in_process(method: str, target: str, headers: list[tuple[str, str]], payload: bytes) -> bytes:
    """The route's answer from the app itself, as the bytes a server would send (the test client)."""
    path, _, query = target.partition("?")
    builder = EnvironBuilder(path=path, query_string=query, method=method, headers=headers, data=payload)
    body, status, response_headers = run_wsgi_app(current_app, builder.get_environ(), buffered=True)
    head = [f"HTTP/1.1 {status}", *(f"{name}: {value}" for name, value in response_headers)]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + b"".join(body)[:MAX_ANSWER]


def split_heads(raw: bytes) -> tuple[list[dict[str, Any]], bytes]:
    """Each head that arrived (interim 1xx first, then the final one) and what followed the last."""
    heads = []
    rest = raw
    while rest.startswith(b"HTTP/") and b"\r\n\r\n" in rest:
        head, _, rest = rest.partition(b"\r\n\r\n")
        line, *fields = head.decode("latin-1").split("\r\n")
        parts = line.split(" ", 2)
        status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        heads.append(
            {
                "line": line,
                "status": status,
                "headers": [list(map(str.strip, f.split(":", 1))) for f in fields if ":" in f],
            }
        )
        if not 100 <= status < 200:
            break
    return heads, rest


def _declared_length(heads: list[dict[str, Any]]) -> int:
    """The final head's Content-Length, or 0: a body cut short of it did not end (fault=truncate)."""
    lengths = [v for n, v in heads[-1]["headers"] if n.lower() == "content-length"] if heads else []
    return int(lengths[0]) if lengths and lengths[0].isdigit() else 0


@bp.post("/wire")
@documented(
    Reply(200, JSON),
    Reply(400, PROBLEM_JSON),
    Reply(413, PROBLEM_JSON),
    Reply(415, PROBLEM_JSON),
    request_body={"required": True, "content": {JSON: {"schema": _SCHEMA}}},
)
def wire() -> dict[str, Any]:
    """200 OK with the exact answer one of this service's routes sent: every 1xx, status line, header.

    The JSON names the request as sent, each head as it arrived (interim 1xx first, the final one
    last, reason phrase and every Set-Cookie included) and the body's first bytes. The page's "Wire"
    button uses it; 400 for a URL that is not this service's, a header outside the lesson headers.

    curl -i -H 'Content-Type: application/json' -d '{"url": "/demos/early-hints/preload"}' http://127.0.0.1:8000/wire
    """
    request.max_content_length = 4 * MAX_BODY  # the JSON around an 8 KB body, escaped
    data = request.get_json()
    if not isinstance(data, dict) or set(data) - {"url", "method", "headers", "body"}:
        raise BadRequest("Send a JSON object with url, and optionally method, headers and body.")
    target = _target(data.get("url"))
    method = data.get("method", "GET")
    if not isinstance(method, str) or method not in METHODS:
        raise BadRequest(f"method must be one of {', '.join(sorted(METHODS))}.")
    body = data.get("body", "")
    if not isinstance(body, str):
        raise BadRequest("body must be a string.")
    payload = body.encode()
    if len(payload) > MAX_BODY:
        raise RequestEntityTooLarge(f"The body sent on may be at most {MAX_BODY} bytes.")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {request.host}", "Connection: close"]
    chosen = _headers(data.get("headers", {}))
    lines += [f"{name}: {value}" for name, value in chosen]
    if payload or method in {"POST", "PUT", "PATCH"}:
        lines.append(f"Content-Length: {len(payload)}")
    sent = ("\r\n".join(lines) + "\r\n\r\n").encode() + payload
    # The socket this request arrived on: its local address is the server's own, whatever Host says.
    # Gunicorn's workers and Werkzeug's development server each hand the app theirs.
    sock = request.environ.get(SOCKET) or request.environ.get("werkzeug.socket")
    if sock is not None:
        raw, ended = exchange(sock.getsockname(), sent)
    else:
        raw, ended = in_process(method, target, chosen, payload), True
    heads, rest = split_heads(raw)
    return {
        "request": sent.decode("latin-1"),
        "responses": heads,
        "body": rest[:MAX_BODY].decode("utf-8", "replace"),
        "body_bytes": len(rest),
        "complete": ended and len(raw) < MAX_ANSWER and len(rest) >= _declared_length(heads),
        "status": heads[-1]["status"] if heads else None,
    }
