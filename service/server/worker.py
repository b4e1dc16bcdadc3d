"""Gunicorn's gevent worker, with a deadline on the first request head, HTTP/2 streams answered side by
side, cleartext HTTP/2 beside HTTP/1.1, and optional TLS on the same port.

Every connection is a greenlet (up to `worker_connections`), so a client that dribbles its headers or
sits idle holds a few kilobytes, not a thread. A first request head still incomplete after
HEAD_TIMEOUT gets 408 and is closed; a connection that sends nothing at all is closed after the
keep-alive timeout. A request whose body Gunicorn might not drain is answered with "Connection: close"
(DRAIN_LIMIT).

The first bytes decide the protocol. With TLS_CERT/TLS_KEY (in the Settings gunicorn.conf.py hands over
in post_fork), a TLS ClientHello is answered with TLS on the same port, ALPN `h2` or `http/1.1`; the
other bytes are cleartext as before, so the health check and cleartext clients are unchanged. A
cleartext connection from a peer trusted for h2c (forwarded_allow_ips) that opens with the HTTP/2
preface is HTTP/2 with prior knowledge; anything else is HTTP/1.x (`Upgrade: h2c` is ignored).

HTTP/2: one greenlet reads the connection and each stream is answered in a greenlet of its own
(service/server/h2streams.py), so a slow stream never holds the fast ones. Bounds: per connection, the
SETTINGS_MAX_CONCURRENT_STREAMS the server advertises (`http2_max_concurrent_streams`; a client that
opens more is answered GOAWAY REFUSED_STREAM by h2, as RFC 9113 §5.1.2 allows); per worker,
`worker_connections` streams at once across its connections: a stream past that gets RST_STREAM
REFUSED_STREAM (RFC 9113 §8.7: not processed, safe to retry). Nothing queues without bound. On a
graceful stop, streams in flight finish, then GOAWAY names the last one served.

For the WSGI application (fault injection):
- HTTP/1.1: `environ["gunicorn.socket"]` is the client's socket (an SSL socket over TLS); closing or
  resetting it ends the connection, and the worker then closes its side quietly.
- HTTP/2: `environ[RESET_STREAM]` is a callable `reset(error_code=0x2)` that sends RST_STREAM for
  this stream at once (any DATA already written stays sent); the app should then stop producing its
  body (whatever it still writes is dropped and the worker logs the stream as cut off).
  `environ[GOAWAY]` is a callable `goaway(processed)` that sends GOAWAY naming this stream (or the one
  before it) as the last processed, then ends the connection.
- Both: `environ[CONNECTION]`, an id of the connection (unique across workers and replicas), so the
  attempt log can tell a request on the previous one's connection from one on a new connection.
"""

import contextlib
import itertools
import json
import os
import socket
import ssl
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import gevent
import gevent.local
from gevent.lock import BoundedSemaphore
from gevent.pool import Group
from gunicorn import http, util  # type: ignore[import-untyped]
from gunicorn.http2 import negotiation  # type: ignore[import-untyped]
from gunicorn.http2.errors import (  # type: ignore[import-untyped]
    HTTP2ConnectionError,
    HTTP2ErrorCode,
    HTTP2ProtocolError,
)
from gunicorn.workers.ggevent import GeventWorker  # type: ignore[import-untyped]

from service.pipeline.media import PROBLEM_JSON
from service.pipeline.problem import problem
from service.pipeline.security_headers import NOSNIFF
from service.seam import CONNECTION, GOAWAY, RESET_STREAM

# How long a client may take to send its first request line and headers, in seconds.
HEAD_TIMEOUT = 10.0
# Gunicorn drains at most this much of a body the app left unread (a 413, a 405 to a POST), then closes
# the connection, although the response said keep-alive: the client's next request on it then fails.
DRAIN_LIMIT = 64 * 1024
# The first byte of a TLS record carrying a handshake (a ClientHello), RFC 8446 §5.1.
TLS_HANDSHAKE = 0x16

if TYPE_CHECKING:
    from service.server.h2streams import StreamConnection
    from service.settings import Settings

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


def head_complete(data: bytes, max_head: int) -> bool:
    # A bare-LF ending counts too: Gunicorn's parser, not a timeout, answers it (400). Past max_head the
    # parser takes over anyway and answers its own limits (414, 431).
    return b"\r\n\r\n" in data or b"\n\n" in data or len(data) >= max_head


