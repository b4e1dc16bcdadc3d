"""The pieces `make bench` is built from: Gunicorn servers on loopback, pinned wrk runs, /proc figures."""

import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

from testkit.host import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "bench"
BIN = Path(sys.executable).parent
CONF = "service/server/gunicorn.conf.py"
# Settings the config file reads from the environment: cleared, so the file's own defaults are measured.
# Seconds to wait after the slow load stops; longer than the slow path's delay.
SETTLE_S = 2.5
TUNING_ENV = (
    "WEB_CONCURRENCY",
    "GUNICORN_WORKER_CONNECTIONS",
    "GUNICORN_KEEPALIVE",
    "GUNICORN_BIND",
    "PORT",
    "LOG_FORMAT",
    "METRICS_PORT",
    "PROMETHEUS_MULTIPROC_DIR",
)


@dataclass
class Server:
    """One Gunicorn master on a loopback port, pinned to the server cores."""

    name: str
    app: str
    port: int
    proc: subprocess.Popen[bytes]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_pids(self) -> list[int]:
        return children(self.proc.pid)


@dataclass
class Run:
    """One wrk run's summary, from the JSON line bench/wrk.lua prints."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    non_2xx_3xx: int
    requests: int


@dataclass
class Result:
    """All rounds of one target."""

    name: str
    label: str
    runs: list[Run] = field(default_factory=list)
    note: str = ""


def children(pid: int) -> list[int]:
    """The direct children of a process (Gunicorn's workers), from /proc."""
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the most resident memory the process has had (kB in /proc), in MB."""
    match = re.search(r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    return int(match.group(1)) / 1024 if match else float("nan")


def pinned(cpus: str | None, argv: list[str]) -> list[str]:
    return ["taskset", "-c", cpus, *argv] if cpus else argv


def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None, timeout: float = 15) -> int:
    """One request with no redirect following; the status, or 0 if the connection failed."""
    rest = url.removeprefix("http://")
    hostport, _, path = rest.partition("/")
    host, _, port = hostport.partition(":")
    conn = HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request(method, "/" + path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


@contextlib.contextmanager
def serve(
    name: str,
    app: str,
    cpus: str | None,
    logdir: Path,
    extra: list[str] | None = None,
    env: dict[str, str] | None = None,
    config: bool = True,
) -> Iterator[Server]:
    """Gunicorn with the service's config file, overriding only the app and the bind (plus `extra`).

    config=False: Gunicorn's own defaults instead of the file (a peer run as its own image runs it).
    Every server gets its own free metrics port (the file's metrics are on unless METRICS_PORT=0).
    """
    port = free_port()
    argv = [str(BIN / "gunicorn"), *(["-c", CONF] if config else []), "--bind", f"127.0.0.1:{port}"]
    argv += [*(extra or []), app]
    base_env = {k: v for k, v in os.environ.items() if k not in TUNING_ENV}
    base_env["METRICS_PORT"] = str(free_port())
    log = (logdir / f"{name}.log").open("wb")
    proc = subprocess.Popen(
        pinned(cpus, argv),
        cwd=ROOT,
        env={**base_env, "PYTHONPATH": str(ROOT), **(env or {})},
        stdout=log,
        stderr=log,
    )
    server = Server(name, app, port, proc)
    try:
        deadline = time.monotonic() + 20
        # Every target answers /status/200; "/" would make the service build its explorer listing and
        # OpenAPI document in one worker, which no /status load test ever asks for (0.4 MB of memory).
        while fetch(server.url("/status/200"), timeout=2) == 0:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start; see {log.name}")
            time.sleep(0.1)
        yield server
    finally:
        stop(proc, seconds=25)
        log.close()


def wrk(
    url: str, cpus: str | None, connections: int, seconds: int, script_args: list[str] | None = None
) -> Run:
    """One bounded wrk run (one thread: it has one core) and its summary.

    script_args: for bench/wrk.lua, a mix file's path, or `--distinct` (no two requests alike).
    """
    argv = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "15s",
        "-s",
        str(HERE / "wrk.lua"),
        url,
    ]
    if script_args:
        argv += ["--", *script_args]
    out = subprocess.run(
        pinned(cpus, argv), capture_output=True, text=True, timeout=seconds + 30, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    s = json.loads(line.removeprefix("BENCH_JSON "))
    return Run(
        rps=s["requests"] / (s["duration_us"] / 1e6),
        p50_ms=s["p50_us"] / 1000,
        p99_ms=s["p99_us"] / 1000,
        errors=s["connect"] + s["read"] + s["write"] + s["timeout"],
        non_2xx_3xx=s["non_2xx_3xx"],
        requests=s["requests"],
    )


def load_mix(server: Server, path: Path, out: Path) -> tuple[int, float, list[str]]:
    """Check every line of the mix once; write the ones answering as expected to `out` for wrk.lua.

    Returns how many lines were kept, the share of them that wrk counts as non-2xx/3xx, and notes.
    """
    kept: list[str] = []
    notes: list[str] = []
    errors = 0
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        method, target, expected, *rest = line.split(maxsplit=3)
        headers = {}
        if rest:
            name, _, value = rest[0].partition(":")
            headers[name.strip()] = value.strip()
        got = fetch(server.url(target), method, headers)
        if got != int(expected):
            notes.append(f"`{method} {target}` dropped: expected {expected}, got {got}")
            continue
        kept.append(" ".join([method, target, *rest]))
        errors += not 200 <= got < 400
    out.write_text("\n".join(kept) + "\n")
    return len(kept), errors / max(len(kept), 1), notes


def isolation(
    server: Server, fast: str, slow: str, cpus: str | None, seconds: int, rounds: int
) -> dict[str, float]:
    """Fast requests' p99 alone, then beside 16 connections held in slow requests; medians over rounds."""
    alone: list[float] = []
    loaded: list[float] = []
    for _ in range(rounds):
        alone.append(wrk(server.url(fast), cpus, 4, seconds).p99_ms)
        holder = subprocess.Popen(
            pinned(cpus, ["wrk", "-t1", "-c16", f"-d{seconds + 3}s", "--timeout", "15s", server.url(slow)]),
            stdout=subprocess.DEVNULL,
        )
        time.sleep(1.5)  # let the 16 slow requests reach the workers first
        try:
            loaded.append(wrk(server.url(fast), cpus, 4, seconds).p99_ms)
        finally:
            holder.wait(timeout=seconds + 30)
        # wrk has hung up, but the server still sleeps in the slow requests it accepted: let them finish,
        # or the next "alone" run would wait behind them.
        time.sleep(SETTLE_S)
    a, b = statistics.median(alone), statistics.median(loaded)
    return {"alone_p99_ms": a, "loaded_p99_ms": b, "ratio": b / a}
