"""Prometheus metrics summed over Gunicorn's worker processes, served by the master on METRICS_PORT.

prometheus-client's multiprocess mode, wired as its documentation does for Gunicorn: each worker
writes its values to mmap files in PROMETHEUS_MULTIPROC_DIR (a fresh directory on a tmpfs per start,
emptied in `on_starting`), `child_exit` marks a dead worker's live gauges gone, and the master serves
a MultiProcessCollector over them on its own port, never on the public one. The hooks in
service/server/gunicorn.conf.py call the functions here, configure(settings) first; the access logger
(service/server/accesslog.py) calls record() once per request. prometheus_client is imported only
after the directory is set, because it picks its storage from the environment at import time.

Multiprocess mode cannot report per-worker process metrics (their collectors read the calling
process only), so the master adds its own: CPU seconds and resident memory summed over itself and
its live workers, and the number of workers. A worker's CPU seconds leave the sum when it exits.
"""

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from service.settings import Settings, export

# Label values stay bounded: any other method (Gunicorn accepts any token) is counted as OTHER.
METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"))
DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"

# Set in each worker by start_worker(); None means metrics are off (METRICS_PORT=0) or not started.
_requests: Any = None
_duration: Any = None
_in_flight: Any = None
_faults: Any = None
_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
_created_dir: str | None = None
# METRICS_PORT and PROMETHEUS_MULTIPROC_DIR, from configure(); 0 until then: off.
_port = 0
_dir: str | None = None


def configure(settings: Settings) -> None:
    """Master, first: take the port and the directory from the service's settings (on_starting)."""
    global _port, _dir
    _port, _dir = settings.metrics_port, settings.metrics_dir


def port() -> int:
    """METRICS_PORT: 9100 by default; 0 turns metrics off."""
    return _port


def prepare() -> None:
    """Master, before any worker: a fresh, empty directory for the workers' files (on_starting)."""
    global _created_dir
    if not port():
        return
    path = _dir
    if path:
        os.makedirs(path, exist_ok=True)
        for name in os.listdir(path):  # values left by an earlier run would be summed into this one
            if name.endswith(".db"):
                os.remove(os.path.join(path, name))
    else:
        # /dev/shm is a tmpfs on Linux and writable in the container, whose root is read-only.
        base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108 - a tmpfs
        _created_dir = path = tempfile.mkdtemp(prefix="prometheus-", dir=base)
    # prometheus-client picks its storage from this variable when imported: set it, named or made.
    export(DIR_VARIABLE, path)


def serve(arbiter: Any) -> None:
    """Master: serve /metrics on METRICS_PORT, on the host Gunicorn binds (when_ready)."""
    if not (number := port()):
        return
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    registry.register(ProcessesCollector(arbiter))
    address = next((a for a in arbiter.cfg.address if isinstance(a, tuple)), ("127.0.0.1", 0))
    start_http_server(number, addr=address[0], registry=registry)
    arbiter.log.info("Metrics on http://%s:%d/metrics", address[0], number)


def worker_exited(pid: int) -> None:
    """Master: drop a dead worker's live gauges (child_exit); its counters stay in the sums."""
    if port():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


def cleanup() -> None:
    """Master, on exit: remove the directory prepare() made (one the user named is left)."""
    if _created_dir:
        shutil.rmtree(_created_dir, ignore_errors=True)


def start_worker() -> None:
    """Worker, after fork: create the metrics (post_fork)."""
    global _requests, _duration, _in_flight, _faults
    if not port():
        return
    from prometheus_client import Counter, Gauge, Histogram

    _requests = Counter(
        "http_requests_total", "Requests answered, by method, route template and status code.",
        ["method", "route", "status"],
    )  # fmt: skip
    _duration = Histogram(
        "http_request_duration_seconds", "Time from request head to response sent, by route template.",
        ["route"],
    )  # fmt: skip
    _faults = Counter(
        "http_faults_total", "Answers /status?fault= broke on purpose, by fault (empty, reset, ...).",
        ["fault"],
    )  # fmt: skip
    _in_flight = Gauge(
        "http_requests_in_flight", "Requests being handled now, all workers.", multiprocess_mode="livesum"
    )


def record(method: str, route: str, status: int, seconds: float) -> None:
    """One answered request: the counter and the histogram (children cached: labels() takes a lock)."""
    if _requests is None:
        return
    key = (method if method in METHODS else "OTHER", route, status)
    try:
        counter, histogram = _children[key]
    except KeyError:
        counter = _requests.labels(key[0], route, str(status))
        histogram = _duration.labels(route)
        _children[key] = counter, histogram
    counter.inc()
    histogram.observe(seconds)


def fault(kind: str) -> None:
    """One answer broken on purpose (service/tester/faults.py); kind is one of its few names."""
    if _faults is not None:
        _faults.labels(kind).inc()


def request_started() -> None:
    if _in_flight is not None:
        _in_flight.inc()


def request_finished() -> None:
    if _in_flight is not None:
        _in_flight.dec()


class ProcessesCollector:
    """CPU seconds and resident memory of the master and its live workers, summed, from /proc."""

    def __init__(self, arbiter: Any) -> None:
        self.arbiter = arbiter
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.page = os.sysconf("SC_PAGE_SIZE")

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        workers = list(self.arbiter.WORKERS)
        cpu, rss = 0.0, 0.0
        for pid in [os.getpid(), *workers]:
            fields = self.stat(pid)
            if fields:
                cpu += (int(fields[11]) + int(fields[12])) / self.ticks  # utime, stime
                rss += int(fields[21]) * self.page
        yield CounterMetricFamily(
            "process_cpu_seconds", "CPU seconds of the Gunicorn master and its live workers.", value=cpu
        )
        yield GaugeMetricFamily(
            "process_resident_memory_bytes", "Resident memory of the master and its live workers.", value=rss
        )
        yield GaugeMetricFamily("gunicorn_workers", "Live Gunicorn worker processes.", value=len(workers))

    def stat(self, pid: int) -> list[str]:
        # The fields after the command name, which may itself hold spaces and parentheses.
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                return f.read().rsplit(b")", 1)[1].decode().split()
        except (OSError, IndexError):
            return []

    def describe(self) -> Iterable[Any]:
        return []
