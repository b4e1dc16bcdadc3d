"""Fixtures for the resilience suite: the running container (BASE_URL), docker compose, and the figures.

The suite is black-box like the contract suite: it imports nothing from service/. It also drives
docker compose (stop, kill, exec) for the fault and hardening tests, so it runs on the host against the
compose project that `make test-resilience` started (COMPOSE_PROJECT_NAME and SERVICE_PORT in the
environment). Every loop here is bounded in count and time, and all traffic goes to 127.0.0.1.
"""

import os
from collections.abc import Iterator

import httpx
import pytest
from harness import FIGURES, Compose, wait_until_healthy

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


def pytest_addoption(parser: pytest.Parser) -> None:
    port = os.environ.get("SERVICE_PORT", "8000")
    parser.addoption(
        "--base-url",
        default=os.environ.get("BASE_URL", f"http://127.0.0.1:{port}"),
        help="the service container under test (default: $BASE_URL or http://127.0.0.1:$SERVICE_PORT)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        module = item.path.stem
        return ORDER.index(module) if module in ORDER else len(ORDER)

    items.sort(key=rank)  # stable: the order within a module is kept


@pytest.fixture(scope="session")
def base_url(request: pytest.FixtureRequest) -> str:
    url = str(request.config.getoption("--base-url")).rstrip("/")
    wait_until_healthy(url, seconds=60)
    return url


@pytest.fixture(scope="session")
def compose() -> Compose:
    return Compose()


@pytest.fixture(scope="session")
def client(base_url: str) -> Iterator[httpx.Client]:
    """A client that never follows redirects: where a redirect points is the thing under test."""
    with httpx.Client(base_url=base_url, follow_redirects=False, timeout=15.0) as made:
        yield made


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES:
        return
    terminalreporter.section("resilience figures")
    width = max(len(name) for name in FIGURES)
    for name, value in FIGURES.items():
        terminalreporter.write_line(f"{name:<{width}}  {value}")
