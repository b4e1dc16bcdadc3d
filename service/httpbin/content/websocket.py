"""WebSocket: /websocket/echo (go-httpbin's) and /websocket/close/<code>, over HTTP/1.1.

The protocol is wsproto's: it checks the handshake and writes the 101, parses and writes every frame;
this module only moves bytes between it and the connection, which the container's Gunicorn worker hands
to the view as `gunicorn.socket` (Werkzeug's development server, `flask run`, as `werkzeug.socket`).
Once the 101 is sent the connection is the view's, so the server must write nothing more: the view's
answer tells each server so (Gunicorn: the 101 handed to start_response for its access log and metrics,
then the connection severed, as a /status fault that writes its own answer does, so the head Gunicorn
would write meets a closed connection; Werkzeug: a dropped connection). Without a socket to take over
(Flask's test client, a WSGI server that hands over none) the view answers 501 saying what it needs;
/openapi.json describes the container, where that never happens, so the 501 is not in it. A session
lasts at most the delay cap (STATUS_MAX_DELAY, go-httpbin's max duration too), then the server closes
it with 1001.
"""

import socket
import time
from typing import Any

from flask import Response, current_app, request
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.exceptions import NotImplemented as NeedsWorker
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Message,
    Ping,
    Request,
    TextMessage,
)
from wsproto.utilities import ProtocolError

from service.contract.reply import Reply, documented, header
from service.httpbin.params import BadParameter, Whole, query
from service.pipeline.media import PROBLEM_JSON
from service.seam import SOCKET
from service.tester.faults import sever

MAX_MESSAGE = 1024 * 1024
FRAGMENT = Whole("max_fragment_size", 1, MAX_MESSAGE, "the largest frame accepted (512 KiB if absent)")
MESSAGE = Whole("max_message_size", 1, MAX_MESSAGE, "the largest message accepted (1 MiB if absent)")
CODE = Whole("code", 1000, 4999, "the close code to send (not 1004-1006, 1015-2999)", where="path")
# RFC 6455 §7.4: 1005, 1006 and 1015 must never be sent in a Close frame; 1004 is reserved; the rest of
# 1000-2999 is for the protocol's own specifications, and none defines 1016-2999.
UNSENDABLE = frozenset({1004, 1005, 1006, 1015, *range(1016, 3000)})
# A Close frame's payload is at most 125 bytes (§5.5): the code's two, then the reason.
MAX_REASON = 123
UPGRADE = Reply(101, None, [header("Upgrade", "websocket"), header("Sec-WebSocket-Accept")])
BAD = Reply(400, PROBLEM_JSON)
OTHER_VERSION = Reply(426, PROBLEM_JSON, [header("Sec-WebSocket-Version", "13, the one version spoken here")])
GOING_AWAY, TOO_BIG = 1001, 1009


class WrongVersion(HTTPException):
    """426 naming the one version spoken here, as RFC 6455 §4.4 asks of a server (Werkzeug has no 426)."""

    code = 426
    description = "This server speaks WebSocket version 13 only (RFC 6455)."

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [*super().get_headers(*args, **kwargs), ("Sec-WebSocket-Version", "13")]


class _TakenOver(Response):
    """The answer after a 101: tells the server the connection was the view's and is now done."""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if "werkzeug.socket" in environ:
            raise ConnectionError("the WebSocket session is over")  # Werkzeug: a dropped connection
        start_response("101 Switching Protocols", [])  # the session's status, for the log and metrics
        sever(environ[SOCKET], reset=False)
        return []


def _take_over() -> tuple[socket.socket, WSConnection]:
    """The handshake checked by wsproto, then the 101 sent: the socket and the protocol's state."""
    if request.method != "GET":
        raise BadRequest("A WebSocket handshake is a GET (RFC 6455 §4.1).")
    version = request.headers.get("Sec-WebSocket-Version")
    if version is not None and version.strip() != "13":
        raise WrongVersion()
    conn = WSConnection(ConnectionType.SERVER)
    try:
        fields = [
            (name.encode("latin-1"), value.encode("latin-1")) for name, value in request.headers.items()
        ]
        conn.initiate_upgrade_connection(fields, request.full_path.rstrip("?"))
        event = next(conn.events(), None)
    except ProtocolError as error:
        raise BadRequest(f"Not a WebSocket handshake: {error}.") from None
    if not isinstance(event, Request):
        raise BadRequest("Not a WebSocket handshake.")
    environ = request.environ
    sock = environ.get(SOCKET) or environ.get("werkzeug.socket")
    if sock is None or environ.get("SERVER_PROTOCOL") != "HTTP/1.1":
        raise NeedsWorker(
            "A WebSocket needs the connection itself, over HTTP/1.1: the container's Gunicorn worker "
            "or `flask run` hands it over, this server does not."
        )
    sock.sendall(conn.send(AcceptConnection()))
    return sock, conn


