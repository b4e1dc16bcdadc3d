"""A real Prometheus scrapes the service container's metrics port and counts exactly what was sent.

Black-box, like the other suites: `make test-metrics` starts the container in its own compose project
(SERVICE_PORT and METRICS_PORT, free loopback ports, in the environment) and installs Debian's
`prometheus` when it is missing. This test starts Prometheus on a free loopback port with a config
in a temporary directory (scrape every second), sends a known mix, waits for a scrape taken after it,
and asks Prometheus' HTTP API for the counts by route and status. Prometheus is stopped in every case;
every wait is bounded.
"""

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from testkit.host import free_port, stop

METRICS_PORT = os.environ.get("METRICS_PORT", "9100")
# The mix the issue names, and the counts Prometheus must report for it: (route template, status).
MIX = [("/status/503", 7), ("/status/404", 5), ("/success", 3)]
EXPECTED = {("/status/<codes>", "503"): 7.0, ("/status/<codes>", "404"): 5.0, ("/success", "200"): 3.0}
QUERY = 'sum by (route, status) (http_requests_total{route=~"/status/<codes>|/success"})'
CONFIG = """
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: service
    static_configs:
      - targets: ["127.0.0.1:{port}"]
"""


def wait_for(what: str, check: Any, seconds: float) -> Any:
    """Call check() every 250 ms until it returns something truthy; fail the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if found := check():
                return found
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.fail(f"{what}: not within {seconds:.0f}s")


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.fail("prometheus is missing: `make test-metrics` installs it (apt-get install prometheus)")
    tmp = tmp_path_factory.mktemp("prometheus")
    (tmp / "prometheus.yml").write_text(CONFIG.replace("{port}", METRICS_PORT))
    url = f"http://127.0.0.1:{free_port()}"
    log = (tmp / "prometheus.log").open("wb")
    proc = subprocess.Popen(  # noqa: S603 - a fixed argv: Debian's prometheus with our own config
        [
            binary,
            f"--config.file={tmp / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp / 'data'}",
            f"--web.listen-address={url.removeprefix('http://')}",
            "--log.level=warn",
        ],
        stdout=log,
        stderr=log,
    )
    try:
        wait_for("Prometheus ready", lambda: httpx.get(f"{url}/-/ready", timeout=2).status_code == 200, 60)
        yield url
    finally:
        stop(proc, seconds=20)
        log.close()
        print(Path(log.name).read_text(errors="replace")[-2000:])


def query(prometheus: str, promql: str, at: float | None = None) -> list[dict[str, Any]]:
    """An instant query, evaluated at `at` (Unix time) or Prometheus' now."""
    params = {"query": promql} if at is None else {"query": promql, "time": f"{at:.3f}"}
    response = httpx.get(f"{prometheus}/api/v1/query", params=params, timeout=10)
    response.raise_for_status()
    body = response.json()
    assert body["status"] == "success"
    result: list[dict[str, Any]] = body["data"]["result"]
    return result


def last_scrape(prometheus: str) -> float:
    """When Prometheus last scraped the service successfully (Unix time), or 0 before the first.

    Read from the raw samples of `up`: timestamp() of an expression such as `up == 1` is the query's
    evaluation time, not the scrape's.
    """
    found = query(prometheus, 'up{job="service"}[10s]')
    return max((float(t) for t, v in found[0]["values"] if v == "1"), default=0.0) if found else 0.0


def counts(prometheus: str, at: float) -> dict[tuple[str, str], float]:
    found = query(prometheus, QUERY, at)
    return {(r["metric"]["route"], r["metric"]["status"]): float(r["value"][1]) for r in found}


def test_prometheus_counts_exactly_what_was_sent(prometheus: str, base_url: str) -> None:
    # Queries are evaluated at a scrape's own timestamp: Prometheus may stamp a scrape a few
    # milliseconds ahead of its clock, and a query at "now" would not see that scrape yet.
    first = wait_for("a first successful scrape", lambda: last_scrape(prometheus), 30)
    before = counts(prometheus, first)
    found = query(prometheus, 'http_request_duration_seconds_count{route="/success"}', first)
    before_success = float(found[0]["value"][1]) if found else 0.0
    with httpx.Client(base_url=base_url, timeout=10) as client:
        for path, times in MIX:
            for _ in range(times):
                client.get(path)
    # A request is counted once its response is sent: give the last one a moment, then need a scrape
    # that began after that.
    sent = time.time() + 0.5
    scraped = wait_for("a scrape after the mix", lambda: (t := last_scrape(prometheus)) > sent and t, 30)
    after = counts(prometheus, scraped)
    got = {key: after.get(key, 0.0) - before.get(key, 0.0) for key in after}
    assert got == EXPECTED
    # The duration histogram saw the same requests; the other series are scraped too.
    durations = query(prometheus, 'http_request_duration_seconds_count{route="/success"}', scraped)
    assert float(durations[0]["value"][1]) == before_success + 3
    assert query(prometheus, "http_requests_in_flight", scraped)
    assert float(query(prometheus, "gunicorn_workers", scraped)[0]["value"][1]) >= 1
