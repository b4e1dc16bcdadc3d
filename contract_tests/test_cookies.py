"""Cookies: /cookies shows the jar; set and delete answer 302 to /cookies with Set-Cookie (RFC 6265).

Every cookie set is Path=/ (httpbin's), host-only, HttpOnly and SameSite=Lax (the service's documented
choice): a client's jar sends it back to this host's routes, and to no other host.
"""

from collections.abc import Callable, Iterator

import httpx
import pytest
from helpers import assert_problem

pytestmark = pytest.mark.both_protocols

EVERY = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@pytest.fixture
def jar(make_client: Callable[..., httpx.Client], protocol: str) -> Iterator[httpx.Client]:
    """A client with an empty cookie jar of its own (the session's client keeps cookies across tests)."""
    with make_client(protocol=protocol) as fresh:
        yield fresh


def set_cookies(response: httpx.Response) -> list[str]:
    return response.headers.get_list("set-cookie")


@pytest.mark.parametrize("method", EVERY)
def test_cookies_shows_what_the_request_carried(jar: httpx.Client, method: str) -> None:
    response = jar.request(method, "/cookies", headers={"Cookie": "flavour=oat; size=large"})
    assert response.status_code == 200
    assert response.json() == {"cookies": {"flavour": "oat", "size": "large"}}


@pytest.mark.parametrize("method", EVERY)
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/cookies/set?flavour=oat&size=large", {"flavour": "oat", "size": "large"}),
        ("/cookies/set/flavour/oat", {"flavour": "oat"}),
    ],
)
def test_set_answers_302_to_cookies_with_scoped_cookies(
    jar: httpx.Client, method: str, path: str, expected: dict[str, str]
) -> None:
    response = jar.request(method, path)
    assert response.status_code == 302
    assert response.headers["location"] == "/cookies"
    headers = set_cookies(response)
    assert {h.split(";")[0] for h in headers} == {f"{k}={v}" for k, v in expected.items()}
    for line in headers:
        attributes = {a.strip().lower() for a in line.split(";")[1:]}
        assert {"path=/", "httponly", "samesite=lax"} <= attributes
        assert not any(a.startswith("domain") for a in attributes)  # host-only: stays on this host
    assert jar.get("/cookies").json() == {"cookies": expected}


def test_a_quoted_value_is_kept_as_sent(jar: httpx.Client) -> None:
    # RFC 6265 §4.1.1 lets a cookie-value sit in double quotes; a client keeps them as part of the value.
    response = jar.get('/cookies/set?foo="bar:baz"')
    assert set_cookies(response)[0].startswith('foo="bar:baz";')
    assert jar.cookies["foo"] == '"bar:baz"'
    # /cookies shows it as Werkzeug (httpbin's too) parses a Cookie header: the quotes are delimiters.
    assert jar.get("/cookies").json() == {"cookies": {"foo": "bar:baz"}}


def test_a_following_client_lands_on_cookies_with_them(jar: httpx.Client) -> None:
    response = jar.get("/cookies/set?a=1", follow_redirects=True)
    assert (response.url.path, response.json()) == ("/cookies", {"cookies": {"a": "1"}})


def test_a_cookie_set_here_rides_on_the_redirect_to_get(jar: httpx.Client) -> None:
    # As httpbin: a suite sets a cookie, follows /redirect/1 to /get and reads it in the echo.
    jar.get("/cookies/set?a=1")
    response = jar.get("/redirect/1", follow_redirects=True)
    assert (response.url.path, response.json()["headers"].get("Cookie")) == ("/get", "a=1")


@pytest.mark.parametrize("method", EVERY)
def test_delete_expires_each_named_cookie(jar: httpx.Client, method: str) -> None:
    jar.get("/cookies/set?a=1&b=2&c=3")
    response = jar.request(method, "/cookies/delete?a&b")
    assert (response.status_code, response.headers["location"]) == (302, "/cookies")
    for line in set_cookies(response):
        assert "max-age=0" in line.lower()
        assert "path=/;" in line.lower()
    assert jar.get("/cookies").json() == {"cookies": {"c": "3"}}


@pytest.mark.parametrize("method", EVERY)
@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/cookies/set?a=b%20c", "a"),
        ("/cookies/set?a=b%3Bc", "a"),
        ("/cookies/set?a%20b=c", "name"),
        ("/cookies/set?a=" + "x" * 1025, "a"),
        ("/cookies/set?" + "&".join(f"c{i}=1" for i in range(21)), "cookies"),
        ("/cookies/set/a%2Cb/c", "name"),
        ("/cookies/set/a/b%22c", "a"),
        ("/cookies/delete?a(b", "name"),
    ],
)
def test_bad_cookies_are_400_naming_the_parameter(
    client: httpx.Client, method: str, path: str, parameter: str
) -> None:
    body = assert_problem(client.request(method, path), 400)
    assert body["parameter"] == parameter