def _cap() -> float:
    return float(current_app.extensions["settings"].status_max_delay) or 1.0


def _serve(sock: socket.socket, conn: WSConnection, fragment: int, message: int) -> bool:
    """Echo every message back, in its own kind, until a Close, a limit or the session's end; True when
    the server sent the first Close (and so awaits the client's)."""
    deadline = time.monotonic() + _cap()
    parts: list[bytes | str] = []
    frame_size = message_size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            sock.sendall(conn.send(CloseConnection(GOING_AWAY, "the session's time is up")))
            return True
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except TimeoutError:
            continue
        conn.receive_data(data or None)
        if not data:
            return False
        for event in conn.events():
            if isinstance(event, CloseConnection):
                sock.sendall(conn.send(event.response()))
                return False
            if isinstance(event, Ping):
                sock.sendall(conn.send(event.response()))
            elif isinstance(event, Message):
                size = len(event.data.encode() if isinstance(event.data, str) else event.data)
                frame_size, message_size = frame_size + size, message_size + size
                if frame_size > fragment or message_size > message:
                    sock.sendall(conn.send(CloseConnection(TOO_BIG, "frame or message too large")))
                    return True
                parts.append(event.data)
                if event.frame_finished:
                    frame_size = 0
                if event.message_finished:
                    whole: Message[Any] = (
                        TextMessage("".join(p for p in parts if isinstance(p, str)))
                        if isinstance(event, TextMessage)
                        else BytesMessage(b"".join(p for p in parts if isinstance(p, bytes)))
                    )
                    sock.sendall(conn.send(whole))
                    parts, message_size = [], 0


def _close(sock: socket.socket, conn: WSConnection) -> None:
    """Wait (a second at most) for the client's Close in answer to ours, as §7.1.1 asks."""
    sock.settimeout(1.0)
    try:
        while data := sock.recv(4096):
            conn.receive_data(data)
            if any(isinstance(event, CloseConnection) for event in conn.events()):
                return
    except (TimeoutError, OSError, ProtocolError):
        return


@documented(UPGRADE, BAD, OTHER_VERSION, parameters=[FRAGMENT.doc, MESSAGE.doc], methods=("GET",))
def echo() -> Response:
    """101, then every text or binary message echoed back; 1009 closes a frame or message too large.

    curl -i -N -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' 'http://127.0.0.1:8000/websocket/echo?max_message_size=1024'
    """  # noqa: E501 - the handshake a curl line needs, whole
    fragment = FRAGMENT.parse(query("max_fragment_size"), MAX_MESSAGE // 2)
    message = MESSAGE.parse(query("max_message_size"), MAX_MESSAGE)
    if fragment > message:
        raise BadParameter("max_fragment_size", f"at most max_message_size ({message})")
    sock, conn = _take_over()
    try:
        if _serve(sock, conn, fragment, message):
            _close(sock, conn)
    except (OSError, ProtocolError):
        pass  # the client went away or broke the protocol: nothing more to say to it
    return _TakenOver()


@documented(UPGRADE, BAD, OTHER_VERSION, parameters=[CODE.doc], methods=("GET",))
def close(code: str) -> Response:
    """101, then at once a Close frame with that code and `reason`: a client's reconnect logic under test.

    curl -i -N -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' 'http://127.0.0.1:8000/websocket/close/4000?reason=later'
    """  # noqa: E501 - the handshake a curl line needs, whole
    status = CODE.parse(code)
    if status in UNSENDABLE:
        raise BadParameter(
            "code", "1000-1003, 1007-1014 or 3000-4999: a code RFC 6455 §7.4 lets a server send"
        )
    reason = query("reason") or ""
    if len(reason.encode()) > MAX_REASON:
        raise BadParameter("reason", f"at most {MAX_REASON} bytes of UTF-8")
    sock, conn = _take_over()
    try:
        sock.sendall(conn.send(CloseConnection(status, reason)))
        _close(sock, conn)
    except (OSError, ProtocolError):
        pass
    return _TakenOver()
