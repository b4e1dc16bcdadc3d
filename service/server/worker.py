"""Gunicorn's gthread worker, but a connection gets a thread only once its request head has arrived.

Gunicorn 27's gthread hands a connection to a thread as soon as its first byte arrives; the thread
then blocks until the headers are complete. A client that dribbles its headers (slowloris) holds a
thread for as long as it likes, and as many such clients as there are threads stop the service:
measured, every normal request then waited until the slow clients left. Here the head is read
without blocking (a pipelined one too), and an incomplete one goes back to the worker's poller,
which holds any number of idle sockets for free. A head that keeps trickling past HEAD_TIMEOUT gets
408 and is closed; one that stops arriving is closed by Gunicorn after the keep-alive timeout.
A large request body gets its answer with "Connection: close" (see DRAIN_LIMIT).

Cleartext HTTP/2 (prior knowledge) is told apart by the same non-blocking reads: a new connection from
a peer Gunicorn trusts for h2c that opens with the HTTP/2 preface is handed to Gunicorn's own HTTP/2
code; anything else is an HTTP/1.x head as above (so HTTP/1.1 keeps working on the port, which
Gunicorn's `prior-knowledge` mode alone would refuse with 400, and `Upgrade: h2c` is ignored). An
HTTP/2 connection holds a thread for its whole life, so at most H2_THREAD_SHARE of a worker's threads
serve HTTP/2 at once; a connection past that gets GOAWAY, and HTTP/1.1 keeps the other threads.

Relies on gthread internals (ThreadWorker.handle and its _DEFER result, TConn's fields) as of Gunicorn 27.
"""

import json
import os
import threading
import time
from http import HTTPStatus
from typing import Any

import h2.config
import h2.connection
import h2.errors
from gunicorn import http, util  # type: ignore[import-untyped]
from gunicorn.http2 import negotiation  # type: ignore[import-untyped]
from gunicorn.workers.gthread import _DEFER, ThreadWorker  # type: ignore[import-untyped]

from service.pipeline.media import PROBLEM_JSON
from service.pipeline.problem import problem
from service.pipeline.security_headers import NOSNIFF

# How long a client may take to send its request line and headers, in seconds.
HEAD_TIMEOUT = 10.0
# Gunicorn drains at most this much of a body the app left unread (a 413, a 405 to a POST), then closes
# the connection, although the response said keep-alive: the client's next request on it then fails.
DRAIN_LIMIT = 64 * 1024

TIMEOUT_DETAIL = f"The request headers did not arrive within {HEAD_TIMEOUT:g} seconds."


