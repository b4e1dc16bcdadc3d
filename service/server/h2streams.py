"""Gunicorn's HTTP/2 connection made safe for greenlets: one reads the socket, each stream answers in its own.

Gunicorn 27 serves one HTTP/2 connection from one thread or greenlet, one stream after another: the
connection object reads the socket itself whenever a stream waits (for its request body, for send
window) and writes straight to it. To answer the streams side by side, only the connection's reader
(ServiceWorker.handle_http2) reads the socket here; a stream that waits for body bytes or for window
credit waits on an event the reader sets after each batch of frames, and every write goes through one
lock, so the frames of concurrent streams never interleave inside a write.

Frames leave once per turn of the event loop, not once per call: h2's output is moved to a buffer
that the connection's writer greenlet writes when the streams that ran in this turn have yielded, so a
response's HEADERS, DATA and END_STREAM, and those of every stream answered in the same turn, go out in
one write (three writes and their checks were a large share of an HTTP/2 answer's CPU; make bench,
docs/performance.md). A
stream that waits (a delay, a streaming body's next chunk, flow control) yields, so its frames leave
before it waits. Past FLUSH_NOW bytes pending, the stream that queued them writes them itself, so a
client that reads slowly holds that stream back, as a blocking write did. The handler flushes whatever
is left (a GOAWAY) before the socket closes (finish()).

Relies on HTTP2ServerConnection's internals (its _send_pending_data, _process_events and
_wait_for_flow_control_window, the stream's _body_event and _body_chunks) as of Gunicorn 27.
"""

import contextlib
import time
from typing import Any

import gevent
from gevent.event import Event
from gevent.lock import Semaphore
from gunicorn.http2.connection import HTTP2ServerConnection  # type: ignore[import-untyped]
from gunicorn.http2.errors import (  # type: ignore[import-untyped]
    HTTP2ConnectionError,
    HTTP2ErrorCode,
    HTTP2StreamError,
)
from gunicorn.http2.stream import StreamState  # type: ignore[import-untyped]

# Pending bytes past which a stream writes them itself instead of leaving them to the writer greenlet.
FLUSH_NOW = 64 * 1024


class StreamConnection(HTTP2ServerConnection):  # type: ignore[misc]  # Gunicorn ships no type hints
    """An HTTP/2 server connection whose streams may be served by concurrent greenlets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock = Semaphore()
        # Replaced (and the old one set) after every batch of frames: senders waiting for window wake.
        self._frames_arrived = Event()
        # h2's output not yet written, in the order h2 made it (HPACK state depends on that order).
        self._out: list[bytes] = []
        self._out_size = 0
        self._flush_wanted = Event()
        self._write_failed = False
        self._writer = gevent.spawn(self._write_each_turn)

    def _send_pending_data(self) -> None:
        data = self.h2_conn.data_to_send()
        if not data or self._write_failed:
            return
        self._out.append(data)
        self._out_size += len(data)
        if self._out_size >= FLUSH_NOW:
            self.flush()
        else:
            self._flush_wanted.set()  # the writer runs once the greenlets ready now have yielded

    def flush(self) -> None:
        """Write every pending frame now, under the one write lock (gevent allows one writer per socket)."""
        with self._write_lock:
            out, self._out, self._out_size = self._out, [], 0
            if out and not self._write_failed:
                try:
                    self.sock.sendall(b"".join(out))
                except OSError as error:
                    self._closed = self._write_failed = True
                    raise HTTP2ConnectionError(f"Socket write error: {error}") from error

    def _write_each_turn(self) -> None:
        while not self._write_failed:
            self._flush_wanted.wait()
            self._flush_wanted.clear()
            try:
                self.flush()
            except HTTP2ConnectionError:
                return  # the peer is gone: _closed tells the streams and the reader

    def finish(self) -> None:
        """Write what is left (a GOAWAY, a last RST_STREAM) and stop the writer: the socket closes next."""
        self._writer.kill(block=False)
        with contextlib.suppress(HTTP2ConnectionError):  # the peer is gone: nothing to tell it
            self.flush()

    def _process_events(self, events: Any) -> Any:
        try:
            return super()._process_events(events)
        finally:
            self._wake()

    def _abort_all_streams(self) -> None:
        super()._abort_all_streams()
        self._wake()

    def _wake(self) -> None:
        arrived, self._frames_arrived = self._frames_arrived, Event()
        arrived.set()

    def send_response_headers(self, stream_id: int, *args: Any, **kwargs: Any) -> bool:
        # After a GOAWAY the app sent (a fault), h2 refuses every frame with a ProtocolError; a stream
        # still answering is told it was cut off instead (HTTP2StreamError, logged at debug).
        if self._closed:
            return False
        sent: bool = super().send_response_headers(stream_id, *args, **kwargs)
        return sent

    def end_stream(self, stream_id: int, trailers: Any = None) -> bool:
        if self._closed:
            return False
        ended: bool = super().end_stream(stream_id, trailers)
        return ended

    def refuse(self, stream_id: int) -> None:
        """RST_STREAM(REFUSED_STREAM): the stream was not processed, so the client may safely retry it."""
        self.abort_stream(stream_id, HTTP2ErrorCode.REFUSED_STREAM)

    def pump(self, stream_id: int | None = None) -> None:
        """Wait (instead of reading the socket) until the reader has more of this stream's body."""
        stream = self.streams.get(stream_id)
        if stream is None:
            raise HTTP2StreamError(stream_id, "stream closed before its request body was complete")
        if stream._body_event is None:
            stream._body_event = Event()  # set by the stream when DATA, its end or a reset arrives
        arrived = stream._body_event
        if stream._body_chunks or stream.body_complete or stream.state is StreamState.CLOSED or self._closed:
            return
        arrived.clear()
        if not arrived.wait(self.stream_timeout):
            self.abort_stream(stream_id, HTTP2ErrorCode.CANCEL)  # the body stalled past the timeout

    def _wait_for_flow_control_window(self, stream_id: int, deadline: float | None = None) -> int:
        """The stream's send window once positive; 0 if the deadline passed first; -1 if it is gone."""
        while True:
            if self._closed:
                return -1
            stream = self.streams.get(stream_id)
            if stream is not None and stream.state is StreamState.CLOSED:
                return -1
            try:
                available: int = self.h2_conn.local_flow_control_window(stream_id)
            except Exception:  # h2's ProtocolError family: the stream is closed on h2's side
                return -1
            if available > 0:
                return available
            wait = 1.0
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
                if wait <= 0:
                    return 0
            self._frames_arrived.wait(wait)  # WINDOW_UPDATE and SETTINGS arrive through the reader
