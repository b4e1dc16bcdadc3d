"""/demos/redirects: explicit 3xx codes, what a following client does with each, and a safe redirect-to."""

import html
from collections.abc import Callable

import httpx
import pytest
from helpers import assert_problem, media_type

# Status, headers and bodies must be the same over HTTP/1.1 and HTTP/2 (conftest.py).
pytestmark = pytest.mark.both_protocols

TARGET = "/demos/redirects/target"
HTML = "text/html; charset=utf-8"  # redirect() writes a small page with a link
CODES = [301, 302, 303, 307, 308]


@pytest.fixture(scope="module")
def following(make_client: Callable[..., httpx.Client]) -> httpx.Client:
    """A client that follows redirects, as browsers do (httpx does not by default)."""
    return make_client(follow_redirects=True)


def assert_redirect(response: httpx.Response, status: int, location: str) -> None:
    assert response.status_code == status
    assert response.headers["location"] == location
    assert response.headers["content-type"] == HTML
    assert f'href="{html.escape(location)}"' in response.text


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("code", CODES)
def test_explicit_code_with_location(client: httpx.Client, method: str, code: int) -> None:
    assert_redirect(client.request(method, f"/demos/redirects/{code}"), code, TARGET)


def test_default_code_is_302_today(client: httpx.Client) -> None:
    # Flask 3.1's default for redirect(); Flask is changing it to 303, and this test will say so when it does.
    assert_redirect(client.get("/demos/redirects/default"), 302, TARGET)


# What httpx does when it follows each code after a POST with a body (measured). 303 means "GET the
# result"; 307 and 308 forbid changing the method. For 301 and 302 RFC 9110 allows the change, and
# httpx, like browsers, makes it: GET, no body.
FOLLOW_CASES = [
    pytest.param(301, "GET", "", id="301-post-becomes-get"),
    pytest.param(302, "GET", "", id="302-post-becomes-get"),
    pytest.param(303, "GET", "", id="303-post-becomes-get"),
    pytest.param(307, "POST", "hello", id="307-keeps-method-and-body"),
    pytest.param(308, "POST", "hello", id="308-keeps-method-and-body"),
]


@pytest.mark.parametrize(("code", "method", "body"), FOLLOW_CASES)
def test_following_a_post(following: httpx.Client, code: int, method: str, body: str) -> None:
    response = following.post(f"/demos/redirects/{code}", content=b"hello")
    assert [hop.status_code for hop in response.history] == [code]
    assert response.status_code == 200
    assert media_type(response) == "application/json"
    assert response.json() == {"method": method, "body": body}


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_target_echoes_method_and_body(client: httpx.Client, method: str) -> None:
    response = client.request(method, TARGET, content=b"" if method == "GET" else b"payload")
    assert response.status_code == 200
    assert media_type(response) == "application/json"
    assert response.json() == {"method": method, "body": "" if method == "GET" else "payload"}


TO_CASES = [
    pytest.param({"url": "/healthz"}, 302, "/healthz", id="default-302"),
    *(pytest.param({"url": "/healthz", "code": str(c)}, c, "/healthz", id=f"code-{c}") for c in CODES),
    pytest.param({"url": TARGET + "?a=1&b=2"}, 302, TARGET + "?a=1&b=2", id="path-with-query"),
    pytest.param({"url": "/no/such/path"}, 302, "/no/such/path", id="any-local-path"),
]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(("params", "status", "location"), TO_CASES)
def test_redirect_to_a_local_path(
    client: httpx.Client, method: str, params: dict[str, str], status: int, location: str
) -> None:
    assert_redirect(client.request(method, "/demos/redirects/to", params=params), status, location)


def test_redirect_to_is_followed_to_its_target(following: httpx.Client) -> None:
    response = following.post("/demos/redirects/to", params={"url": TARGET, "code": "307"}, content=b"kept")
    assert response.status_code == 200
    assert response.json() == {"method": "POST", "body": "kept"}


REFUSED = [
    pytest.param({"url": "//evil.example"}, id="scheme-relative-host"),
    pytest.param({"url": "/\\evil.example"}, id="backslash-host"),
    pytest.param({"url": "/\t/evil.example"}, id="tab-then-slash"),
    pytest.param({"url": "https://evil.example/"}, id="absolute-url"),
    pytest.param({"url": "javascript:alert(1)"}, id="javascript-scheme"),
    pytest.param({"url": "/a\r\nSet-Cookie: x=1"}, id="crlf-injection"),
    pytest.param({"url": "/caf\u00e9"}, id="non-ascii"),
    pytest.param({"url": "/a b"}, id="space"),
    pytest.param({"url": "healthz"}, id="no-leading-slash"),
    pytest.param({"url": ""}, id="empty-url"),
    pytest.param({}, id="missing-url"),
    pytest.param({"url": "/" + "a" * 2048}, id="too-long"),
    pytest.param({"url": "/healthz", "code": "300"}, id="300-not-a-single-target"),
    pytest.param({"url": "/healthz", "code": "304"}, id="304-not-a-redirect"),
    pytest.param({"url": "/healthz", "code": "305"}, id="305-deprecated"),
    pytest.param({"url": "/healthz", "code": "200"}, id="200-not-3xx"),
    pytest.param({"url": "/healthz", "code": "abc"}, id="non-numeric-code"),
    pytest.param({"url": "/healthz", "code": "+302"}, id="signed-code"),
    pytest.param({"url": "/healthz", "code": ""}, id="empty-code"),
]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("params", REFUSED)
def test_redirect_to_refuses_anything_but_a_local_path(
    client: httpx.Client, method: str, params: dict[str, str]
) -> None:
    response = client.request(method, "/demos/redirects/to", params=params)
    body = assert_problem(response, 400)
    assert body["detail"]
    assert "location" not in response.headers