def request_timeout() -> bytes:
    """The 408 for a request that never reached the app, in the one error shape (pipeline/problem.py),
    with the header every answer carries (nosniff) and a fresh request id: there is no request to take
    one from."""
    request_id = os.urandom(16).hex()
    body = json.dumps(problem(HTTPStatus.REQUEST_TIMEOUT, TIMEOUT_DETAIL, request_id=request_id)).encode()
    head = (
        f"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: {PROBLEM_JSON}\r\n"
        f"{NOSNIFF[0]}: {NOSNIFF[1]}\r\nX-Request-ID: {request_id}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


# The share of a worker's threads that HTTP/2 connections may hold at once (each holds one until it
# closes, idle ones for up to `keepalive` seconds, busy ones for as long as they keep sending).
H2_THREAD_SHARE = 0.5
# Seconds a refused HTTP/2 connection may take to close its side after the GOAWAY.
REFUSAL_LINGER = 0.1


def _refusal() -> bytes:
    # The server preface, then GOAWAY naming stream 0: no stream was processed, so a client may retry.
    connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
    connection.initiate_connection()
    connection.close_connection(
        error_code=h2.errors.ErrorCodes.REFUSED_STREAM,
        additional_data=b"every HTTP/2 slot of this worker is busy; retry, or use HTTP/1.1",
        last_stream_id=0,
    )
    return connection.data_to_send()


H2_REFUSAL = _refusal()


def head_complete(data: bytes, max_head: int) -> bool:
    # A bare-LF ending counts too: Gunicorn's parser, not a timeout, answers it (400). Past max_head the
    # parser takes over anyway and answers its own limits (414, 431).
    return b"\r\n\r\n" in data or b"\n\n" in data or len(data) >= max_head


class HeadFirstWorker(ThreadWorker):  # type: ignore[misc]  # Gunicorn ships no type hints
    """gthread that reads each request head without blocking before giving the connection a thread,
    and closes the connection after a request whose body it might not be able to drain; cleartext
    HTTP/2 connections go to Gunicorn's own HTTP/2 path, a bounded number at a time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.h2_slots = threading.BoundedSemaphore(max(1, int(self.cfg.threads * H2_THREAD_SHARE)))

    def handle(self, conn: Any) -> Any:
        result = self.handle_head_first(conn)
        if not result:
            # Gunicorn's finish_request then closes the socket gracefully *on the worker's main thread*,
            # lingering up to 2 s for the peer's FIN: measured, 48 refused HTTP/2 clients that kept their
            # connections open stalled every other client for ~40 s. Done here, the linger holds only
            # this thread; finish_request's close then finds the socket closed and returns at once.
            util.close_graceful(conn.sock)
        return result

    def handle_head_first(self, conn: Any) -> Any:
        if self.cfg.is_ssl or conn.is_http2:
            return super().handle(conn)  # TLS bytes are no plain-text head: Gunicorn's own path
        early: bytes = getattr(conn, "early", b"")
        if conn.parser is not None:
            early += conn.parser.unreader.take_buffered()  # a pipelined head: held to the same rule
        cfg = self.cfg
        # Only a new connection from a peer trusted for h2c (forwarded_allow_ips) may be HTTP/2.
        sniff = not conn.initialized and negotiation.prior_knowledge_allowed(cfg, conn.client)
        preface = negotiation.H2C_PREFACE
        # The largest head Gunicorn's parser accepts: request line plus every header field and CRLF.
        max_head = cfg.limit_request_line + cfg.limit_request_fields * (cfg.limit_request_field_size + 2) + 4
        try:
            conn.sock.setblocking(False)
            while True:
                if sniff and negotiation.preface_match(early) != negotiation.PARTIAL:
                    if early == preface:
                        return self.handle_h2c(conn, early)
                    sniff = False  # the first bytes differ from the preface: HTTP/1.x
                if not sniff and head_complete(early, max_head):
                    break
                # While sniffing, read no further than the preface: what follows is HTTP/2 frames.
                chunk = conn.sock.recv(len(preface) - len(early) if sniff else 65536)
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
        if not conn.initialized:
            # TConn.init() would sniff for the preface again (and block for it): this is HTTP/1.x.
            conn.initialized = True
            conn.sock.setblocking(True)
            conn.parser = http.get_parser(cfg, conn.sock, conn.client)
        conn.parser.unreader.unread(early)
        return super().handle(conn)

    def handle_h2c(self, conn: Any, preface: bytes) -> Any:
        """Serve a prior-knowledge HTTP/2 connection on this thread, or refuse it if the share is used."""
        conn.sock.setblocking(True)
        if not self.h2_slots.acquire(blocking=False):
            conn.sock.sendall(H2_REFUSAL)
            # A short linger, so the GOAWAY is not lost to a reset; a refused client gets no 2 s of a
            # thread (measured: 24 refusals a worker lingering 2 s each held a normal request 2.4 s).
            util.close_graceful(conn.sock, timeout=REFUSAL_LINGER)
            return False
        try:
            # What TConn.init() does on a preface, with the preface this worker has already read.
            conn.initialized, conn.is_http2, conn.data_ready = True, True, True
            conn.early, conn.head_deadline = b"", None
            conn.parser = http.get_parser(self.cfg, conn.sock, conn.client, http2_connection=True)
            conn.parser.initiate_connection()
            conn.parser.receive_data(preface)
            return super().handle(conn)
        finally:
            self.h2_slots.release()

    def handle_request(self, req: Any, conn: Any) -> Any:
        # A body Gunicorn might not drain (larger than DRAIN_LIMIT, or of unknown length) gets its
        # answer with "Connection: close", so no client reuses a connection the server will close.
        for name, value in req.headers:
            too_long = name == "CONTENT-LENGTH" and value.isdigit() and int(value) > DRAIN_LIMIT
            if too_long or (name == "TRANSFER-ENCODING" and "chunked" in value.lower()):
                req.force_close()
        return super().handle_request(req, conn)
