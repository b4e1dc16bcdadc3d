"""Tools the resilience tests share: raw HTTP over sockets, docker compose, latency figures, wrk.

Nothing here knows the service's code; it speaks HTTP to 127.0.0.1 and asks docker compose about the
container. Every wait is bounded.
"""

import json
import os
import shlex
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest


@dataclass
class RawResponse:
    """What came back on a raw socket: the status line's code, headers (lower-cased names), body."""

    status: int
    headers: dict[str, str]
    body: bytes


def address(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def raw_request(base_url: str, data: bytes, timeout: float = 10.0) -> RawResponse:
    """Send bytes as they are (no client library to fix them up) and parse the one response.

    Reads until the server closes or the announced Content-Length has arrived. A dropped connection
    without a status line fails the calling test: every bad request deserves an answer.
    """
    with socket.create_connection(address(base_url), timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            head, sep, rest = received.partition(b"\r\n\r\n")
            if sep:
                length = _content_length(head)
                if length is not None and len(rest) >= length:
                    break
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
    head, sep, body = received.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1."):
        pytest.fail(f"no HTTP status line in reply (connection dropped?): {received[:200]!r}")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return RawResponse(int(lines[0].split()[1]), headers, body)


def _content_length(head: bytes) -> int | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return None


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 < fraction <= 1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timed_gets(base_url: str, count: int, until: float | None = None, timeout: float = 5.0) -> list[float]:
    """The latencies of up to `count` GET /healthz, 0.1 s apart, each on a new connection (so they reach
    every worker, not one kept-alive one); stops early at `until` (time.monotonic()). Each must be 200."""
    latencies: list[float] = []
    no_reuse = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(base_url=base_url, timeout=timeout, limits=no_reuse) as client:
        for _ in range(count):  # bounded by count and, where given, by time
            started = time.monotonic()
            assert client.get("/healthz").status_code == 200
            latencies.append(time.monotonic() - started)
            if until is not None and time.monotonic() > until:
                break
            time.sleep(0.1)
    return latencies


class Compose:
    """docker compose for the project `make test-resilience` started (COMPOSE_PROJECT_NAME in the env)."""

    def __init__(self) -> None:
        self.command = shlex.split(os.environ.get("COMPOSE", "docker compose"))

    def run(self, *args: str, timeout: float = 60.0, check: bool = True) -> str:
        done = subprocess.run(  # noqa: S603 - fixed argv: docker compose with our own arguments
            [*self.command, *args], capture_output=True, text=True, timeout=timeout, check=False
        )
        if check and done.returncode != 0:
            pytest.fail(f"{' '.join(self.command)} {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def container_id(self) -> str:
        container = self.run("ps", "--all", "--quiet", "service").strip()
        if not container:
            pytest.fail("no service container: start it with make test-resilience")
        return container

    def inspect(self) -> dict[str, object]:
        out = subprocess.run(  # noqa: S603 - fixed argv
            ["docker", "inspect", self.container_id()],  # noqa: S607 - docker from PATH, as make uses it
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
        info: dict[str, object] = json.loads(out)[0]
        return info

    def exec_python(self, code: str) -> str:
        """Run Python inside the service container (the image has no shell tools to spare)."""
        return self.run("exec", "-T", "service", "python", "-c", code, timeout=30)

    def worker_pids(self) -> list[int]:
        """Gunicorn's workers: the processes whose parent is PID 1 (the master), read from /proc."""
        out = self.exec_python(
            "import os\n"
            "for p in os.listdir('/proc'):\n"
            "    if p.isdigit():\n"
            "        try: stat = open(f'/proc/{p}/stat').read()\n"
            "        except OSError: continue\n"
            "        if stat.rsplit(')', 1)[1].split()[1] == '1': print(p)\n"
        )
        return sorted(int(line) for line in out.split())


LOAD_SCRIPT = Path(__file__).with_name("load.lua")


def wrk(base_url: str, mix: list[str], connections: int, seconds: int) -> dict[str, Any]:
    """Run wrk (one connection per thread, see load.lua) for a bounded time; its RESULT line as a dict."""
    done = subprocess.run(  # noqa: S603 - fixed argv: wrk from PATH against 127.0.0.1
        [  # noqa: S607
            "wrk",
            f"--threads={connections}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=15s",
            f"--script={LOAD_SCRIPT}",
            base_url,
            "--",
            *mix,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
            return result
    pytest.fail(
        f"wrk gave no RESULT line (exit {done.returncode}): {done.stdout[-500:]} {done.stderr[-500:]}"
    )
