"""HTTP/2 under abuse: hostile prefaces and frames, many streams on one connection, slow HTTP/2 clients.

Cleartext HTTP/2 with prior knowledge, spoken with the h2 library where the client is well-behaved
and with hand-made frames where it is not. Each case ends by checking that the service still answers
over both protocols. Every loop is bounded in count and time.
"""

import contextlib
import socket
import struct
import threading
import time

import h2.config
import h2.connection
import h2.events
import h2.settings
import httpx
import pytest
from harness import address, ms, percentile, timed_gets

from testkit.plugin import FIGURES

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
GOAWAY = 0x7
# RFC 9113 §7 error codes this suite expects to see.
ERRORS = {0x0: "NO_ERROR", 0x1: "PROTOCOL_ERROR", 0x3: "FLOW_CONTROL_ERROR", 0x6: "FRAME_SIZE_ERROR"}
ERRORS |= {0x7: "REFUSED_STREAM", 0x9: "COMPRESSION_ERROR", 0xB: "ENHANCE_YOUR_CALM"}


def frame(kind: int, flags: int, stream: int, payload: bytes) -> bytes:
    """One HTTP/2 frame as bytes (RFC 9113 §4.1), whatever it says."""
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def settings(*pairs: tuple[int, int]) -> bytes:
    return frame(0x4, 0, 0, b"".join(struct.pack(">HI", key, value) for key, value in pairs))


def read_until_closed(sock: socket.socket, seconds: float) -> tuple[bytes, bool]:
    """Every byte until the server closes (True) or `seconds` pass (False)."""
    received, deadline = b"", time.monotonic() + seconds
    while time.monotonic() < deadline:
        sock.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return received, True
        if not chunk:
            return received, True
        received += chunk
    return received, False


def goaway_codes(data: bytes) -> list[str]:
    """The error codes of the GOAWAY frames among the server's frames."""
    codes = []
    while len(data) >= 9:
        length, kind = int.from_bytes(data[:3], "big"), data[3]
        payload, data = data[9 : 9 + length], data[9 + length :]
        if kind == GOAWAY and len(payload) >= 8:
            code = int.from_bytes(payload[4:8], "big")
            codes.append(ERRORS.get(code, hex(code)))
    return codes


def h2_client() -> h2.connection.H2Connection:
    connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    connection.initiate_connection()
    return connection


def request_headers(base_url: str, path: str) -> list[tuple[str, str]]:
    host, port = address(base_url)
    return [(":method", "GET"), (":scheme", "http"), (":authority", f"{host}:{port}"), (":path", path)]


def h2_exchange(
    base_url: str, paths: list[str], timeout: float = 30.0
) -> tuple[dict[int, int], list[str], dict[int, int]]:
    """Send every path as its own stream on one connection at once. Returns stream id -> status, the
    paths in the order their streams ended, and the server's SETTINGS (id -> value)."""
    connection = h2_client()
    by_stream = {1 + 2 * index: path for index, path in enumerate(paths)}
    for stream_id, path in by_stream.items():
        connection.send_headers(stream_id, request_headers(base_url, path), end_stream=True)
    statuses: dict[int, int] = {}
    order: list[str] = []
    server_settings: dict[int, int] = {}
    deadline = time.monotonic() + timeout
    with socket.create_connection(address(base_url), timeout=timeout) as sock:
        sock.sendall(PREFACE + connection.data_to_send()[len(PREFACE) :])
        while len(order) < len(paths) and time.monotonic() < deadline:
            data = sock.recv(65536)
            if not data:
                break
            for event in connection.receive_data(data):
                if isinstance(event, h2.events.RemoteSettingsChanged):
                    server_settings |= {int(k): v.new_value for k, v in event.changed_settings.items()}
                elif isinstance(event, h2.events.ResponseReceived) and event.stream_id is not None:
                    statuses[event.stream_id] = int(dict(event.headers or [])[b":status"])
                elif isinstance(event, h2.events.DataReceived) and event.stream_id is not None:
                    connection.acknowledge_received_data(event.flow_controlled_length or 0, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded) and event.stream_id is not None:
                    order.append(by_stream[event.stream_id])
            sock.sendall(connection.data_to_send())
    return statuses, order, server_settings


