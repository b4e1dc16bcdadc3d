"""1,000 /status?fault= answers, mixed, over HTTP/1.1 and HTTP/2: the service is healthy after, with the
same file-descriptor and thread counts in its workers as before (nothing leaked), and every fault
counted. Bounded in count (1,000) and time (each request 10 s at most; the burst, 16 at a time)."""

import os
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import h2.config
import h2.connection
import h2.events
import httpx
import pytest
from harness import Compose, address

from testkit.health import healthy
from testkit.plugin import FIGURES

FAULTS = 1000
CONCURRENCY = 16
# Over each protocol: the three that break the connection, and a short drip.
MIX = [
    ("HTTP/1.1", "empty"),
    ("HTTP/1.1", "reset"),
    ("HTTP/1.1", "truncate"),
    ("HTTP/1.1", "drip"),
    ("HTTP/2", "empty"),
    ("HTTP/2", "reset"),
    ("HTTP/2", "truncate"),
    ("HTTP/2", "drip"),
]
READ_SECONDS = 10.0
COUNTS_PROGRAM = (
    "import os\n"
    "for p in sorted(os.listdir('/proc')):\n"
    "    if p.isdigit():\n"
    "        try: stat = open(f'/proc/{p}/stat').read()\n"
    "        except OSError: continue\n"
    "        if stat.rsplit(')', 1)[1].split()[1] == '1':\n"
    "            print(p, len(os.listdir(f'/proc/{p}/fd')), len(os.listdir(f'/proc/{p}/task')))\n"
)


def path_for(fault: str) -> str:
    return "/status/200?fault=drip&duration=0.05" if fault == "drip" else f"/status/503?fault={fault}"


def http1(base_url: str, path: str) -> str:
    """One GET on its own connection; how it ended: a complete answer, a reset, or a close."""
    host, port = address(base_url)
    with socket.create_connection((host, port), timeout=READ_SECONDS) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
        received = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                return "reset"
            if not chunk:
                return "answered" if received else "closed"
            received += chunk


def http2(base_url: str, path: str) -> str:
    """One GET as stream 1 of its own HTTP/2 connection; how it ended."""
    host, port = address(base_url)
    connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    connection.initiate_connection()
    connection.send_headers(
        1, [(":method", "GET"), (":scheme", "http"), (":authority", f"{host}:{port}"), (":path", path)],
        end_stream=True,
    )  # fmt: skip
    deadline = time.monotonic() + READ_SECONDS
    with socket.create_connection((host, port), timeout=READ_SECONDS) as sock:
        try:
            sock.sendall(connection.data_to_send())
            while time.monotonic() < deadline:
                data = sock.recv(65536)
                if not data:
                    return "closed"
                for event in connection.receive_data(data):
                    if isinstance(event, h2.events.StreamReset):
                        return "reset"
                    if isinstance(event, h2.events.StreamEnded):
                        return "answered"
                sock.sendall(connection.data_to_send())
        except (ConnectionResetError, BrokenPipeError):
            return "closed"
    return "timeout"


def worker_counts(compose: Compose) -> dict[int, tuple[int, int]]:
    """Each Gunicorn worker's (open file descriptors, threads), read from /proc in the container."""
    lines = compose.exec_python(COUNTS_PROGRAM).split("\n")
    return {int(p): (int(fds), int(threads)) for p, fds, threads in (line.split() for line in lines if line)}


def settled(
    compose: Compose, before: dict[int, tuple[int, int]], seconds: float
) -> dict[int, tuple[int, int]]:
    """The counts once they are back to `before` (closed connections linger a moment), or at the deadline."""
    deadline = time.monotonic() + seconds
    counts = worker_counts(compose)
    while counts != before and time.monotonic() < deadline:
        time.sleep(0.5)
        counts = worker_counts(compose)
    return counts


def faults_counted(metrics_url: str) -> float:
    text = httpx.get(metrics_url, timeout=10).text
    return sum(float(value) for value in re.findall(r"^http_faults_total\{[^}]*\} (\S+)$", text, re.M))


@pytest.mark.status_api
def test_a_thousand_faults_leave_the_workers_as_they_were(base_url: str, compose: Compose) -> None:
    metrics_port = os.environ.get("METRICS_PORT")
    metrics_url = f"http://127.0.0.1:{metrics_port}/metrics" if metrics_port else ""
    # Warm-up: grow each worker's thread pool to its bound (GUNICORN_THREADS, 32) with slow requests,
    # round after round until every worker has as many threads as the fullest (Gunicorn's accept is
    # uneven), and serve every fault kind once: what is measured next is a steady state, not a pool
    # growing on first use.
    with ThreadPoolExecutor(max_workers=100) as pool:
        for _ in range(6):
            list(pool.map(lambda _: http1(base_url, "/status/200?delay=0.5"), range(100)))
            threads = [count for _, count in worker_counts(compose).values()]
            if len(set(threads)) == 1:
                break
        list(
            pool.map(
                lambda pair: (http1 if pair[0] == "HTTP/1.1" else http2)(base_url, path_for(pair[1])), MIX
            )
        )
    before = settled(compose, {}, seconds=8)  # 8 s: past the keep-alive timeout (5 s)
    counted_before = faults_counted(metrics_url) if metrics_url else 0.0

    def one(index: int) -> tuple[str, str, str]:
        protocol, fault = MIX[index % len(MIX)]
        ending = (http1 if protocol == "HTTP/1.1" else http2)(base_url, path_for(fault))
        return protocol, fault, ending

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        results = list(pool.map(one, range(FAULTS)))
    took = time.monotonic() - started
    after = settled(compose, before, seconds=15)

    endings: dict[tuple[str, str], set[str]] = {}
    for protocol, fault, ending in results:
        endings.setdefault((protocol, fault), set()).add(ending)
    FIGURES["1,000 faults: time"] = f"{took:.1f} s at {CONCURRENCY} at a time"
    FIGURES["1,000 faults: workers (fds, threads) before"] = str(sorted(before.values()))
    FIGURES["1,000 faults: workers (fds, threads) after"] = str(sorted(after.values()))
    # Through Docker's published port a userland proxy (docker-proxy) relays the connection, and it turns
    # the container's RST into a close: the contract suite, on the compose network, sees the RST itself.
    assert endings.pop(("HTTP/1.1", "reset")) <= {"reset", "closed"}
    assert endings == {
        ("HTTP/1.1", "empty"): {"closed"},
        ("HTTP/1.1", "truncate"): {"answered"},  # bytes, then a close: the client sees a short body
        ("HTTP/1.1", "drip"): {"answered"},
        ("HTTP/2", "empty"): {"closed"},
        ("HTTP/2", "reset"): {"reset"},
        ("HTTP/2", "truncate"): {"reset"},
        ("HTTP/2", "drip"): {"answered"},
    }
    assert healthy(base_url)
    assert after == before, "the workers' descriptor or thread counts changed (same PIDs: none restarted)"
    if metrics_url:
        deadline = time.monotonic() + 5
        while faults_counted(metrics_url) < counted_before + FAULTS and time.monotonic() < deadline:
            time.sleep(0.2)
        assert faults_counted(metrics_url) - counted_before == FAULTS