def tls_context(cert: str, key: str) -> ssl.SSLContext:
    """A server context offering HTTP/2 and HTTP/1.1 by ALPN (made after gevent patched ssl)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2  # RFC 9113 §9.2: HTTP/2 needs TLS 1.2 or later
    context.load_cert_chain(certfile=cert, keyfile=key)
    context.set_alpn_protocols(["h2", "http/1.1"])
    return context


class ServiceWorker(GeventWorker):  # type: ignore[misc]  # Gunicorn ships no type hints
    """gevent, with the protocol decided by the first bytes and HTTP/2 streams served concurrently."""

    # The service's Settings, handed over by gunicorn.conf.py's post_fork (TLS_CERT/TLS_KEY among them).
    settings: "Settings"

    def run(self) -> None:
        # Made here, after gevent patched the process, so they cooperate with its hub.
        self.stream_slots = BoundedSemaphore(self.cfg.worker_connections)
        self.stream_local = gevent.local.local()
        # Connection ids: this worker's random prefix (unique across workers and replicas) and a count.
        self.connection_prefix = os.urandom(6).hex()
        self.connections = itertools.count(1)
        tls = self.settings.tls_cert, self.settings.tls_key
        self.tls = tls_context(*tls) if tls[0] else None
        super().run()

    def load_wsgi(self) -> None:
        # The app gunicorn.conf.py names (wsgi_app) comes from the factory, with the Settings the master
        # read and handed over in post_fork: the environment is not read again. Imported here, in the
        # worker: the master imports this module for the worker class and never needs Flask. Another app
        # named on the command line (make bench's floors and peers) loads as Gunicorn loads any, so it is
        # what answers, not the service.
        app: Callable[..., Iterable[bytes]]
        if self.app.app_uri == self.cfg.wsgi_app:
            from service.app import create_app

            app = create_app(self.settings)
        else:
            super().load_wsgi()
            app = self.wsgi  # type: ignore[has-type]  # set by Gunicorn's load_wsgi, untyped

        def with_stream_reset(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            local = self.stream_local
            reset = getattr(local, "reset", None)
            if reset is not None:
                environ[RESET_STREAM] = reset
                environ[GOAWAY] = local.goaway
            connection = getattr(local, "connection", None)
            if connection is not None:
                environ[CONNECTION] = connection
            result: Iterable[bytes] = app(environ, start_response)
            return result

        self.wsgi = with_stream_reset

    def handle(self, listener: Any, client: Any, addr: Any) -> None:
        client.setblocking(1)
        # The connection's greenlet serves its HTTP/1.x requests: they read the id from its local.
        self.stream_local.connection = f"{self.connection_prefix}-{next(self.connections)}"
        try:
            sniff = negotiation.prior_knowledge_allowed(self.cfg, addr)
            if self.tls is not None:
                secured = self.start_tls(client, self.tls)
                if secured is None:
                    return
                client = secured
                if isinstance(client, ssl.SSLSocket):
                    if client.selected_alpn_protocol() == "h2":
                        self.handle_http2(listener, client, addr)
                        return
                    sniff = False  # over TLS, ALPN said which protocol
            early, kind = self.read_first_head(client, sniff)
            if kind == "h2":
                self.handle_http2(listener, client, addr, preface=early)
            elif kind == "h1":
                self.serve_http1(listener, client, addr, early)
        except (OSError, ssl.SSLError) as error:  # a reset, a dead peer, a failed handshake: no answer
            self.log.debug("connection ended: %s", error)
        finally:
            # FIN first, then a short drain, as gthread does (RFC 9112 §9.6): closed at once, a body the
            # app never read (a 201 answered before `Expect: 100-continue`'s body came) made the kernel
            # reset the connection, and the client lost the answer.
            util.close_graceful(client)

    def start_tls(self, client: Any, tls: ssl.SSLContext) -> Any:
        """The connection over TLS if it opens with a ClientHello, as it is if not; None: it timed out."""
        with gevent.Timeout(HEAD_TIMEOUT, False):
            first = client.recv(1, socket.MSG_PEEK)
            if not first or first[0] != TLS_HANDSHAKE:
                return client
            return tls.wrap_socket(client, server_side=True)
        return None

    def read_first_head(self, sock: Any, sniff: bool) -> tuple[bytes, str | None]:
        """The bytes of the first request head (or the HTTP/2 preface) and which it is; None: no request."""
        cfg = self.cfg
        preface = negotiation.H2C_PREFACE
        # The largest head Gunicorn's parser accepts: request line plus every header field and CRLF.
        max_head = cfg.limit_request_line + cfg.limit_request_fields * (cfg.limit_request_field_size + 2) + 4
        early = b""
        with gevent.Timeout(cfg.keepalive or HEAD_TIMEOUT, False):
            early = sock.recv(len(preface) if sniff else 65536)  # silence: closed after the keep-alive
        if not early:
            return b"", None
        timer = gevent.Timeout.start_new(HEAD_TIMEOUT)
        try:
            while True:
                if sniff and negotiation.preface_match(early) != negotiation.PARTIAL:
                    if early == preface:
                        return early, "h2"
                    sniff = False  # the first bytes differ from the preface: HTTP/1.x
                if not sniff and head_complete(early, max_head):
                    return early, "h1"
                # While sniffing, read no further than the preface: what follows is HTTP/2 frames.
                chunk = sock.recv(len(preface) - len(early) if sniff else 65536)
                if not chunk:
                    return b"", None
                early += chunk
        except gevent.Timeout as expired:
            if expired is not timer:
                raise
            sock.sendall(request_timeout())
            return b"", None
        finally:
            timer.cancel()

    def serve_http1(self, listener: Any, client: Any, addr: Any, early: bytes) -> None:
        """Gunicorn's keep-alive loop (AsyncWorker.handle), starting from a head already read."""
        parser = http.get_parser(self.cfg, client, addr)
        parser.unreader.unread(early)
        listener_name = listener.getsockname()
        req = None
        try:
            while True:
                req = None
                with self.timeout_ctx():
                    req = next(parser)
                if not req:
                    break
                self.handle_request(listener_name, req, client, addr)
                if not self.cfg.keepalive:
                    break
                # Let every other ready connection run before this one's next request. A client that
                # sends its next request as soon as it has the answer finds it already read, so its
                # greenlet never waits and never yields, and beside many keep-alive connections the
                # p99 grew by orders of magnitude while the median stayed flat (gthread's GIL switch
                # interval gave every thread its turn; docs/performance.md, "Figures moved out of the
                # code"). One switch a request restores the turns.
                gevent.sleep(0)
        except http.errors.NoMoreData:
            pass  # the client went away between requests
        except StopIteration:
            pass  # the response said Connection: close
        except (OSError, ssl.SSLError):
            raise
        except Exception as error:  # a request Gunicorn's parser refused: its 400/414/431 answer
            self.handle_error(req, client, addr, error)

    def handle_request(self, listener_name: Any, req: Any, sock: Any, addr: Any) -> Any:
        # A body Gunicorn might not drain (larger than DRAIN_LIMIT, or of unknown length) gets its
        # answer with "Connection: close", so no client reuses a connection the server will close.
        for name, value in req.headers:
            too_long = name == "CONTENT-LENGTH" and value.isdigit() and int(value) > DRAIN_LIMIT
            if too_long or (name == "TRANSFER-ENCODING" and "chunked" in value.lower()):
                req.force_close()
        if isinstance(sock, ssl.SSLSocket):
            req.scheme = "https"
        return super().handle_request(listener_name, req, sock, addr)

    def handle_http2(
        self, listener: Any, client: Any, addr: Any, preface: bytes = b"", upgrade: Any = None
    ) -> None:
        """Read one HTTP/2 connection; answer each stream in a greenlet of its own, within the bounds."""
        # Imported on a worker's first HTTP/2 connection: Gunicorn's HTTP/2 connection code is memory every
        # worker would hold, and many workers only ever see HTTP/1.1.
        from service.server.h2streams import StreamConnection

        listener_name = listener.getsockname()
        conn = StreamConnection(self.cfg, client, addr)
        connection = self.stream_local.connection  # handle()'s id, for the streams' greenlets
        streams = Group()
        last_served = 0
        try:
            conn.initiate_connection()
            if preface:
                conn.receive_data(preface)  # the preface alone completes no request
            while not conn.is_closed and self.alive:
                try:
                    requests = conn.receive_data()
                except http.errors.NoMoreData:
                    break
                for req in requests:
                    stream_id = req.stream.stream_id
                    if not self.stream_slots.acquire(blocking=False):
                        conn.refuse(stream_id)  # this worker serves worker_connections streams at once
                        continue
                    if isinstance(client, ssl.SSLSocket):
                        req.scheme = "https"
                    streams.spawn(self.serve_stream, listener_name, req, client, addr, conn, connection)
                    last_served = stream_id
            streams.join(timeout=self.cfg.graceful_timeout)  # a stopping worker finishes what it began
            if not conn.is_closed:
                conn.close(last_stream_id=last_served)  # GOAWAY: streams above it were not processed
        except (HTTP2ConnectionError, HTTP2ProtocolError) as error:
            self.log.debug("HTTP/2 connection closed: %s", error)
        finally:
            streams.kill(block=True, timeout=1)
            conn.finish()  # frames still pending (a GOAWAY) leave before handle() closes the socket

    def goaway(self, conn: "StreamConnection", client: Any, stream_id: int, processed: bool) -> None:
        """GOAWAY (NO_ERROR) naming this stream, or the one before it, as the last processed; then the
        connection ends: the reader, woken by the end of its read side, stops, and handle() closes."""
        conn.close(
            error_code=HTTP2ErrorCode.NO_ERROR,
            last_stream_id=stream_id if processed else max(0, stream_id - 2),
        )
        with contextlib.suppress(HTTP2ConnectionError):
            conn.flush()
        if not isinstance(client, ssl.SSLSocket):  # an SSL socket drops its TLS state on shutdown()
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RD)

    def serve_stream(
        self, listener_name: Any, req: Any, client: Any, addr: Any, conn: "StreamConnection", connection: str
    ) -> None:
        stream_id = req.stream.stream_id
        self.stream_local.connection = connection
        self.stream_local.reset = lambda error_code=HTTP2ErrorCode.INTERNAL_ERROR: conn.abort_stream(
            stream_id, error_code
        )
        self.stream_local.goaway = lambda processed: self.goaway(conn, client, stream_id, processed)
        try:
            self._serve_http2_stream(listener_name, req, client, addr, conn)
        finally:
            self.stream_slots.release()
