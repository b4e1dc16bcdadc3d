"""/status?fault=: failures on the wire (a connection closed or reset, a body cut short or dripped).

The view decides the answer as usual, then hands it to faulty(); what leaves depends on the fault:
- empty: the connection closes (FIN) before any byte of a response;
- reset: a TCP reset before any byte (HTTP/2: RST_STREAM on the stream, the connection lives on);
- truncate: the status line and headers with the full Content-Length, half the body, then the
  connection closes (HTTP/2: RST_STREAM after half the DATA);
- drip: the whole body, in small pieces spread over ?duration= seconds;
- close: the whole answer, keep-alive as ever, then the connection closes (FIN): the next request a
  client sends on it fails, the stale keep-alive trap (HTTP/2: the answer, then GOAWAY naming it);
- stall-head: nothing for ?duration= seconds, then the connection closes (HTTP/2: RST_STREAM);
- stall-body: the status line and headers, nothing for ?duration=, then the close (HTTP/2: RST_STREAM);
- overlong, bad-chunk (HTTP/1.1 only): the whole answer written on the socket by the fault itself,
  because Gunicorn's writer frames every body right: a body longer than its Content-Length, or a
  chunked body whose second chunk size is no hex number; then the connection closes;
- refuse, goaway (HTTP/2 only): RST_STREAM REFUSED_STREAM before any header (RFC 9113 §8.7: not
  processed, safe to retry), or GOAWAY naming the stream before this one as the last processed, then the
  connection closes.
A fault for the other protocol is a 400 problem saying so.

The seam with the server is small and worker-independent, on purpose (the worker class may change):
the response acts at the WSGI boundary, with only what any Gunicorn worker hands a WSGI app:
1. HTTP/1.x: `environ["gunicorn.socket"]`, the client's socket. The fault never closes it under the
   server's feet: it replaces the socket's file descriptor with a fresh, unconnected socket (dup2),
   which drops the last reference to the connection, so the kernel sends FIN (or, with SO_LINGER 0,
   RST) at once. The server's socket object stays valid; its next write fails with EPIPE, which every
   worker treats as a client that went away (a debug line), and it closes the placeholder itself: no
   descriptor, socket or thread is left behind, and the worker's connection count stays right.
2. HTTP/2 (`environ["HTTP_VERSION"] == "2"`): `reset`, `truncate` and the stalls send RST_STREAM
   (INTERNAL_ERROR) through `environ[RESET_STREAM]`, a callable `reset(error_code)` that a worker which
   answers streams side by side puts there; failing that, through the stream's response writer that
   Gunicorn 27's own workers (gthread and async) pass as `start_response` (a bound method of
   HTTP2Response, whose `h2_conn.reset_stream(stream_id, code)` it calls). The writer's next frame then
   fails with HTTP2StreamError, which the worker logs at debug. `empty` closes the whole connection (1.).
   `refuse` sends REFUSED_STREAM the same way. `close` and `goaway` need `environ[GOAWAY]`, a callable
   `goaway(processed)` only the service's worker provides: GOAWAY naming this stream (processed) or the
   one before it, then the connection ends.
The fault is noted in the environ (ENV_FAULT) for the access log and the metrics, which count it.

Without either (Werkzeug's development server under `flask run`, or `app.test_client()`), every fault
but drip answers 501 problem+json naming the worker it needs: a fault never pretends to have happened.
"""

import contextlib
import os
import socket
import struct
import time
from collections.abc import Callable, Iterable, Iterator
from email.utils import formatdate
from typing import Any

from flask import Response, request
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import NotImplemented as NotImplementedHere

from service.seam import FAULT as ENV_FAULT
from service.seam import GOAWAY, RESET_STREAM, SOCKET

# Each fault and what it does, for the OpenAPI description of ?fault= (status_input.py).
DESCRIPTIONS = {
    "empty": "the connection closes before any response",
    "reset": "TCP reset; HTTP/2: RST_STREAM",
    "truncate": "headers, half the body, then close; HTTP/2: RST_STREAM",
    "drip": "the body in small pieces over `duration` seconds",
    "close": "the whole keep-alive answer, then the connection closes; HTTP/2: the answer, then GOAWAY",
    "stall-head": "nothing for `duration` seconds, then close; HTTP/2: RST_STREAM",
    "stall-body": "the status line and headers, nothing for `duration` seconds, then close; HTTP/2: "
    "RST_STREAM",
    "overlong": "HTTP/1.1: more body bytes than Content-Length says, then close",
    "bad-chunk": "HTTP/1.1: a chunked body with a malformed chunk size, then close",
    "refuse": "HTTP/2: RST_STREAM REFUSED_STREAM before any header (safe to retry)",
    "goaway": "HTTP/2: GOAWAY naming a last stream below this one, then close",
}
FAULTS = tuple(DESCRIPTIONS)
# The faults ?duration= sets: how long the body drips or the stall lasts.
TIMED = ("drip", "stall-head", "stall-body")
HTTP1_ONLY = ("overlong", "bad-chunk")
HTTP2_ONLY = ("refuse", "goaway")
# RFC 9113 §7: the error codes of the RST_STREAM frames a fault sends.
H2_INTERNAL_ERROR = 0x2
H2_REFUSED_STREAM = 0x7
# overlong: what follows the promised body, past its Content-Length.
EXCESS = b"...and these bytes were never promised by Content-Length.\n"
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


