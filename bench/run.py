"""`make bench`: the service's throughput and latency beside its floors and httpbin, plus container figures.

Every server runs on the host's loopback from bench/.venv under `-c service/server/gunicorn.conf.py` (only the
app and the bind differ), pinned to one core while wrk runs pinned to the other. Targets alternate
A B C ... over several rounds; the medians, min-max spread and p50/p99 go to bench/results.md (also
printed) and a chart to bench/results.png. See docs/performance.md for how to read them.
"""

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench import http2, report
from bench.container import container
from bench.harness import (
    HERE,
    ROOT,
    TUNING_ENV,
    Result,
    Server,
    fetch,
    isolation,
    load_mix,
    peak_rss_mb,
    serve,
    wrk,
)
from bench.profiling import profile

# The access log format service/server/gunicorn.conf.py had before its own logger: the "stock" target's.
STOCK_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus'


# Rows measured on another row's server (another path of the same process), not on a server of their own.
SHARED = {"mixed": "ours", "never": "ours", "get": "ours", "httpbin_get": "httpbin"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ours-path", default=os.environ.get("BENCH_OURS_PATH", "/status/200"))
    parser.add_argument("--slow-path", default=os.environ.get("BENCH_SLOW_PATH", "/status/200?delay=1"))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "5")))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "5")))
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--no-docker", action="store_true", help="skip the container and `make test` figures")
    parser.add_argument("--no-sweep", action="store_true", help="skip the Gunicorn settings sweep")
    parser.add_argument("--profile", action="store_true", help="profile even when the targets are met")
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
        "load": os.getloadavg(),
        "versions": versions(),
        "settings": settings(),
        "args": vars(args),
        "cpus": (server_cpus, client_cpus),
    }
    notes: list[str] = []
    targets = [
        ("ours", "service.app:create_app()", args.ours_path, f"ours `{args.ours_path}`"),
        ("never", "service.app:create_app()", args.ours_path, "ours, never repeated"),
        ("mixed", "service.app:create_app()", None, "ours, mixed set"),
        ("get", "service.app:create_app()", "/get", "ours `/get`"),
        ("stock", "service.app:create_app()", args.ours_path, "ours, stock log, no metrics"),
        ("minimal", "bench.floors:minimal_flask", "/status/200", "minimal Flask"),
        ("bare", "bench.floors:bare_wsgi", "/status/200", "bare WSGI"),
        ("httpbin", "httpbin:app", "/status/200", "httpbin `/status/200`"),
        ("httpbin_get", "httpbin:app", "/get", "httpbin `/get`"),
        ("httpbin_shipped", "httpbin:app", "/status/200", "httpbin as shipped (gevent)"),
    ]
    # How each server differs from the service's config file (every other setting is the file's).
    options: dict[str, dict[str, Any]] = {
        # The service as it was before its own logger: Gunicorn's stock access logger (with the format
        # the service used then) and no metrics.
        "stock": {
            "extra": ["--logger-class", "gunicorn.glogging.Logger", "--access-logformat", STOCK_FORMAT],
            "env": {"METRICS_PORT": "0"},
        },
        # httpbin's own image: `gunicorn -b 0.0.0.0:80 httpbin:app -k gevent`, so one gevent worker and
        # no access log, none of the service's settings.
        "httpbin_shipped": {"config": False, "extra": ["-k", "gevent"]},
    }
    results = {name: Result(name, label) for name, _, _, label in targets}
    memory: dict[str, list[float]] = {}
    with contextlib.ExitStack() as stack:
        servers: dict[str, Server] = {}
        for name, app, _, _ in targets:
            if name in SHARED:
                servers[name] = servers[SHARED[name]]
            else:
                launching = serve(name, app, server_cpus, logdir, **options.get(name, {}))
                servers[name] = stack.enter_context(launching)
        ours = servers["ours"]
        if (status := fetch(ours.url(args.ours_path))) != 200:
            notes.append(f"`{args.ours_path}` answered {status}, not 200: its row measures that answer.")
        mixfile = logdir / "mix.txt"
        kept, error_share, mix_notes = load_mix(ours, HERE / "mix.txt", mixfile)
        results["mixed"].note = f"{kept} requests in turn, {error_share:.0%} of them 4xx/5xx by design"
        results["never"].note = "every request carries its own X-Bench-Count, so none is replayed"
        notes += mix_notes
        # What bench/wrk.lua sends besides the URL's one request: the mix, or a counter header.
        script = {"mixed": [str(mixfile)], "never": ["--distinct"]}
        for name, _, path, _ in targets:  # warm every worker's code paths before measuring
            wrk(servers[name].url(path or "/"), client_cpus, args.connections, 1, script.get(name))
        for rnd in range(args.rounds):
            for name, _, path, label in targets:
                run = wrk(
                    servers[name].url(path or "/"),
                    client_cpus,
                    args.connections,
                    args.seconds,
                    script.get(name),
                )
                results[name].runs.append(run)
                print(
                    f"round {rnd + 1}/{args.rounds} {label:28} {run.rps:6.0f} req/s p99 {run.p99_ms:6.1f} ms",
                    flush=True,
                )
        for name, server in servers.items():
            if name not in SHARED:
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
        print(
            "HTTP/2: streams side by side on one connection, 100 connections beside HTTP/1.1 ...", flush=True
        )
        try:
            data["http2"] = http2.figures(ours, args.ours_path, client_cpus)
        except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
            data["http2"] = None
            notes.append(f"HTTP/2 figures skipped: {exc}")
        # Always: the access log's share of CPU is one of the figures (ours, and the stock logger's).
        print("py-spy on ours (replayed, never repeated), the stock logger, minimal Flask ...", flush=True)
        data["profile"] = {
            name: profile(
                servers[name],
                servers[name].url(path),
                client_cpus,
                6,
                logdir / f"{name}.raw",
                script.get(name),
            )
            for name, path in (
                ("ours", args.ours_path),
                ("never", args.ours_path),
                ("stock", args.ours_path),
                ("minimal", "/status/200"),
            )
        }
    data["results"] = results
    data["memory"] = memory
    data["sweep"] = [] if args.no_sweep else sweep(args, server_cpus, client_cpus, logdir)
    data["container"] = None
    if not args.no_docker:
        try:
            data["container"] = container(args, client_cpus, logdir)
        except (OSError, subprocess.SubprocessError) as exc:  # no engine or a failed build: keep the rest
            notes.append(f"Container figures skipped: {exc} (see {logdir}).")
    data["notes"] = notes
    data["elapsed_s"] = time.monotonic() - started
    markdown = report.markdown(data)
    (HERE / "results.md").write_text(markdown)
    report.chart(data, HERE / "results.png")
    if report.update_page(ROOT / "docs" / "performance.md", report.page_block(data, markdown)):
        print("docs/performance.md: the figures are updated")
    print(markdown)
    print(f"logs: {logdir}")
    return 0


