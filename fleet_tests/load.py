"""A bounded load generator for the fleet suite: threads of httpx clients that record every outcome.

Each thread keeps its own keep-alive client (as a real caller would) and sends GET requests in a loop
until told to stop, until the shared request budget is spent, or until its deadline: bounded in count
and in time. Every request's start and end time, status and answering replica (X-Instance) is kept,
so a test can say which failures were in flight at a given moment.
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from types import TracebackType

import httpx

INSTANCE = "x-instance"


@dataclass(frozen=True)
class Outcome:
    """One request: when it started and ended (monotonic seconds), and what came back."""

    started: float
    ended: float
    status: int | None  # None: no response (connection refused, reset, timeout)
    instance: str | None
    error: str | None

    def failed(self, expected: int) -> bool:
        return self.status != expected


@dataclass
class Load:
    """GET `path` from `base_url` with `threads` clients, at most `max_requests` and `max_seconds`."""

    base_url: str
    path: str = "/status/200"
    expected: int = 200
    threads: int = 4
    max_requests: int = 100_000
    max_seconds: float = 120.0
    outcomes: list[Outcome] = field(default_factory=list)
    _claimed: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _workers: list[threading.Thread] = field(default_factory=list)

    def __enter__(self) -> "Load":
        deadline = time.monotonic() + self.max_seconds
        for _ in range(self.threads):
            worker = threading.Thread(target=self._run, args=(deadline,), daemon=True)
            worker.start()
            self._workers.append(worker)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=30)

    def wait(self) -> None:
        """Until the budget or the deadline ends the run (for a fixed number of requests)."""
        for worker in self._workers:
            worker.join(timeout=self.max_seconds + 30)

    def _claim(self) -> bool:
        """Take one request from the budget before sending it, so the total never passes it."""
        with self._lock:
            if self._claimed >= self.max_requests:
                return False
            self._claimed += 1
            return True

    def _run(self, deadline: float) -> None:
        # A read timeout above the service's longest answer here (the suite sends no delays).
        with httpx.Client(base_url=self.base_url, timeout=httpx.Timeout(15.0, connect=5.0)) as client:
            while not self._stop.is_set() and time.monotonic() < deadline and self._claim():
                started = time.monotonic()
                try:
                    response = client.get(self.path)
                    outcome = Outcome(
                        started, time.monotonic(), response.status_code, response.headers.get(INSTANCE), None
                    )
                except httpx.HTTPError as exc:
                    outcome = Outcome(started, time.monotonic(), None, None, f"{type(exc).__name__}: {exc}")
                with self._lock:
                    self.outcomes.append(outcome)

    # What the tests read.

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failed(self.expected)]

    def per_instance(self) -> Counter[str]:
        return Counter(o.instance for o in self.outcomes if o.instance is not None)

    def summary(self) -> str:
        failures = self.failures
        first = failures[0] if failures else None
        detail = f"; first: {first.status or first.error}" if first else ""
        return f"{len(self.outcomes)} requests, {len(failures)} failed{detail}"
