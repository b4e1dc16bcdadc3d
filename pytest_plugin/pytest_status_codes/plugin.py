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


@pytest.fixture(scope="session")
def httpbin() -> Iterator[Server]:
    with Server(external_url=os.environ.get("STATUS_CODES_URL")) as server:
        yield server


@pytest.fixture(scope="session")
def httpbin_secure() -> Iterator[SecureServer]:
    with SecureServer(
        external_url=os.environ.get("STATUS_CODES_SECURE_URL"),
        ca_bundle=os.environ.get("STATUS_CODES_CA_BUNDLE"),
    ) as server:
        yield server


@pytest.fixture(scope="session", params=["http", "https"])
def httpbin_both(request: pytest.FixtureRequest) -> Server:
    # Each server is asked for only when its parameter runs, so an http-only selection never makes a CA.
    name = "httpbin" if request.param == "http" else "httpbin_secure"
    server: Server = request.getfixturevalue(name)
    return server


@pytest.fixture(scope="class")
def class_based_httpbin(request: pytest.FixtureRequest, httpbin: Server) -> None:
    request.cls.httpbin = httpbin


@pytest.fixture(scope="class")
def class_based_httpbin_secure(request: pytest.FixtureRequest, httpbin_secure: SecureServer) -> None:
    request.cls.httpbin_secure = httpbin_secure


@pytest.fixture
def httpbin_ca_bundle(monkeypatch: pytest.MonkeyPatch, httpbin_secure: SecureServer) -> str | None:
    if httpbin_secure.ca_bundle:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", httpbin_secure.ca_bundle)
    return httpbin_secure.ca_bundle
