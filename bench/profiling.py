"""Where a server's time goes: py-spy samples every worker under wrk load, summed by package and function."""

import re
import subprocess
import time
from pathlib import Path

from bench.harness import BIN, Server, pinned, wrk

# Where a sample's innermost frame lives, by path fragment: the first match names its area.
AREAS = (
    ("service/", "the service's own code"),
    ("bench/floors", "the floor app"),
    ("flask/", "Flask"),
    ("werkzeug/", "Werkzeug"),
    ("glogging", "Gunicorn access log"),
    ("logging/", "logging (access log)"),
    ("gunicorn/", "Gunicorn (HTTP parsing, I/O, threads)"),
    ("json/", "json"),
)


Profile = dict[str, list[tuple[str, float]]]


def profile(server: Server, url: str, cpus: str | None, seconds: int, out: Path) -> Profile:
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
    wrk(url, cpus, 32, seconds - 1)
    spy.wait(timeout=seconds + 30)
    return summarize(out) if out.exists() else {"areas": [], "functions": []}


def summarize(raw: Path) -> Profile:
    """Self time by area (innermost frame), and inclusive time of each app-level function."""
    areas: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    total = 0
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
        seen = set()
        for frame in frames:
            if any(key in frame for key in ("service/", "bench/floors", "flask/", "werkzeug/", "glogging")):
                name = re.sub(r":\d+\)$", ")", frame)
                if name not in seen:
                    seen.add(name)
                    inclusive[name] = inclusive.get(name, 0) + n

    def top(counts: dict[str, int], limit: int) -> list[tuple[str, float]]:
        return sorted(((k, 100 * v / total) for k, v in counts.items()), key=lambda kv: -kv[1])[:limit]

    return {"areas": top(areas, 12), "functions": top(inclusive, 20)}
