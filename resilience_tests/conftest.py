"""Fixtures for the resilience suite: the running container (BASE_URL), docker compose, the test order.

The suite is black-box like the contract suite: it imports nothing from service/. It also drives
docker compose (stop, kill, exec) for the fault and hardening tests, so it runs on the host against the
compose project that `make test-resilience` started (COMPOSE_PROJECT_NAME and SERVICE_PORT in the
environment). Every loop here is bounded in count and time, and all traffic goes to 127.0.0.1.
"""

from collections.abc import Iterator

import httpx
import pytest
from harness import Compose

# --base-url, the `base_url` fixture (a bounded wait for /healthz) and the figures table: the kit.
pytest_plugins = ["testkit.plugin"]

# Hostile input, hardening and judges first; load next; faults last, because they stop and kill things.
ORDER = (
    "test_hostile",
    "test_hardening",
    "test_judges",
    "test_load",
    "test_slow_clients",
    "test_http2",
    "test_wire_faults",
    "test_faults",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        module = item.path.stem
        return ORDER.index(module) if module in ORDER else len(ORDER)

    items.sort(key=rank)  # stable: the order within a module is kept


@pytest.fixture(scope="session")
def compose() -> Compose:
    return Compose()


@pytest.fixture(scope="session")
def client(base_url: str) -> Iterator[httpx.Client]:
    """A client that never follows redirects: where a redirect points is the thing under test."""
    with httpx.Client(base_url=base_url, follow_redirects=False, timeout=15.0) as made:
        yield made
