"""/trailers: the /get echo, then each query parameter as a trailer field (go-httpbin's route).

WSGI has no way to send trailers, so each protocol gets them from the server underneath. HTTP/2:
Gunicorn's worker offers `gunicorn.http2.send_trailers`, a HEADERS frame after the body. HTTP/1.1:
Gunicorn's response writer ends a chunked body with an empty trailer section and has no hook, so the
view writes the whole answer itself on the connection the worker hands over (`gunicorn.socket`) once
the pipeline has set every header, chunked with its trailer section (RFC 9112 §7.1.2), and severs the
connection, as a /status fault that writes its own answer does: the status still goes to Gunicorn's
start_response, so the access log and the metrics count the answer, and the head Gunicorn would then
write meets the closed connection. Anywhere else (`flask run`, Flask's test client)
there is neither, and the route answers 501 saying so; /openapi.json describes the container.
"""

import contextlib
from typing import Any

from flask import Response, json, request
from werkzeug.exceptions import NotImplemented as NeedsWorker
from werkzeug.http import http_date

from service.contract.reply import Reply, documented, header
from service.httpbin.exchange import echo
from service.httpbin.params import BadParameter
from service.pipeline.media import JSON, PROBLEM_JSON
from service.rfc9110 import TOKEN
from service.seam import HTTP2_TRAILERS, SOCKET
from service.tester.faults import sever

MAX_TRAILERS = 10
MAX_VALUE = 256
# RFC 9110 §6.5.1: fields a recipient must not take from a trailer section — framing, routing, request
# modifiers, authentication, response control and how to process the content.
FORBIDDEN = frozenset(
    name.lower()
    for name in (
        "Authorization", "Cache-Control", "Connection", "Content-Encoding", "Content-Length",
        "Content-Range", "Content-Type", "Date", "Expect", "Expires", "Host", "Keep-Alive",
        "Location", "Max-Forwards", "Pragma", "Proxy-Authenticate", "Proxy-Authorization",
        "Range", "Retry-After", "Set-Cookie", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
        "Vary", "WWW-Authenticate",
    )
)  # fmt: skip


def _trailers() -> list[tuple[str, str]]:
    fields = list(request.args.items(multi=True))
    if len(fields) > MAX_TRAILERS:
        raise BadParameter("trailer", f"at most {MAX_TRAILERS} query parameters (one trailer each)")
    for name, value in fields:
        if not TOKEN.fullmatch(name) or name.lower() in FORBIDDEN:
            raise BadParameter(name, "a field name (RFC 9110 token) a trailer may carry (§6.5.1)")
        if len(value) > MAX_VALUE or not value.isascii() or not value.isprintable():
            raise BadParameter(name, f"at most {MAX_VALUE} printable ASCII characters")
    return fields


class _Trailed(Response):
    """The echo; its trailers sent by whichever means the server underneath offers (the docstring)."""

    trailers: list[tuple[str, str]]

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if HTTP2_TRAILERS in environ:
            environ[HTTP2_TRAILERS](self.trailers)
            return super().__call__(environ, start_response)
        body = self.get_data()
        head = [f"HTTP/1.1 {self.status}", f"Date: {http_date()}"]
        head += [
            f"{k}: {v}" for k, v in self.headers.items() if k.lower() not in ("content-length", "connection")
        ]
        head += ["Transfer-Encoding: chunked", "Connection: close"]
        data = "\r\n".join(head).encode("latin-1") + b"\r\n\r\n"
        if body and environ["REQUEST_METHOD"] != "HEAD":
            data += f"{len(body):x}\r\n".encode() + body + b"\r\n"
        data += b"0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in self.trailers).encode("latin-1") + b"\r\n"
        head_fields = [(k, v) for k, v in self.headers.items() if k.lower() != "content-length"]
        start_response(self.status, head_fields)
        sock = environ[SOCKET]
        with contextlib.suppress(OSError):  # a client gone already: nothing left to tell it
            sock.sendall(data)
        sever(sock, reset=False)
        return []


@documented(
    Reply(200, JSON, [header("Trailer", "the names of the trailer fields that follow the body")]),
    Reply(400, PROBLEM_JSON),
)
def trailers() -> Response:
    """The request echoed as /get does, then each query parameter as a trailer field.

    curl -s --raw -H 'TE: trailers' 'http://127.0.0.1:8000/trailers?Server-Timing=app;dur=1'
    """
    fields = _trailers()
    environ = request.environ
    h2 = HTTP2_TRAILERS in environ
    if not h2 and (environ.get("SERVER_PROTOCOL") != "HTTP/1.1" or SOCKET not in environ):
        raise NeedsWorker(
            "Trailers need the container's Gunicorn worker: WSGI cannot send them, the worker can "
            "(over HTTP/1.1 and HTTP/2); this server cannot."
        )
    response = _Trailed(json.dumps(echo.asked()), mimetype=JSON)
    response.trailers = fields
    if fields:
        response.headers["Trailer"] = ", ".join(dict.fromkeys(name for name, _ in fields))
    return response