def h2_get_statuses(base_url: str, paths: list[str], timeout: float = 30.0) -> dict[int, int]:
    """Send every path as its own stream on one connection at once; return stream id -> status."""
    return h2_exchange(base_url, paths, timeout)[0]


def assert_still_serving(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=5.0) as http1:
        assert http1.get("/healthz").status_code == 200
    with httpx.Client(base_url=base_url, timeout=5.0, http1=False, http2=True) as http2:
        response = http2.get("/healthz")
        assert (response.http_version, response.status_code) == ("HTTP/2", 200)


HOSTILE = [
    pytest.param(PREFACE + b"\x00" * 3 + b"garbage that is no frame at all" * 4, id="garbage-after-preface"),
    pytest.param(PREFACE + frame(0x4, 0, 0, b"\x00\x04\x00"), id="settings-length-not-a-multiple-of-6"),
    pytest.param(PREFACE + settings((0x4, 2**31)), id="initial-window-over-2^31-1"),
    pytest.param(PREFACE + settings((0x5, 2**24)), id="max-frame-size-over-2^24-1"),
    pytest.param(PREFACE + settings() + frame(0x0, 0, 0, b"data on stream 0"), id="data-on-stream-0"),
    pytest.param(PREFACE + settings() + frame(0x1, 0x5, 1, b"\xff" * 16), id="headers-bad-hpack"),
    # A frame longer than SETTINGS_MAX_FRAME_SIZE (16384). h2 checks the length once the whole frame is in.
    pytest.param(PREFACE + settings() + frame(0x0, 0, 1, b"x" * 100_000), id="oversized-frame"),
    pytest.param(PREFACE + settings() + frame(0x1, 0x5, 2, b"\x82\x86\x84"), id="client-uses-even-stream"),
]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_preface_or_frame_gets_goaway_or_close(
    base_url: str, data: bytes, request: pytest.FixtureRequest
) -> None:
    with socket.create_connection(address(base_url), timeout=10) as sock:
        sock.sendall(data)
        started = time.monotonic()
        received, closed = read_until_closed(sock, seconds=15)
        took = time.monotonic() - started
    codes = goaway_codes(received)
    # RFC 9113 §5.4.1: a connection error is a GOAWAY, then close. Bytes h2 can skip (an unknown frame
    # type is ignored, §5.5) leave an idle connection, closed (GOAWAY NO_ERROR) after the keep-alive.
    assert closed, "the server kept a connection it should have closed"
    outcome = f"GOAWAY {codes[-1]}" if codes else "closed"
    FIGURES[f"http2 hostile ({request.node.callspec.id})"] = f"{outcome} after {took:.1f} s"
    assert_still_serving(base_url)


def test_stalled_preface_is_closed_and_does_not_block(base_url: str) -> None:
    with socket.create_connection(address(base_url), timeout=10) as sock:
        sock.sendall(PREFACE[:8])
        started = time.monotonic()
        assert_still_serving(base_url)  # while the half preface is held
        _, closed = read_until_closed(sock, seconds=20)
        held = time.monotonic() - started
    assert closed
    FIGURES["http2 stalled preface"] = f"closed after {held:.1f} s"


def test_rapid_reset_is_bounded(base_url: str) -> None:
    """CVE-2023-44487: streams opened and reset at once, over and over; the server must cut the connection."""
    connection = h2_client()
    resets = 2000
    for index in range(resets):
        stream_id = 1 + 2 * index
        connection.send_headers(stream_id, request_headers(base_url, "/status/200"), end_stream=True)
        connection.reset_stream(stream_id)
    with socket.create_connection(address(base_url), timeout=10) as sock:
        with contextlib.suppress(OSError):  # the server may close before every byte is in
            sock.sendall(connection.data_to_send())
        received, closed = read_until_closed(sock, seconds=10)
    codes = goaway_codes(received)
    assert closed
    FIGURES["http2 rapid reset"] = f"{resets} HEADERS+RST_STREAM: " + (
        f"GOAWAY {codes[-1]}" if codes else "closed"
    )
    assert_still_serving(base_url)


