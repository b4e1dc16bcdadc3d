"""/redirect-to?url=&status_code=: a redirect to this origin (or a configured host), never an open one."""

from collections.abc import Callable

import httpx
import pytest
from helpers import assert_problem

pytestmark = pytest.mark.both_protocols

EVERY = ["GET", "POST", "PUT", "PATCH", "DELETE"]
CODES = [300, 301, 302, 303, 307, 308]  # RFC 9110 §15.4's redirects that carry a Location


@pytest.mark.parametrize("method", EVERY)
@pytest.mark.parametrize("code", CODES)
def test_a_path_here_with_each_code(client: httpx.Client, method: str, code: int) -> None:
    response = client.request(method, f"/redirect-to?url=/get%3Fa%3D1&status_code={code}")
    assert response.status_code == code
    assert response.headers["location"] == "/get?a=1"


def test_302_by_default(client: httpx.Client) -> None:
    assert client.get("/redirect-to?url=/get").status_code == 302


@pytest.mark.parametrize("url", ["get", "post", "../anything?a=1", "evil.test", "?x=1", "#top"])
def test_a_relative_reference_resolves_on_this_origin(client: httpx.Client, url: str) -> None:
    # httpbin's clients write url=get; any reference without a scheme or "//" stays here (RFC 3986 §5.2).
    response = client.get("/redirect-to", params={"url": url})
    assert (response.status_code, response.headers["location"]) == (302, url)


@pytest.mark.parametrize("url", ["http://:1", "https://:8443"])
def test_a_url_with_no_host_is_sent_for_the_client_to_refuse(client: httpx.Client, url: str) -> None:
    # No host, nowhere to go: a client's test of a bad Location (httpbin sends it too).
    response = client.get("/redirect-to", params={"url": url})
    assert (response.status_code, response.headers["location"]) == (302, url)


def test_a_307_keeps_the_post_to_a_relative_post(make_client: Callable[..., httpx.Client]) -> None:
    response = make_client(follow_redirects=True).post(
        "/redirect-to", params={"url": "post", "status_code": "307"}, content=b"test"
    )
    assert (response.status_code, response.json()["data"], response.history[0].status_code) == (
        200,
        "test",
        307,
    )


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_an_absolute_url_on_the_host_the_client_addressed(
    client: httpx.Client, base_url: str, scheme: str
) -> None:
    host = httpx.URL(base_url).netloc.decode()
    url = f"{scheme}://{host}/anything/x?y=1"
    response = client.get("/redirect-to", params={"url": url})
    assert (response.status_code, response.headers["location"]) == (302, url)


@pytest.mark.parametrize("method", EVERY)
@pytest.mark.parametrize(
    "url",
    [
        "http://example.test/",
        "https://evil.test:443/get",
        "http://127.0.0.2/get",
        "https://localhost.evil.test/",
    ],
)
def test_another_host_is_403(client: httpx.Client, method: str, url: str) -> None:
    # No REDIRECT_ALLOWED_HOSTS in the suite's container: only this origin is allowed.
    response = client.request(method, "/redirect-to", params={"url": url})
    assert "location" not in response.headers
    assert "REDIRECT_ALLOWED_HOSTS" in assert_problem(response, 403)["detail"]


@pytest.mark.parametrize("method", EVERY)
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("", "url"),
        ("url=", "url"),
        ("url=//evil.test/", "url"),
        ("url=http:///evil.test/", "url"),
        ("url=http://:1/evil.test", "url"),
        ("url=/%5Cevil.test", "url"),
        ("url=/%09/evil.test", "url"),
        ("url=javascript:alert(1)", "url"),
        ("url=http:evil.test", "url"),
        ("url=http://user@evil.test/", "url"),
        ("url=/" + "a" * 2048, "url"),
        ("url=/get&status_code=304", "status_code"),
        ("url=/get&status_code=305", "status_code"),
        ("url=/get&status_code=306", "status_code"),
        ("url=/get&status_code=200", "status_code"),
        ("url=/get&status_code=399", "status_code"),
        ("url=/get&url=/anything", "url"),
    ],
)
def test_bad_input_is_400_naming_the_parameter(
    client: httpx.Client, method: str, query: str, parameter: str
) -> None:
    response = client.request(method, f"/redirect-to?{query}")
    assert assert_problem(response, 400)["parameter"] == parameter
    assert "location" not in response.headers
