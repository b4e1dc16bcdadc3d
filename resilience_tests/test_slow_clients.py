"""Slow clients: connections that dribble their request headers must not block normal clients."""

import contextlib
import socket
import threading
import time

import pytest
from harness import address, ms, percentile, timed_gets

from testkit.plugin import FIGURES

# More than the service's threads (2 workers x 32): if each slow client held a thread, nothing else ran.
SLOW_CLIENTS = 160  # Gunicorn spreads connections unevenly over workers: enough to fill both
DRIBBLE_SECONDS = 8.0
NORMAL_REQUESTS = 40


HEAD_START = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
STYLES = [
    pytest.param(HEAD_START, id="dribbled-head"),
    # A complete request, then the next one's head dribbled on the same kept-alive connection.
    pytest.param(HEAD_START + b"\r\n" + HEAD_START, id="pipelined-dribbled-head"),
    # A head already past 64 KiB (11 fields of 6000 bytes, within Gunicorn's limits), then dribbled.
    pytest.param(
        HEAD_START + b"".join(b"X-Big-%d: %s\r\n" % (i, b"a" * 6000) for i in range(11)), id="big-head"
    ),
]


@pytest.mark.parametrize("start", STYLES)
def test_dribbling_clients_do_not_block_normal_ones(
    base_url: str, start: bytes, request: pytest.FixtureRequest
) -> None:
    slow = [socket.create_connection(address(base_url), timeout=5) for _ in range(SLOW_CLIENTS)]
    stop = threading.Event()

    def dribble() -> None:
        for sock in slow:
            sock.sendall(start)
        deadline = time.monotonic() + DRIBBLE_SECONDS + 5
        while not stop.is_set() and time.monotonic() < deadline:
            for sock in slow:
                with contextlib.suppress(OSError):  # a socket the service closed: nothing to dribble on
                    sock.sendall(b"X")  # one byte of a header name, every half second
            stop.wait(0.5)

    dribbler = threading.Thread(target=dribble)
    dribbler.start()
    try:
        time.sleep(1.0)  # the slow clients are all connected and mid-header
        latencies = timed_gets(base_url, NORMAL_REQUESTS, until=time.monotonic() + DRIBBLE_SECONDS - 2)
    finally:
        stop.set()
        dribbler.join(timeout=20)
        for sock in slow:
            sock.close()
    style = request.node.callspec.id
    FIGURES[f"slow clients ({style}): connections"] = str(SLOW_CLIENTS)
    FIGURES[f"slow clients ({style}): normal answered"] = (
        f"{len(latencies)}/{len(latencies)}, p99 {ms(percentile(latencies, 0.99))}"
    )


def test_head_that_never_completes_gets_408(base_url: str) -> None:
    """A head still incomplete after the header timeout gets 408 problem+json, then the connection closes."""
    with socket.create_connection(address(base_url), timeout=30) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        received = b""
        deadline = time.monotonic() + 25
        while time.monotonic() < deadline:
            try:
                sock.sendall(b"a")
            except OSError:
                break
            time.sleep(1.0)
            sock.setblocking(False)
            try:
                chunk = sock.recv(65536)
                received += chunk
                if not chunk or b"\r\n\r\n" in received:
                    break
            except BlockingIOError:
                pass
            finally:
                sock.setblocking(True)
    assert received.startswith(b"HTTP/1.1 408 ")
    assert b"application/problem+json" in received
    FIGURES["slow clients: unfinished head"] = "408 problem+json after the 10 s header timeout"


# More than the service's threads (2 x 32), each holding an answered connection open.
NEVER_CLOSING = 100


def test_clients_that_never_close_do_not_stall_others(base_url: str) -> None:
    """After a `Connection: close` answer the server waits up to 2 s for the client to close too (RFC 9112
    §9.6); clients that never do must not hold up anyone else for more than that."""
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    idle = [socket.create_connection(address(base_url), timeout=5) for _ in range(NEVER_CLOSING)]
    try:
        for sock in idle:
            sock.sendall(request)  # answered, then never read and never closed
        time.sleep(0.2)
        latencies = timed_gets(base_url, 20, timeout=10.0)
    finally:
        for sock in idle:
            sock.close()
    FIGURES["never-closing clients: connections"] = str(NEVER_CLOSING)
    FIGURES["never-closing clients: normal answered"] = (
        f"{len(latencies)}/{len(latencies)}, p99 {ms(percentile(latencies, 0.99))}, max {ms(max(latencies))}"
    )
