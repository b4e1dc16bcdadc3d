"""pytest fixtures that stand in for pytest-httpbin's, served by this service (see README.md here).

`httpbin`, `httpbin_secure` and `httpbin_both` are session-scoped servers with pytest-httpbin's
`.url`, `.host`, `.port`, `.protocol`, `.join()` and `+`; `class_based_httpbin(_secure)` set them on
a test class; `httpbin_ca_bundle` trusts the secure server's CA (REQUESTS_CA_BUNDLE, as pytest-httpbin
sets it) and returns its path. Each server starts on first use only.

STATUS_CODES_URL (and STATUS_CODES_SECURE_URL with STATUS_CODES_CA_BUNDLE) point the fixtures at a
service already running, a container for instance, instead of starting one.
"""

import os
from collections.abc import Iterator

import pytest

from pytest_status_codes.server import SecureServer, Server


# The servers live in fixtures of their own: a suite may override `httpbin` and `httpbin_secure` (requests'
# conftest.py wraps them in a URL builder), and the fixtures below must still reach the server objects.
@pytest.fixture(scope="session")
def status_codes_server() -> Iterator[Server]:
    with Server(external_url=os.environ.get("STATUS_CODES_URL")) as server:
        yield server


@pytest.fixture(scope="session")
def status_codes_secure_server() -> Iterator[SecureServer]:
    with SecureServer(
        external_url=os.environ.get("STATUS_CODES_SECURE_URL"),
        ca_bundle=os.environ.get("STATUS_CODES_CA_BUNDLE"),
    ) as server:
        yield server


@pytest.fixture(scope="session")
def httpbin(status_codes_server: Server) -> Server:
    return status_codes_server


@pytest.fixture(scope="session")
def httpbin_secure(status_codes_secure_server: SecureServer) -> SecureServer:
    return status_codes_secure_server


@pytest.fixture(scope="session", params=["http", "https"])
def httpbin_both(request: pytest.FixtureRequest) -> Server:
    # Each server is asked for only when its parameter runs, so an http-only selection never makes a CA.
    name = "status_codes_server" if request.param == "http" else "status_codes_secure_server"
    server: Server = request.getfixturevalue(name)
    return server


@pytest.fixture(scope="class")
def class_based_httpbin(request: pytest.FixtureRequest, status_codes_server: Server) -> None:
    request.cls.httpbin = status_codes_server


@pytest.fixture(scope="class")
def class_based_httpbin_secure(
    request: pytest.FixtureRequest, status_codes_secure_server: SecureServer
) -> None:
    request.cls.httpbin_secure = status_codes_secure_server


@pytest.fixture
def httpbin_ca_bundle(
    monkeypatch: pytest.MonkeyPatch, status_codes_secure_server: SecureServer
) -> str | None:
    if status_codes_secure_server.ca_bundle:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", status_codes_secure_server.ca_bundle)
    return status_codes_secure_server.ca_bundle