def _stream_reset(
    environ: dict[str, Any], start_response: StartResponse, code: int = H2_INTERNAL_ERROR
) -> Callable[[], None] | None:
    """A function that resets this request's HTTP/2 stream with `code`, or None (not HTTP/2)."""
    if environ.get("HTTP_VERSION") != "2":
        return None
    given = environ.get(RESET_STREAM)
    if callable(given):
        return lambda: given(code)
    writer = getattr(start_response, "__self__", None)
    connection, stream_id = getattr(writer, "h2_conn", None), getattr(writer, "stream_id", None)
    if connection is None or not isinstance(stream_id, int):
        return None
    return lambda: connection.reset_stream(stream_id, code)


class Then(list[bytes]):
    """A WSGI body that runs `then` from close(), which the server calls once the answer is complete
    (PEP 3333): after Gunicorn wrote the last byte (HTTP/1.1) or queued END_STREAM (HTTP/2)."""

    def __init__(self, body: list[bytes], then: Callable[[], None]) -> None:
        super().__init__(body)
        self.then = then

    def close(self) -> None:
        self.then()


def _raw_head(status: str, headers: list[tuple[str, str]]) -> bytes:
    """The status line and headers as Gunicorn would write them (Date and Connection its own way)."""
    lines = [f"HTTP/1.1 {status}", *(f"{name}: {value}" for name, value in headers)]
    lines.append(f"Date: {formatdate(usegmt=True)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _malformed(fault: str, status: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
    """overlong or bad-chunk: the whole answer, framed wrong on purpose."""
    if fault == "overlong":
        return _raw_head(status, headers) + body + EXCESS
    framed = [(name, value) for name, value in headers if name.lower() != "content-length"]
    half = len(body) // 2
    first = f"{half:x}\r\n".encode() + body[:half] + b"\r\n"
    # A chunk size must be hex digits (RFC 9112 §7.1): "zz" is none, so the body cannot be framed.
    rest = b"zz\r\n" + body[half:] + b"\r\n0\r\n\r\n"
    return _raw_head(status, [*framed, ("Transfer-Encoding", "chunked")]) + first + rest


def check(fault: str) -> None:
    """Refuse a fault this request cannot have: 400 for the other protocol's, 501 where the server hands
    the app nothing to break. attempts.record() asks first, so a refused fault is never logged as answered."""
    environ = request.environ
    http2 = environ.get("HTTP_VERSION") == "2"
    if fault in HTTP1_ONLY and http2:
        raise BadRequest(
            f"fault={fault} breaks HTTP/1.1's framing, which HTTP/2 does not have: ask it over HTTP/1.1"
        )
    if fault in HTTP2_ONLY and not http2:
        raise BadRequest(f"fault={fault} is an HTTP/2 frame: ask it over HTTP/2 (h2c or h2)")
    needs_goaway = http2 and fault in ("close", "goaway")
    if (fault != "drip" and SOCKET not in environ and RESET_STREAM not in environ) or (
        needs_goaway and GOAWAY not in environ
    ):
        raise NotImplementedHere(
            f"fault={fault} needs the container's Gunicorn worker, which hands the app the client's "
            "connection (HTTP/1.1) or the stream's reset and GOAWAY (HTTP/2); this server does not. "
            "Run the service with `docker compose up`, or Gunicorn with service/server/gunicorn.conf.py."
        )


class FaultyResponse(Response):
    """A response that misbehaves on the wire as its fault says, once Flask hands it to the server."""

    def __init__(self, base: Response, fault: str, duration: float = 0.0) -> None:
        check(fault)
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
        http2 = environ.get("HTTP_VERSION") == "2"
        code = H2_REFUSED_STREAM if self.fault == "refuse" else H2_INTERNAL_ERROR
        reset_stream = _stream_reset(environ, start_response, code)
        sock: socket.socket | None = environ.get(SOCKET)
        goaway: Callable[[bool], None] | None = environ.get(GOAWAY) if http2 else None
        if self.fault == "stall-head":
            time.sleep(self.duration)  # before start_response: not one byte leaves until the end
        start_response(status, headers)
        if self.fault == "truncate":
            return self.truncate(body, sock, reset_stream)
        if self.fault == "stall-body":
            return self.stall_body(sock, reset_stream)
        if self.fault == "close":
            if goaway is not None:
                return Then([body], lambda: goaway(True))
            return Then([body], lambda: None if sock is None else sever(sock, reset=False))
        if self.fault == "goaway" and goaway is not None:
            goaway(False)
            return []
        if self.fault in HTTP1_ONLY and sock is not None:
            # Gunicorn never sent its head (that waits for the first write): the fault writes the whole
            # answer, then severs the connection, so the server's own head meets EPIPE, as with empty.
            with contextlib.suppress(OSError):
                sock.sendall(_malformed(self.fault, status, headers, body))
            sever(sock, reset=False)
            return []
        if reset_stream is not None and self.fault in ("reset", "refuse", "stall-head"):
            reset_stream()
            return []
        if sock is not None:  # empty (HTTP/2 too: the whole connection), reset, stall-head
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

    def stall_body(
        self, sock: socket.socket | None, reset_stream: Callable[[], None] | None
    ) -> Iterator[bytes]:
        yield b""  # the status line and headers go out at once
        time.sleep(self.duration)
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
