"""Gunicorn's gthread worker, but a connection gets a thread only once its request head has arrived.

Gunicorn 27's gthread hands a connection to a thread as soon as its first byte arrives; the thread
then blocks until the headers are complete. A client that dribbles its headers (slowloris) holds a
thread for as long as it likes, and as many such clients as there are threads stop the service:
measured, every normal request then waited until the slow clients left. Here the head is read
without blocking (a pipelined one too), and an incomplete one goes back to the worker's poller,
which holds any number of idle sockets for free. A head that keeps trickling past HEAD_TIMEOUT gets
408 and is closed; one that stops arriving is closed by Gunicorn after the keep-alive timeout.
A large request body gets its answer with "Connection: close" (see DRAIN_LIMIT).

Relies on gthread internals (ThreadWorker.handle and its _DEFER result) as of Gunicorn 27.
"""

import json
import os
import time
from http import HTTPStatus
from typing import Any

from gunicorn.workers.gthread import _DEFER, ThreadWorker  # type: ignore[import-untyped]

from service.errors import problem
from service.media import PROBLEM_JSON

# How long a client may take to send its request line and headers, in seconds.
HEAD_TIMEOUT = 10.0
# Gunicorn drains at most this much of a body the app left unread (a 413, a 405 to a POST), then closes
# the connection, although the response said keep-alive: the client's next request on it then fails.
DRAIN_LIMIT = 64 * 1024

TIMEOUT_DETAIL = f"The request headers did not arrive within {HEAD_TIMEOUT:g} seconds."


def request_timeout() -> bytes:
    """The 408 for a request that never reached the app, in the one error shape (errors.py), with a
    fresh request id: there is no request to take one from."""
    request_id = os.urandom(16).hex()
    body = json.dumps(problem(HTTPStatus.REQUEST_TIMEOUT, TIMEOUT_DETAIL, request_id=request_id)).encode()
    head = (
        f"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: {PROBLEM_JSON}\r\n"
        f"X-Content-Type-Options: nosniff\r\nX-Request-ID: {request_id}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def head_complete(data: bytes, max_head: int) -> bool:
    # A bare-LF ending counts too: Gunicorn's parser, not a timeout, answers it (400). Past max_head the
    # parser takes over anyway and answers its own limits (414, 431).
    return b"\r\n\r\n" in data or b"\n\n" in data or len(data) >= max_head


class HeadFirstWorker(ThreadWorker):  # type: ignore[misc]  # Gunicorn ships no type hints
    """gthread that reads each request head without blocking before giving the connection a thread,
    and closes the connection after a request whose body it might not be able to drain."""

    def handle(self, conn: Any) -> Any:
        if self.cfg.is_ssl or self.cfg.http2_cleartext != "off" or conn.is_http2:
            return super().handle(conn)  # TLS or HTTP/2 bytes are no plain-text head: Gunicorn's own path
        early: bytes = getattr(conn, "early", b"")
        if conn.parser is not None:
            early += conn.parser.unreader.take_buffered()  # a pipelined head: held to the same rule
        cfg = self.cfg
        # The largest head Gunicorn's parser accepts: request line plus every header field and CRLF.
        max_head = cfg.limit_request_line + cfg.limit_request_fields * (cfg.limit_request_field_size + 2) + 4
        try:
            conn.sock.setblocking(False)
            while not head_complete(early, max_head):
                chunk = conn.sock.recv(65536)
                if not chunk:
                    return False  # the client went away: finish_request closes the socket
                early += chunk
        except BlockingIOError:
            now = time.monotonic()
            deadline = getattr(conn, "head_deadline", None) or now + HEAD_TIMEOUT
            if now >= deadline:
                conn.sock.setblocking(True)
                conn.sock.sendall(request_timeout())
                return False
            conn.early, conn.head_deadline = early, deadline
            return _DEFER  # back to the poller until more bytes arrive; no thread is held
        except OSError:
            return False
        conn.early, conn.head_deadline, conn.data_ready = b"", None, True
        conn.init()  # creates the parser on a new connection; a no-op on a kept-alive one
        conn.parser.unreader.unread(early)
        return super().handle(conn)

    def handle_request(self, req: Any, conn: Any) -> Any:
        # A body Gunicorn might not drain (larger than DRAIN_LIMIT, or of unknown length) gets its
        # answer with "Connection: close", so no client reuses a connection the server will close.
        for name, value in req.headers:
            too_long = name == "CONTENT-LENGTH" and value.isdigit() and int(value) > DRAIN_LIMIT
            if too_long or (name == "TRANSFER-ENCODING" and "chunked" in value.lower()):
                req.force_close()
        return super().handle_request(req, conn)
