"""`make bench`: the service's throughput and latency beside its floors and httpbin, plus container figures.

Every server runs on the host's loopback from bench/.venv under `-c service/gunicorn.conf.py` (only the
app and the bind differ), pinned to one core while wrk runs pinned to the other. Targets alternate
A B C ... over several rounds; the medians, min-max spread and p50/p99 go to bench/results.md (also
printed) and a chart to bench/results.png. See README.md "Performance" for how to read them.
"""

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPConnection
from importlib.metadata import version
from pathlib import Path

from bench import report

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "bench"
BIN = Path(sys.executable).parent
CONF = "service/gunicorn.conf.py"
# Settings the config file reads from the environment: cleared, so the file's own defaults are measured.
TUNING_ENV = ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_KEEPALIVE", "GUNICORN_BIND", "PORT")


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


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
) -> Iterator[Server]:
    """Gunicorn with the service's config file, overriding only the app and the bind (plus `extra`)."""
    port = free_port()
    argv = [str(BIN / "gunicorn"), "-c", CONF, "--bind", f"127.0.0.1:{port}", *(extra or []), app]
    base_env = {k: v for k, v in os.environ.items() if k not in TUNING_ENV}
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
        while fetch(server.url("/"), timeout=2) == 0:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start; see {log.name}")
            time.sleep(0.1)
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=25)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wrk(url: str, cpus: str | None, connections: int, seconds: int, mixfile: Path | None = None) -> Run:
    """One bounded wrk run (one thread: it has one core) and its summary."""
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
    if mixfile:
        argv += ["--", str(mixfile)]
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
    a, b = statistics.median(alone), statistics.median(loaded)
    return {"alone_p99_ms": a, "loaded_p99_ms": b, "ratio": b / a}


def profile(server: Server, url: str, cpus: str | None, seconds: int, out: Path) -> list[tuple[str, float]]:
    """py-spy on every worker while wrk loads `url`: the share of samples under each of our functions."""
    spy = subprocess.Popen(
        pinned(
            cpus,
            [
                *(str(BIN / "py-spy"), "record", "--format", "raw", "--subprocesses", "--nonblocking"),
                *("-d", str(seconds), "-o", str(out), "-p", str(server.proc.pid)),
            ],
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1)
    wrk(url, cpus, 32, seconds - 1)
    spy.wait(timeout=seconds + 30)
    if not out.exists():
        return []
    inclusive: dict[str, int] = {}
    total = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        total += n
        seen = set()
        for frame in stack.split(";"):
            name = re.sub(r" \((.*/)?(site-packages/)?", " (", frame)
            name = re.sub(r":\d+\)$", ")", name)
            if name not in seen:
                seen.add(name)
                inclusive[name] = inclusive.get(name, 0) + n
    rows = sorted(((k, 100 * v / total) for k, v in inclusive.items()), key=lambda kv: -kv[1])
    return [(k, v) for k, v in rows if "idle" not in k][:25]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ours-path", default=os.environ.get("BENCH_OURS_PATH", "/status/200"))
    parser.add_argument("--slow-path", default=os.environ.get("BENCH_SLOW_PATH", "/status/200?delay=1"))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "5")))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "5")))
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--no-docker", action="store_true", help="skip the container and `make test` figures")
    parser.add_argument("--no-sweep", action="store_true", help="skip the Gunicorn settings sweep")
    args = parser.parse_args()
    started = time.monotonic()
    if shutil.which("wrk") is None:
        print("wrk is missing: `apt-get install -y wrk` (make bench does it)", file=sys.stderr)
        return 2
    server_cpus, client_cpus = ("0", "1") if (os.cpu_count() or 1) >= 2 else (None, None)
    logdir = Path(tempfile.mkdtemp(prefix="bench-"))
    data: dict[str, object] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "versions": versions(),
        "settings": settings(),
        "args": vars(args),
        "cpus": (server_cpus, client_cpus),
    }
    notes: list[str] = []
    targets = [
        ("ours", "service.app:create_app()", args.ours_path, f"ours `{args.ours_path}`"),
        ("mixed", "service.app:create_app()", None, "ours, mixed set"),
        ("minimal", "bench.floors:minimal_flask", "/status/200", "minimal Flask"),
        ("bare", "bench.floors:bare_wsgi", "/status/200", "bare WSGI"),
        ("httpbin", "httpbin:app", "/status/200", "httpbin `/status/200`"),
    ]
    results = {name: Result(name, label) for name, _, _, label in targets}
    memory: dict[str, list[float]] = {}
    with contextlib.ExitStack() as stack:
        servers: dict[str, Server] = {}
        for name, app, _, _ in targets:
            if name == "mixed":
                servers[name] = servers["ours"]
            else:
                servers[name] = stack.enter_context(serve(name, app, server_cpus, logdir))
        ours = servers["ours"]
        if (status := fetch(ours.url(args.ours_path))) != 200:
            notes.append(f"`{args.ours_path}` answered {status}, not 200: its row measures that answer.")
        mixfile = logdir / "mix.txt"
        kept, error_share, mix_notes = load_mix(ours, HERE / "mix.txt", mixfile)
        results["mixed"].note = f"{kept} requests in turn, {error_share:.0%} of them 4xx/5xx by design"
        notes += mix_notes
        for name, _, path, _ in targets:  # warm every worker's code paths before measuring
            wrk(servers[name].url(path or "/"), client_cpus, args.connections, 1, None if path else mixfile)
        for rnd in range(args.rounds):
            for name, _, path, label in targets:
                run = wrk(
                    servers[name].url(path or "/"),
                    client_cpus,
                    args.connections,
                    args.seconds,
                    None if path else mixfile,
                )
                results[name].runs.append(run)
                print(
                    f"round {rnd + 1}/{args.rounds} {label:28} {run.rps:6.0f} req/s p99 {run.p99_ms:6.1f} ms",
                    flush=True,
                )
        for name, server in servers.items():
            if name != "mixed":
                memory[name] = [peak_rss_mb(pid) for pid in server.worker_pids()]
        if (status := fetch(ours.url(args.slow_path), timeout=15)) != 200:
            data["isolation"] = None
            notes.append(
                f"Latency isolation skipped: `{args.slow_path}` answered {status}, not 200 (no delay "
                "option on this build)."
            )
        else:
            print("latency isolation ...", flush=True)
            data["isolation"] = isolation(ours, args.ours_path, args.slow_path, client_cpus, args.seconds, 3)
        ratio = statistics.median(r.rps for r in results["ours"].runs) / statistics.median(
            r.rps for r in results["minimal"].runs
        )
        data["profile"] = []
        if ratio < 0.90:
            print("profiling ours with py-spy ...", flush=True)
            data["profile"] = profile(ours, ours.url(args.ours_path), client_cpus, 6, logdir / "ours.raw")
    data["results"] = results
    data["memory"] = memory
    data["sweep"] = [] if args.no_sweep else sweep(args, server_cpus, client_cpus, logdir)
    data["container"] = None if args.no_docker else container(args, client_cpus, logdir)
    data["notes"] = notes
    data["elapsed_s"] = time.monotonic() - started
    markdown = report.markdown(data)
    (HERE / "results.md").write_text(markdown)
    report.chart(data, HERE / "results.png")
    print(markdown)
    print(f"logs: {logdir}")
    return 0


