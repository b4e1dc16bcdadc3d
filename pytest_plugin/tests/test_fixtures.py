"""The fixtures, as a client suite uses them: pytest-httpbin's names and attributes, the real service.

Expectations come from pytest-httpbin 2.1.0's documented objects (`url`, `join`, `+`, the `http` and
`https` params of `httpbin_both`, REQUESTS_CA_BUNDLE) and from the service's own contract (/status/418
answers 418; cleartext HTTP/2 with prior knowledge), not from this plugin's code.
"""

import os
import ssl
import urllib.parse

import httpx
import pytest
from pytest_status_codes import Server, use_class_based_httpbin


def test_httpbin_url_is_loopback_http_on_its_port(httpbin: Server) -> None:
    parts = urllib.parse.urlsplit(httpbin.url)
    assert (parts.scheme, parts.hostname, parts.port, parts.path) == ("http", "127.0.0.1", httpbin.port, "")
    assert (httpbin.protocol, httpbin.host) == ("http", "127.0.0.1")


@pytest.mark.parametrize(
    ("path", "joined"),
    [
        pytest.param("/status/418", "/status/418", id="absolute"),
        pytest.param("status/418", "/status/418", id="relative"),
        pytest.param("/a/b?x=1#f", "/a/b?x=1#f", id="query-and-fragment"),
    ],
)
def test_join_and_plus_build_urls_as_pytest_httpbin_does(httpbin: Server, path: str, joined: str) -> None:
    assert httpbin.join(path) == httpbin.url + joined
    assert httpbin + "/get" == httpbin.url + "/get"


def test_httpbin_serves_the_service_under_its_worker(httpbin: Server) -> None:
    assert httpx.get(httpbin + "/status/418").status_code == 418
    # Cleartext HTTP/2 with prior knowledge is the container's worker's, not Werkzeug's or a thread's.
    with httpx.Client(http1=False, http2=True) as client:
        answer = client.get(httpbin + "/status/201")
    assert (answer.http_version, answer.status_code) == ("HTTP/2", 201)


def test_httpbin_secure_is_https_trusted_through_its_ca_bundle(httpbin_secure: Server) -> None:
    assert httpbin_secure.url.startswith("https://127.0.0.1:")
    assert httpbin_secure.ca_bundle is not None
    context = ssl.create_default_context(cafile=httpbin_secure.ca_bundle)
    assert httpx.get(httpbin_secure + "/status/418", verify=context).status_code == 418


def test_httpbin_secure_is_not_trusted_without_its_ca(httpbin_secure: Server) -> None:
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(httpbin_secure + "/status/200", verify=ssl.create_default_context())


def test_httpbin_ca_bundle_sets_requests_ca_bundle(httpbin_ca_bundle: str, httpbin_secure: Server) -> None:
    assert os.environ["REQUESTS_CA_BUNDLE"] == httpbin_ca_bundle == httpbin_secure.ca_bundle


def test_httpbin_both_runs_over_http_then_https(request: pytest.FixtureRequest, httpbin_both: Server) -> None:
    expected = request.node.callspec.params["httpbin_both"]
    assert httpbin_both.protocol == expected
    assert urllib.parse.urlsplit(httpbin_both.url).scheme == expected
    verify = ssl.create_default_context(cafile=httpbin_both.ca_bundle) if httpbin_both.ca_bundle else True
    assert httpx.get(httpbin_both + "/status/204", verify=verify).status_code == 204


@use_class_based_httpbin
class TestClassBased:
    httpbin: Server

    def test_the_class_gets_the_session_server(self, httpbin: Server) -> None:
        assert self.httpbin is httpbin


def test_redirect_to_may_send_a_client_to_the_other_fixture(httpbin: Server, httpbin_secure: Server) -> None:
    # pytest-httpbin's suites redirect between the two (requests': auth stripped on an https -> http hop).
    target = httpbin_secure + "/get"
    answer = httpx.get(httpbin + "/redirect-to", params={"url": target})
    assert (answer.status_code, answer.headers["location"]) == (302, target)


def test_a_stopped_server_frees_its_port() -> None:
    with Server() as server:
        url = server.url
        assert httpx.get(url + "/healthz").status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/healthz")


def test_an_external_url_is_used_as_given_and_nothing_is_started() -> None:
    with Server(external_url="http://127.0.0.1:9/") as server:
        assert server.url == "http://127.0.0.1:9"
        assert server.join("/get") == "http://127.0.0.1:9/get"


class TestWhenASuiteOverridesTheFixtures:
    """requests' conftest.py replaces `httpbin` and `httpbin_secure` with URL builders of its own."""

    @pytest.fixture
    def httpbin_secure(self, httpbin_secure: Server) -> str:
        return httpbin_secure.url + "/"

    def test_httpbin_ca_bundle_still_finds_the_secure_server(
        self, httpbin_secure: str, httpbin_ca_bundle: str
    ) -> None:
        context = ssl.create_default_context(cafile=httpbin_ca_bundle)
        assert httpx.get(httpbin_secure + "status/418", verify=context).status_code == 418
