"""Fixtures for the black-box contract suite: it knows only BASE_URL, never the code in service/."""

import os
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

# The session-end hook lives beside the recorder; re-exported here so pytest registers it.
from contract_coverage import RECORDER, pytest_sessionfinish  # noqa: F401

# --base-url / BASE_URL and the bounded wait for /healthz (the `base_url` fixture) come from the kit.
pytest_plugins = ["testkit.plugin"]
# A module marked `pytestmark = pytest.mark.both_protocols` runs each test that uses `client` (or
# `protocol`) once over HTTP/1.1 and once over HTTP/2 (cleartext, prior knowledge).
PROTOCOLS = ("HTTP/1.1", "HTTP/2")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--metrics-url",
        default=os.environ.get("METRICS_URL", ""),
        help="its Prometheus endpoint on the metrics port (default: $METRICS_URL; unset: those tests skip)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_protocols: run the module's client tests over HTTP/1.1 and HTTP/2"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "protocol" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_protocols"):
        metafunc.parametrize("protocol", PROTOCOLS, indirect=True, scope="session")


@pytest.fixture(scope="session")
def protocol(request: pytest.FixtureRequest) -> str:
    """The HTTP version the test's client speaks: HTTP/1.1 unless the module runs over both."""
    return str(getattr(request, "param", "HTTP/1.1"))


def require_http2(response: httpx.Response) -> None:
    """An HTTP/2 client's response hook: a test meant for HTTP/2 must not pass over HTTP/1.1."""
    if response.http_version != "HTTP/2":
        raise AssertionError(f"{response.request.url} came back over {response.http_version}, not HTTP/2")


@pytest.fixture(scope="session")
def metrics_url(request: pytest.FixtureRequest) -> str:
    url = str(request.config.getoption("--metrics-url"))
    if not url:
        pytest.skip("no --metrics-url / METRICS_URL: the metrics port is not reachable from here")
    return url


@pytest.fixture(scope="session")
def make_client(base_url: str) -> Iterator[Callable[..., httpx.Client]]:
    """A factory for clients that record every response for contract coverage (see contract_coverage.py).

    Use it when a test needs other settings, e.g. make_client(follow_redirects=True), or
    make_client(protocol="HTTP/2"): HTTP/2 with prior knowledge (httpx never upgrades a cleartext
    connection), and every response checked to have really come over HTTP/2.
    """
    clients: list[httpx.Client] = []

    def make(protocol: str = "HTTP/1.1", **settings: Any) -> httpx.Client:
        settings = {"follow_redirects": False, "timeout": 10.0, **settings}
        hooks: list[Callable[[httpx.Response], None]] = [RECORDER.record]
        if protocol == "HTTP/2":
            settings.update(http1=False, http2=True)
            hooks.append(require_http2)
        made = httpx.Client(base_url=base_url, event_hooks={"response": hooks}, **settings)
        clients.append(made)
        return made

    yield make
    for made in clients:
        made.close()


@pytest.fixture(scope="session")
def client(make_client: Callable[..., httpx.Client], protocol: str) -> httpx.Client:
    """One client for the session (per protocol). It never follows redirects: a redirect is the thing
    under test."""
    return make_client(protocol=protocol)