# The service under other settings; every row sets its own numbers, whatever the file's defaults are.
# (The service's own settings, gevent with 2 workers, are the throughput target "ours" above: no row of
# its own. One worker and keep-alive off were dropped to keep `make bench` within 10 minutes: a pinned
# core cannot show workers scaling (1 worker 1,290 req/s, 2 workers 1,041 in the 17:23 UTC run, noise),
# and keep-alive off's cost is known (12-25% of req/s, gunicorn.conf.py's comment on keepalive).)
SWEEP = [
    # Gunicorn's own gthread, as the service ran before (then with a subclass; docs/performance.md).
    (
        "gthread, 2 workers x 32 threads",
        ["--worker-class", "gthread", "--threads", "32"],
        {"WEB_CONCURRENCY": "2"},
    ),
    ("sync, 2 workers", ["--worker-class", "sync"], {"WEB_CONCURRENCY": "2"}),
]


def sweep(
    args: argparse.Namespace, server_cpus: str | None, client_cpus: str | None, logdir: Path
) -> list[dict[str, object]]:
    """The service under other Gunicorn settings: throughput and latency isolation for each."""
    rows: list[dict[str, object]] = []
    for i, (label, extra, env) in enumerate(SWEEP):
        print(f"sweep: {label} ...", flush=True)
        with contextlib.ExitStack() as stack:
            try:
                server = stack.enter_context(
                    serve(f"sweep{i}", "service.app:create_app()", server_cpus, logdir, extra, env)
                )
            except RuntimeError as exc:  # a row that cannot start (a setting out of bounds) loses only itself
                print(f"sweep: {label} skipped: {exc}", flush=True)
                continue
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
    for dist in ("flask", "werkzeug", "gunicorn", "httpbin", "gevent", "prometheus-client"):
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
        "import runpy, json; c = runpy.run_path('service/server/gunicorn.conf.py'); "
        "print(json.dumps({k: c[k] for k in ('worker_class', 'workers', 'worker_connections', 'keepalive')}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    loaded: dict[str, object] = json.loads(out.stdout)
    return loaded


if __name__ == "__main__":
    sys.exit(main())
