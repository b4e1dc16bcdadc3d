"""/status?fault=: failures on the wire (a connection closed or reset, a body cut short or dripped).

The view decides the answer as usual, then hands it to faulty(); what leaves depends on the fault:
- empty: the connection closes (FIN) before any byte of a response;
- reset: a TCP reset before any byte (HTTP/2: RST_STREAM on the stream, the connection lives on);
- truncate: the status line and headers with the full Content-Length, half the body, then the
  connection closes (HTTP/2: RST_STREAM after half the DATA);
- drip: the whole body, in small pieces spread over ?duration= seconds.

The seam with the server is small and worker-independent, on purpose (the worker class may change):
the response acts at the WSGI boundary, with only what any Gunicorn worker hands a WSGI app:
1. HTTP/1.x: `environ["gunicorn.socket"]`, the client's socket. The fault never closes it under the
   server's feet: it replaces the socket's file descriptor with a fresh, unconnected socket (dup2),
   which drops the last reference to the connection, so the kernel sends FIN (or, with SO_LINGER 0,
   RST) at once. The server's socket object stays valid; its next write fails with EPIPE, which every
   worker treats as a client that went away (a debug line), and it closes the placeholder itself: no
   descriptor, socket or thread is left behind, and the worker's connection count stays right.
2. HTTP/2 (`environ["HTTP_VERSION"] == "2"`): `reset` and `truncate` send RST_STREAM (INTERNAL_ERROR)
   through `environ[RESET_STREAM]`, a callable `reset(error_code)` that a worker which answers streams
   side by side puts there; failing that, through the stream's response writer that Gunicorn 27's own
   workers (gthread and async) pass as `start_response` (a bound method of HTTP2Response, whose
   `h2_conn.reset_stream(stream_id, code)` it calls). The writer's next frame then fails with
   HTTP2StreamError, which the worker logs at debug. `empty` closes the whole connection (1.).
The fault is noted in the environ (ENV_FAULT) for the access log and the metrics, which count it.

Without either (Werkzeug's development server under `flask run`, or `app.test_client()`), every fault
but drip answers 501 problem+json naming the worker it needs: a fault never pretends to have happened.
"""

import os
import socket
import struct
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from flask import Response, request
from werkzeug.exceptions import NotImplemented as NotImplementedHere

from service.seam import FAULT as ENV_FAULT
from service.seam import RESET_STREAM, SOCKET

FAULTS = ("empty", "reset", "truncate", "drip")
# RFC 9113 §7: the error code of the RST_STREAM frames a fault sends.
H2_INTERNAL_ERROR = 0x2
# drip: at most this many pieces a second, and never fewer than two (headers, then the pieces).
DRIP_PIECES_PER_SECOND = 10

StartResponse = Callable[..., Any]


def sever(sock: socket.socket, reset: bool) -> None:
    """End the TCP connection behind sock now (FIN, or RST if reset) without closing sock itself."""
    fd = sock.fileno()
    if fd < 0:
        return
    if reset:
        # Linger on, timeout 0: dropping the connection's last reference sends RST, not FIN.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    placeholder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        os.set_blocking(placeholder.fileno(), os.get_blocking(fd))
        os.dup2(placeholder.fileno(), fd)
    finally:
        placeholder.close()


def _stream_reset(environ: dict[str, Any], start_response: StartResponse) -> Callable[[], None] | None:
    """A function that resets this request's HTTP/2 stream with INTERNAL_ERROR, or None (not HTTP/2)."""
    if environ.get("HTTP_VERSION") != "2":
        return None
    given = environ.get(RESET_STREAM)
    if callable(given):
        return lambda: given(H2_INTERNAL_ERROR)
    writer = getattr(start_response, "__self__", None)
    connection, stream_id = getattr(writer, "h2_conn", None), getattr(writer, "stream_id", None)
    if connection is None or not isinstance(stream_id, int):
        return None
    return lambda: connection.reset_stream(stream_id, H2_INTERNAL_ERROR)


class FaultyResponse(Response):
    """A response that misbehaves on the wire as its fault says, once Flask hands it to the server."""

    def __init__(self, base: Response, fault: str, duration: float = 0.0) -> None:
        environ = request.environ
        if fault != "drip" and SOCKET not in environ and RESET_STREAM not in environ:
            raise NotImplementedHere(
                f"fault={fault} needs the container's Gunicorn worker, which hands the app the client's "
                "connection (HTTP/1.1) or the stream's reset (HTTP/2); this server hands it neither. "
                "Run the service with `docker compose up`, or Gunicorn with service/server/gunicorn.conf.py."
            )
        body = b"" if base.status_code in (204, 205, 304) else base.get_data()
        super().__init__(body, status=base.status, headers=base.headers)
        self.fault, self.duration = fault, duration

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        environ[ENV_FAULT] = self.fault
        head_only = environ.get("REQUEST_METHOD") == "HEAD"
        body = b"" if head_only else self.get_data()
        if not head_only:
            self.headers["Content-Length"] = str(len(body))
        status, headers = self.status, list(self.headers.to_wsgi_list())
        if self.fault == "drip":
            start_response(status, headers)
            return self.drip(body)
        reset_stream = _stream_reset(environ, start_response)
        sock: socket.socket | None = environ.get(SOCKET)
        start_response(status, headers)
        if self.fault == "truncate":
            return self.truncate(body, sock, reset_stream)
        if reset_stream is not None and self.fault == "reset":
            reset_stream()
        elif sock is not None:
            sever(sock, reset=self.fault == "reset")
        return []

    def truncate(
        self, body: bytes, sock: socket.socket | None, reset_stream: Callable[[], None] | None
    ) -> Iterator[bytes]:
        yield body[: len(body) // 2]
        if reset_stream is not None:
            reset_stream()
        elif sock is not None:
            sever(sock, reset=False)

    def drip(self, body: bytes) -> Iterator[bytes]:
        yield b""  # the status line and headers go out at once
        if not body:
            time.sleep(self.duration)
            return
        pieces = max(2, min(len(body), int(self.duration * DRIP_PIECES_PER_SECOND)))
        size = -(-len(body) // pieces)  # ceiling: every byte goes out
        chunks = [body[i : i + size] for i in range(0, len(body), size)]
        interval = self.duration / len(chunks)
        for chunk in chunks:
            time.sleep(interval)
            yield chunk
