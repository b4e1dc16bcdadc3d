"""Load: a bounded wrk run with a realistic mix, while other connections sit in delayed requests.

Asserts correctness only (no connection errors, every status as expected, fast endpoints answered
while slow ones are held); the latency figures are reported, not asserted (speed is `make bench`'s).
"""

import threading
from typing import Any

import pytest
from harness import ms, wrk

from testkit.plugin import FIGURES

# "METHOD PATH STATUS": fast successes, errors the app answers itself, and /status codes.
FAST_MIX = [
    "GET /healthz 200",
    "GET /success 200",
    "GET /right 404",
    "GET /no/such/page 404",
    "POST /success 405",
    "GET /openapi.json 200",
    "GET /status/418 418",
    "GET /status/503 503",
    "GET /status/204 204",
    "POST /status/201 201",
]
# Held for 2 s each: 8 connections keep 8 of the service's 64 threads (2 workers x 32) busy sleeping.
SLOW_MIX = ["GET /status/200?delay=2 200"]
FAST_CONNECTIONS, SLOW_CONNECTIONS = 56, 8
SECONDS = 15


def check(result: dict[str, Any], label: str) -> None:
    errors = result["errors"]
    assert errors == {"connect": 0, "read": 0, "write": 0, "timeout": 0}, f"{label}: {errors}"
    assert result["unexpected"] == 0, f"{label}: first unexpected {result['first_unexpected']}"
    assert result["answered"] == result["requests"], f"{label}: answered {result['answered']}"


@pytest.mark.status_api
def test_mixed_load_with_held_slow_requests(base_url: str) -> None:
    unloaded = wrk(base_url, FAST_MIX, connections=1, seconds=3)
    check(unloaded, "unloaded")

    slow: dict[str, Any] = {}
    holder = threading.Thread(
        target=lambda: slow.update(wrk(base_url, SLOW_MIX, connections=SLOW_CONNECTIONS, seconds=SECONDS))
    )
    holder.start()
    try:
        fast = wrk(base_url, FAST_MIX, connections=FAST_CONNECTIONS, seconds=SECONDS)
    finally:
        holder.join(timeout=SECONDS + 40)
    check(fast, "fast mix under load")
    check(slow, "delayed requests")
    # Every fast endpoint kept being answered while the delayed ones were held.
    for entry in FAST_MIX:
        assert entry.split()[2] in fast["statuses"]
    assert slow["statuses"] == {"200": slow["requests"]}

    FIGURES["load: connections"] = (
        f"{FAST_CONNECTIONS} fast mix + {SLOW_CONNECTIONS} held in delay=2s, {SECONDS}s"
    )
    FIGURES["load: requests sent"] = f"{fast['requests'] + slow['requests']} ({slow['requests']} delayed 2s)"
    FIGURES["load: failures"] = (
        f"{sum(fast['errors'].values()) + sum(slow['errors'].values())} connection errors, "
        f"{fast['unexpected'] + slow['unexpected']} unexpected statuses"
    )
    FIGURES["load: fast mix p99 unloaded / loaded"] = (
        f"{ms(unloaded['p99_us'] / 1e6)} / {ms(fast['p99_us'] / 1e6)} "
        f"({fast['requests'] / (fast['duration_us'] / 1e6):.0f} req/s loaded)"
    )
