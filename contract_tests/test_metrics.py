"""The Prometheus endpoint on the metrics port (docs/running.md "Observability"): requests are
counted by method, route template and status. The real-Prometheus scrape is `make test-metrics`."""

import re
import time

import httpx


def count(metrics_url: str, method: str, route: str, status: int) -> float:
    text = httpx.get(metrics_url, timeout=10).text
    labels = rf'method="{method}",route="{re.escape(route)}",status="{status}"'
    found = re.search(rf"^http_requests_total\{{{labels}\}} (\S+)$", text, re.M)
    return float(found.group(1)) if found else 0.0


def test_metrics_are_prometheus_text(metrics_url: str) -> None:
    response = httpx.get(metrics_url, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    for name in ("http_requests_total", "http_request_duration_seconds", "http_requests_in_flight"):
        assert f"# TYPE {name} " in response.text
    assert "process_cpu_seconds_total " in response.text


def test_requests_are_counted_by_route_template_and_status(client: httpx.Client, metrics_url: str) -> None:
    before = count(metrics_url, "GET", "/status/<codes>", 418)
    for _ in range(3):
        assert client.get("/status/418").status_code == 418
    # A request is counted once its response is sent, so the last one may land a moment later.
    deadline = time.monotonic() + 5
    while count(metrics_url, "GET", "/status/<codes>", 418) < before + 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert count(metrics_url, "GET", "/status/<codes>", 418) == before + 3


def test_unmatched_paths_share_one_label(client: httpx.Client, metrics_url: str) -> None:
    before = count(metrics_url, "GET", "<unmatched>", 404)
    for path in ("/no-such-1", "/no-such-2"):
        assert client.get(path).status_code == 404
    deadline = time.monotonic() + 5
    while count(metrics_url, "GET", "<unmatched>", 404) < before + 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert count(metrics_url, "GET", "<unmatched>", 404) == before + 2
    assert "no-such" not in httpx.get(metrics_url, timeout=10).text