SWEEP = [
    ("gthread, 2 workers x 8 threads (shipped)", [], {}),
    ("gthread, 2 workers x 32 threads", [], {"GUNICORN_THREADS": "32"}),
    ("gthread, 1 worker x 16 threads", [], {"WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "16"}),
    ("gthread, 4 workers x 8 threads", [], {"WEB_CONCURRENCY": "4"}),
    ("gthread, 2 x 8, keep-alive off", [], {"GUNICORN_KEEPALIVE": "0"}),
    ("sync, 2 workers", ["--worker-class", "sync"], {}),
]


def sweep(
    args: argparse.Namespace, server_cpus: str | None, client_cpus: str | None, logdir: Path
) -> list[dict[str, object]]:
    """The service under other Gunicorn settings: throughput and latency isolation for each."""
    rows: list[dict[str, object]] = []
    for i, (label, extra, env) in enumerate(SWEEP):
        print(f"sweep: {label} ...", flush=True)
        with serve(f"sweep{i}", "service.app:create_app()", server_cpus, logdir, extra, env) as server:
            wrk(server.url(args.ours_path), client_cpus, args.connections, 1)
            runs = [
                wrk(server.url(args.ours_path), client_cpus, args.connections, args.seconds) for _ in range(2)
            ]
            iso = None
            if fetch(server.url(args.slow_path), timeout=15) == 200:
                iso = isolation(server, args.ours_path, args.slow_path, client_cpus, args.seconds, 1)
            rows.append(
                {
                    "label": label,
                    "rps": statistics.median(r.rps for r in runs),
                    "p99_ms": statistics.median(r.p99_ms for r in runs),
                    "errors": sum(r.errors for r in runs),
                    "isolation": iso,
                    "rss_mb": [peak_rss_mb(pid) for pid in server.worker_pids()],
                }
            )
    return rows


def container(args: argparse.Namespace, client_cpus: str | None, logdir: Path) -> dict[str, object]:
    """Cold start to healthy, the image's added size, a worker's peak memory, and `make test`'s wall time."""
    env = dict(os.environ)
    port = env.setdefault("SERVICE_PORT", "8000")
    compose = ["docker", "compose"]
    out: dict[str, object] = {}

    def run(argv: list[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=True
        )

    print("container: build ...", flush=True)
    run([*compose, "--profile", "test", "build", "--quiet"], timeout=600)
    try:
        waits, firsts = [], []
        for _ in range(3):
            run([*compose, "--profile", "test", "down", "--remove-orphans", "--timeout", "5"])
            first: list[float] = []
            t0 = time.monotonic()
            poller = threading.Thread(
                target=poll_health, args=(f"http://127.0.0.1:{port}/healthz", t0, first)
            )
            poller.start()
            run([*compose, "up", "--detach", "--wait", "service"], timeout=60)
            waits.append(time.monotonic() - t0)
            poller.join(timeout=30)
            if first:
                firsts.append(first[0])
        out["cold_wait_s"] = waits
        out["cold_first_200_s"] = firsts
        cid = run([*compose, "ps", "-q", "service"]).stdout.strip()
        image = run(["docker", "inspect", "-f", "{{.Image}}", cid]).stdout.strip()
        base = env.get("PYTHON_IMAGE", "python:3.13-slim")
        size = int(run(["docker", "image", "inspect", "-f", "{{.Size}}", image]).stdout)
        base_size = int(run(["docker", "image", "inspect", "-f", "{{.Size}}", base]).stdout)
        out["image_mb"], out["base_mb"], out["base"] = size / 1e6, base_size / 1e6, base
        out["added_mb"] = (size - base_size) / 1e6
        layers = run(
            ["docker", "history", "--no-trunc", "--format", "{{.Size}}\t{{.CreatedBy}}", image]
        ).stdout
        base_layers = len(run(["docker", "history", "-q", base]).stdout.split())
        out["layers"] = [line.split("\t", 1) for line in layers.splitlines()[: -base_layers or None]]
        master = int(run(["docker", "inspect", "-f", "{{.State.Pid}}", cid]).stdout)
        wrk(f"http://127.0.0.1:{port}{args.ours_path}", client_cpus, args.connections, 3)
        out["rss_mb"] = [peak_rss_mb(pid) for pid in children(master)]
        out["stats_mem"] = run(
            ["docker", "stats", "--no-stream", "--format", "{{.MemUsage}}", cid]
        ).stdout.strip()
        run([*compose, "--profile", "test", "down", "--remove-orphans", "--timeout", "5"])
        print("container: make test (warm build cache) ...", flush=True)
        t0 = time.monotonic()
        test = subprocess.run(
            ["make", "test"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        out["make_test_s"] = time.monotonic() - t0
        out["make_test_rc"] = test.returncode
        (logdir / "make-test.log").write_text(test.stdout + test.stderr)
        tail = [
            x for x in (test.stdout + test.stderr).splitlines() if re.search(r"passed|failed|coverage", x)
        ]
        out["make_test_tail"] = tail[-3:]
    finally:
        subprocess.run(
            [*compose, "--profile", "test", "down", "--remove-orphans", "--timeout", "5"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=False,
            timeout=120,
        )
    return out


def poll_health(url: str, t0: float, first: list[float]) -> None:
    """Record when /healthz first answers 200 on the host: readiness, free of the health check's interval."""
    while time.monotonic() - t0 < 30:
        if fetch(url, timeout=1) == 200:
            first.append(time.monotonic() - t0)
            return
        time.sleep(0.02)


def machine() -> str:
    cpu = next(
        (
            x.split(":", 1)[1].strip()
            for x in Path("/proc/cpuinfo").read_text().splitlines()
            if x.startswith("model name")
        ),
        platform.processor(),
    )
    os_name = next(
        (
            x.split("=", 1)[1].strip('"')
            for x in Path("/etc/os-release").read_text().splitlines()
            if x.startswith("PRETTY_NAME=")
        ),
        platform.system(),
    )
    return f"{os.cpu_count()} x {cpu}, {os_name}, Linux {platform.release()}"


def versions() -> dict[str, str]:
    found = {"Python": platform.python_version()}
    for dist in ("flask", "werkzeug", "gunicorn", "httpbin"):
        found[dist] = version(dist)
    found["wrk"] = subprocess.run(
        ["wrk", "--version"], capture_output=True, text=True, check=False
    ).stdout.split()[1]
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        found["docker"] = subprocess.run(
            ["docker", "version", "-f", "{{.Server.Version}}"], capture_output=True, text=True, check=True
        ).stdout.strip()
    return found


def settings() -> dict[str, object]:
    """The shipped settings, as the config file computes them with no tuning variables set."""
    env = {k: v for k, v in os.environ.items() if k not in TUNING_ENV}
    code = (
        "import runpy, json; c = runpy.run_path('service/gunicorn.conf.py'); "
        "print(json.dumps({k: c[k] for k in ('worker_class', 'workers', 'threads', 'keepalive')}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    loaded: dict[str, object] = json.loads(out.stdout)
    return loaded


if __name__ == "__main__":
    sys.exit(main())
