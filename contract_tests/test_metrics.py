"""The Prometheus endpoint on the metrics port (docs/running.md "Observability"): requests are
counted by method, route template and status. The real-Prometheus scrape is `make test-metrics`."""

import re
import time
from collections.abc import Callable

import httpx
import pytest
from helpers import raw_exchange, raw_get
from websockets.sync.client import connect


def count(metrics_url: str, method: str, route: str, status: int) -> float:
    text = httpx.get(metrics_url, timeout=10).text
    labels = rf'method="{method}",route="{re.escape(route)}",status="{status}"'
    found = re.search(rf"^http_requests_total\{{{labels}\}} (\S+)$", text, re.M)
    return float(found.group(1)) if found else 0.0


def wait_for(metrics_url: str, method: str, route: str, status: int, expected: float) -> float:
    """The count once it reaches expected, or after 5 s: a request is counted once its answer is sent."""
    deadline = time.monotonic() + 5
    while (now := count(metrics_url, method, route, status)) < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return now


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
    assert wait_for(metrics_url, "GET", "/status/<codes>", 418, before + 3) == before + 3


def test_unmatched_paths_share_one_label(client: httpx.Client, metrics_url: str) -> None:
    before = count(metrics_url, "GET", "<unmatched>", 404)
    for path in ("/no-such-1", "/no-such-2"):
        assert client.get(path).status_code == 404
    assert wait_for(metrics_url, "GET", "<unmatched>", 404, before + 2) == before + 2
    assert "no-such" not in httpx.get(metrics_url, timeout=10).text


def _trailers_over_http1(base_url: str) -> None:
    assert raw_exchange(base_url, raw_get(base_url, "/trailers?X-Check=ok")).startswith(b"HTTP/1.1 200 ")


def _websocket_session(base_url: str) -> None:
    with connect(base_url.replace("http", "ws", 1).rstrip("/") + "/websocket/echo", open_timeout=10) as ws:
        ws.send("counted")
        assert ws.recv(timeout=5) == "counted"


@pytest.mark.parametrize(
    ("exchange", "route", "status"),
    [(_trailers_over_http1, "/trailers", 200), (_websocket_session, "/websocket/echo", 101)],
)
def test_answers_the_view_writes_on_the_connection_are_counted(
    base_url: str, metrics_url: str, exchange: Callable[[str], None], route: str, status: int
) -> None:
    # /trailers over HTTP/1.1 and a WebSocket session write their own bytes on the connection; the server
    # still learns their status, so they are logged and counted like any answer.
    before = count(metrics_url, "GET", route, status)
    exchange(base_url)
    assert wait_for(metrics_url, "GET", route, status, before + 1) == before + 1