def test_many_streams_on_one_connection_are_all_served(base_url: str) -> None:
    # 100 at once is the server's advertised SETTINGS_MAX_CONCURRENT_STREAMS (Gunicorn's default).
    batches, per_batch = 5, 100
    started = time.monotonic()
    for _ in range(batches):
        statuses = h2_get_statuses(base_url, ["/status/200"] * per_batch)
        assert sorted(statuses.values()) == [200] * per_batch
    took = time.monotonic() - started
    FIGURES["http2 many streams"] = (
        f"{batches} connections x {per_batch} concurrent streams: all 200, {took / batches:.2f} s each"
    )


def test_a_slow_stream_never_holds_a_fast_one(base_url: str) -> None:
    # As many streams as the server advertises (SETTINGS_MAX_CONCURRENT_STREAMS), all but the last slow:
    # answered one after another, the fast one, sent last, would end last (after 99 s); side by side it
    # ends first. The order is asserted, not a time.
    slow, fast = "/status/200?delay=1", "/status/200"
    _, order, server_settings = h2_exchange(base_url, [slow] * 99 + [fast])
    advertised = server_settings.get(h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS)
    assert advertised == 100
    assert len(order) == 100, f"{len(order)} of 100 streams ended"
    assert order[0] == fast
    FIGURES["http2 side by side"] = (
        f"{advertised} advertised; 99 x ?delay=1 then 1 fast on one connection: the fast one ended first"
    )


def test_more_streams_than_advertised_is_refused(base_url: str) -> None:
    statuses = h2_get_statuses(base_url, ["/status/200"] * 150, timeout=15)
    # The server said 100 (SETTINGS_MAX_CONCURRENT_STREAMS): the 101st is a protocol violation.
    assert len(statuses) < 150
    FIGURES["http2 over the stream limit"] = f"150 opened at once: {len(statuses)} answered, the rest refused"
    assert_still_serving(base_url)


# More HTTP/2 connections than the service has threads (2 workers x 32): were each to hold a thread,
# HTTP/1.1 would wait. Each pings every second, so none is ever idle long enough to be closed.
SLOW_H2 = 80
DRIBBLE_SECONDS = 10.0
NORMAL_REQUESTS = 40


def test_slow_http2_clients_do_not_starve_http1(base_url: str) -> None:
    slow = [socket.create_connection(address(base_url), timeout=5) for _ in range(SLOW_H2)]
    heard = [b""] * SLOW_H2  # what the server sent each of them (a GOAWAY if it refused it)
    stop = threading.Event()

    def listen() -> None:
        for index, sock in enumerate(slow):
            sock.setblocking(False)
            with contextlib.suppress(BlockingIOError, OSError):
                heard[index] += sock.recv(65536)
            sock.setblocking(True)

    def dribble() -> None:
        for sock in slow:
            sock.sendall(PREFACE + settings())
        deadline = time.monotonic() + DRIBBLE_SECONDS + 5
        while not stop.is_set() and time.monotonic() < deadline:
            listen()
            for sock in slow:
                with contextlib.suppress(OSError):  # a connection the service closed
                    sock.sendall(frame(0x6, 0, 0, b"12345678"))  # PING, answered by the server
            stop.wait(1.0)

    dribbler = threading.Thread(target=dribble)
    dribbler.start()
    try:
        time.sleep(1.5)  # every slow connection is open and has sent its preface
        latencies = timed_gets(base_url, NORMAL_REQUESTS, until=time.monotonic() + DRIBBLE_SECONDS - 3)
    finally:
        stop.set()
        dribbler.join(timeout=20)
        listen()
        for sock in slow:
            sock.close()
    refused = sum("REFUSED_STREAM" in goaway_codes(data) for data in heard)
    FIGURES["http2 slow clients: connections (pinging)"] = f"{SLOW_H2}, {refused} refused with GOAWAY"
    FIGURES["http2 slow clients: HTTP/1.1 answered"] = (
        f"{len(latencies)}/{len(latencies)}, p99 {ms(percentile(latencies, 0.99))}"
    )
