"""Two stock retry policies against a failing sequence, and what the attempt log says they did.

Issue 27's check, shared by client_tests (the compose stack, two workers) and fleet_tests (three
replicas behind HAProxy): urllib3's `Retry(status_forcelist=[503], respect_retry_after_header=True)`
and `curl --retry` each ask `/status/503:2,200?sequence=<key>&retry_after=1`, each measuring on its own
side how long it waited before every retry (urllib3: a Retry whose sleep() is timed; curl: the waits
it announces, "Will retry in N seconds"). Then GET /sequences/<key> gives the gaps the server saw.
A gap holds the wait plus one round trip and the server's own work, so it may exceed the wait by a
little and never fall short of it; MATCH bounds "a little".
"""

import re
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

PATH = "/status/503:2,200?sequence={key}&retry_after=1"
RETRY_AFTER = 1.0
MATCH = 0.1  # seconds: the "gaps that match the client's behaviour to within 100 ms"
TIMEOUT = 20.0


@dataclass
class Run:
    """One client's run: the status it ended on, its own waits, and the attempt log's view of it."""

    client: str  # and how it retried
    status: int
    waits: list[float]
    log: dict[str, Any]

    @property
    def gaps(self) -> list[float]:
        return [float(gap) for gap in self.log["summary"]["gaps_s"]]

    def mismatches(self) -> list[str]:
        """Each retry whose gap is not its wait within MATCH (an empty list: the log matches)."""
        if len(self.gaps) != len(self.waits):
            return [f"{len(self.waits)} waits but {len(self.gaps)} gaps"]
        return [
            f"retry {n}: waited {wait:.3f} s, the log says {gap:.3f} s"
            for n, (wait, gap) in enumerate(zip(self.waits, self.gaps, strict=True), start=2)
            if not 0 <= gap - wait < MATCH
        ]


def fresh_key(client: str) -> str:
    return f"{client}-{uuid.uuid4().hex}"


def read_log(base_url: str, key: str) -> dict[str, Any]:
    answer = httpx.get(f"{base_url}/sequences/{key}", timeout=10.0)
    answer.raise_for_status()
    found: dict[str, Any] = answer.json()
    return found


def with_urllib3(base_url: str) -> Run:
    """urllib3's own Retry, as its documentation configures it, with its sleeps timed."""
    from urllib3 import PoolManager
    from urllib3.util.retry import Retry

    waits: list[float] = []

    class TimedRetry(Retry):  # Retry.new() makes each next one with type(self): all timed
        def sleep(self, response: Any = None) -> None:
            start = time.monotonic()
            super().sleep(response)
            waits.append(time.monotonic() - start)

    key = fresh_key("urllib3")
    retry = TimedRetry(total=3, status_forcelist=[503], respect_retry_after_header=True, backoff_factor=0)
    with PoolManager(retries=retry, timeout=TIMEOUT) as pool:
        answer = pool.request("GET", base_url + PATH.format(key=key))
    return Run("urllib3 Retry", answer.status, waits, read_log(base_url, key))


def with_curl(base_url: str) -> Run:
    """`curl --retry 3`, whose waits are what it announces on stderr (whole seconds)."""
    key = fresh_key("curl")
    with tempfile.NamedTemporaryFile() as body:  # --retry truncates its output: never /dev/null
        command = [shutil.which("curl") or "curl", "--retry", "3", "--max-time", str(TIMEOUT)]
        command += ["-o", body.name, "-w", "%{http_code}", base_url + PATH.format(key=key)]
        # A fixed argv whose URL is the suite's own service.
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT + 10, check=False)  # noqa: S603
    waits = [
        float(s) for s in re.findall(r"Will retry in (\d+) seconds?", done.stderr.decode(errors="replace"))
    ]
    return Run("curl --retry", int(done.stdout or b"0"), waits, read_log(base_url, key))


def figures(run: Run) -> str:
    """One line for a suite's figures table."""
    waits = ", ".join(f"{w:.3f}" for w in run.waits)
    gaps = ", ".join(f"{g:.3f}" for g in run.gaps)
    return f"ended {run.status}; waited [{waits}] s; the log's gaps [{gaps}] s"
