"""Where a server's time goes: py-spy samples every worker under wrk load, summed by package and function."""

import re
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.harness import BIN, Server, pinned, wrk

# Where a sample's innermost frame lives, by path fragment: the first match names its area.
AREAS = (
    ("service/accesslog", "access log (ours)"),
    ("service/metrics", "metrics (ours)"),
    ("prometheus_client/", "metrics (prometheus_client)"),
    ("service/", "the service's own code"),
    ("bench/floors", "the floor app"),
    ("flask/", "Flask"),
    ("werkzeug/", "Werkzeug"),
    ("glogging", "Gunicorn access log"),
    ("logging/", "logging (access log)"),
    ("gunicorn/", "Gunicorn (HTTP parsing, I/O, threads)"),
    ("json/", "json"),
)


# A sample is the access log's when a frame of an access() method is on its stack, and not the
# metrics' (service/server/accesslog.py's access() also counts the request; that share is reported apart).
# py-spy names a frame "function (path/to/file.py:line)", the path as the interpreter has it.
ACCESS_FILES = ("service/server/accesslog.py", "gunicorn/glogging.py")
# The config file's request hooks do nothing but count requests in flight.
METRICS_FILES = ("service/server/metrics.py", "prometheus_client/", "service/server/gunicorn.conf.py")


def is_access(frame: str) -> bool:
    # "AccessLogger.access (.../service/server/accesslog.py:83)" or
    # "Logger.access (.../gunicorn/glogging.py:391)"
    name = frame.split(" (", 1)[0]
    return name.rsplit(".", 1)[-1] == "access" and any(f in frame for f in ACCESS_FILES)


def is_metrics(frame: str) -> bool:
    return any(f in frame for f in METRICS_FILES)


Profile = dict[str, Any]


def profile(
    server: Server, url: str, cpus: str | None, seconds: int, out: Path, script_args: list[str] | None = None
) -> Profile:
    """py-spy on every worker while wrk loads `url`; the share of samples by area and by function."""
    # --gil: only the thread holding the GIL is sampled, so the shares are CPU time, not threads queued
    # on a lock (with 32 threads most are waiting, e.g. on the logging handler's lock).
    argv = [str(BIN / "py-spy"), "record", "--format", "raw", "--subprocesses", "--nonblocking", "--gil"]
    argv += ["-r", "250"]
    spy = subprocess.Popen(
        pinned(cpus, [*argv, "-d", str(seconds), "-o", str(out), "-p", str(server.proc.pid)]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1)
    wrk(url, cpus, 32, seconds - 1, script_args)
    spy.wait(timeout=seconds + 30)
    empty: Profile = {"areas": [], "functions": [], "access_log": float("nan"), "metrics": float("nan")}
    return summarize(out) if out.exists() else empty


def summarize(raw: Path) -> Profile:
    """Self time by area (innermost frame), and inclusive time of each app-level function."""
    areas: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    total = logging = metrics = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [f for f in stack.split(";") if not f.startswith("process ")]
        if not frames:
            continue
        n = int(count)
        total += n
        leaf = frames[-1]
        area = next((name for key, name in AREAS if key in leaf), "stdlib / other")
        areas[area] = areas.get(area, 0) + n
        in_metrics = any(is_metrics(frame) for frame in frames)
        metrics += n * in_metrics
        logging += n * (not in_metrics and any(is_access(frame) for frame in frames))
        seen = set()
        for frame in frames:
            keys = ("service/", "bench/floors", "flask/", "werkzeug/", "glogging", "prometheus_client/")
            if any(key in frame for key in keys):
                name = re.sub(r":\d+\)$", ")", frame)
                if name not in seen:
                    seen.add(name)
                    inclusive[name] = inclusive.get(name, 0) + n

    def top(counts: dict[str, int], limit: int) -> list[tuple[str, float]]:
        return sorted(((k, 100 * v / total) for k, v in counts.items()), key=lambda kv: -kv[1])[:limit]

    share = 100 / total if total else float("nan")
    return {
        "areas": top(areas, 14),
        "functions": top(inclusive, 20),
        "access_log": logging * share,
        "metrics": metrics * share,
    }
