"""`make bench`'s HTTP/2 figures: streams served side by side on one connection, and many connections.

h2load (nghttp2) drives the counts; a small h2 client measures fast streams beside slow ones on the very
same connection, which h2load cannot tell apart (it reports one latency for every stream).
"""

import re
import socket
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import Any

import h2.config
import h2.connection
import h2.events

from bench.harness import Server, pinned, wrk


@dataclass
class H2Load:
    """One h2load run's summary."""

    seconds: float
    succeeded: int
    failed: int
    total: int


def h2load(
    url: str, requests: int, clients: int, streams: int, cpus: str | None, http1: bool = False
) -> H2Load:
    """h2load -n requests -c clients -m streams (concurrent streams per connection), bounded in time;
    http1: the same requests over HTTP/1.1 (h2load --h1), one at a time per connection when streams=1."""
    argv = ["h2load", f"-n{requests}", f"-c{clients}", f"-m{streams}", *(["--h1"] if http1 else []), url]
    out = subprocess.run(pinned(cpus, argv), capture_output=True, text=True, timeout=120, check=False).stdout
    finished = re.search(r"finished in ([\d.]+)(m?s)", out)
    counts = re.search(r"requests: (\d+) total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed", out)
    if not finished or not counts:
        raise RuntimeError(f"h2load said: {out[-500:]}")
    seconds = float(finished.group(1)) / (1000 if finished.group(2) == "ms" else 1)
    total, succeeded, failed = (int(counts.group(i)) for i in (1, 2, 3))
    return H2Load(seconds, succeeded, failed, total)


def p99(values: list[float]) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * 0.99))]


def fast_beside_slow(server: Server, fast: str, slow: str, slow_streams: int, fast_count: int) -> list[float]:
    """Seconds each of fast_count fast streams took, one after another, on one HTTP/2 connection that keeps
    slow_streams slow streams open beside them (0: the fast ones alone)."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    conn.initiate_connection()
    authority = f"127.0.0.1:{server.port}"
    started: dict[int, tuple[str, float]] = {}
    fast_times: list[float] = []

    def open_stream(path: str) -> None:
        stream_id = conn.get_next_available_stream_id()
        headers = [(":method", "GET"), (":path", path), (":scheme", "http"), (":authority", authority)]
        conn.send_headers(stream_id, headers, end_stream=True)
        started[stream_id] = (path, time.monotonic())

    with sock:
        for _ in range(slow_streams):
            open_stream(slow)
        open_stream(fast)
        deadline = time.monotonic() + 60
        while len(fast_times) < fast_count and time.monotonic() < deadline:
            sock.sendall(conn.data_to_send())
            data = sock.recv(65536)
            if not data:
                break
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.DataReceived):
                    conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded | h2.events.StreamReset):
                    path, t0 = started.pop(event.stream_id)
                    if path == fast:
                        fast_times.append(time.monotonic() - t0)
                        if len(fast_times) < fast_count:
                            open_stream(fast)
                    else:
                        open_stream(slow)  # keep slow_streams slow ones in flight
    return fast_times


def figures(server: Server, fast: str, client_cpus: str | None, rounds: int = 3) -> dict[str, Any]:
    """Every HTTP/2 figure of the targets, each a median over a few alternating rounds."""
    base = f"http://127.0.0.1:{server.port}"
    out: dict[str, Any] = {}
    # 20 concurrent streams of ?delay=0.5 on one connection, 40 requests: 1.0 s if served side by side.
    out["one_conn_20_streams_s"] = [
        h2load(f"{base}/status/200?delay=0.5", 40, 1, 20, client_cpus).seconds for _ in range(rounds)
    ]
    alone, beside = [], []
    for _ in range(rounds):
        alone.append(p99(fast_beside_slow(server, fast, "/status/200?delay=1", 0, 200)))
        beside.append(p99(fast_beside_slow(server, fast, "/status/200?delay=1", 16, 200)))
    out["fast_alone_p99_ms"] = statistics.median(alone) * 1000
    out["fast_beside_p99_ms"] = statistics.median(beside) * 1000
    # 100 HTTP/2 connections x 4 streams of ?delay=1: do all 400 get their answer?
    out["crowd"] = h2load(f"{base}/status/200?delay=1", 400, 100, 4, client_cpus)
    # HTTP/1.1 (wrk, the fast path) beside the same crowd, in the three phases of its life, one wrk second
    # each: while its 100 connections open and send their 400 requests, while the 400 wait, while their
    # answers leave together. ?delay=3 keeps the phases apart (with ?delay=1 one second of wrk straddled
    # them all). The control: the same 400 requests over HTTP/1.1 (400 connections, one request each),
    # what 400 answers falling due together cost the one server core whatever the protocol.
    h1_alone = wrk(base + fast, client_cpus, 4, 3)
    phases: dict[tuple[bool, str], list[float]] = {}
    for _ in range(rounds):
        for http1 in (False, True):
            clients, streams = (400, 1) if http1 else (100, 4)
            runner = threading.Thread(
                target=h2load,
                args=(f"{base}/status/200?delay=3", 400, clients, streams, client_cpus, http1),
            )
            began = time.monotonic()
            runner.start()
            for phase, at in (("connect", 0.0), ("wait", 1.2), ("leave", 2.8)):
                time.sleep(max(0.0, began + at - time.monotonic()))
                phases.setdefault((http1, phase), []).append(wrk(base + fast, client_cpus, 4, 1).p99_ms)
            runner.join(timeout=130)
    out["h1_alone_p99_ms"] = h1_alone.p99_ms
    out["h1_beside_ms"] = {
        ("HTTP/1.1" if http1 else "HTTP/2", phase): statistics.median(values)
        for (http1, phase), values in phases.items()
    }
    return out
