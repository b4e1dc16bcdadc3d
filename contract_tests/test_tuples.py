"""/demos/tuples: the status and headers Flask reads out of a tuple a view returns."""

from typing import Any

import httpx
import pytest
from helpers import media_type

# Status, headers and bodies must be the same over HTTP/1.1 and HTTP/2 (conftest.py).
pytestmark = pytest.mark.both_protocols

HTML = "text/html; charset=utf-8"  # Flask's default for a str body
JSON = "application/json"
ITEM = "/demos/success/items/00000000000000000000000000000000"

CASES = [
    pytest.param("/demos/tuples/body-status", 202, HTML, "queued\n", {}, id="body-status"),
    pytest.param(
        "/demos/tuples/body-status-headers",
        201,
        HTML,
        "created\n",
        {"location": ITEM},
        id="body-status-headers",
    ),
    # A dict in second place is headers: the status stays 200, and the type is the one given.
    pytest.param(
        "/demos/tuples/body-headers", 200, "text/plain; charset=utf-8", "plain text\n", {}, id="body-headers"
    ),
]

JSON_CASES = [
    pytest.param("/demos/tuples/dict-status", 202, {"queued": True}, id="dict-status"),
    pytest.param("/demos/tuples/list-status", 202, ["first", "second"], id="list-status"),
    pytest.param(
        "/demos/tuples/httpstatus",
        203,
        {"status": 203, "phrase": "Non-Authoritative Information"},
        id="httpstatus-member",
    ),
]


@pytest.mark.parametrize(("path", "status", "content_type", "body", "headers"), CASES)
def test_text_tuple(
    client: httpx.Client, path: str, status: int, content_type: str, body: str, headers: dict[str, str]
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == content_type
    assert response.text == body
    for name, value in headers.items():
        assert response.headers[name] == value


@pytest.mark.parametrize(("path", "status", "body"), JSON_CASES)
def test_json_tuple(client: httpx.Client, path: str, status: int, body: Any) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert media_type(response) == JSON
    assert response.json() == body


def test_created_location_is_served(client: httpx.Client) -> None:
    location = client.get("/demos/tuples/body-status-headers").headers["location"]
    followed = client.get(location)
    assert followed.status_code == 200
    assert media_type(followed) == JSON
    assert followed.json() == {"id": "0" * 32}


COOKIES = [
    # A dict keeps one value per key: the first Set-Cookie never reaches Flask.
    pytest.param("/demos/tuples/cookies-dict", HTML, ["lang=en; Path=/"], id="dict-keeps-one"),
    # A list of pairs with a JSON body: Headers.update() sets each pair, the second replaces the first.
    pytest.param("/demos/tuples/cookies-list-json", JSON, ["lang=en; Path=/"], id="list-json-keeps-one"),
    # The same list with a str body: the Response constructor adds every pair.
    pytest.param(
        "/demos/tuples/cookies-list", HTML, ["theme=dark; Path=/", "lang=en; Path=/"], id="list-str-two"
    ),
]


@pytest.mark.parametrize(("path", "content_type", "cookies"), COOKIES)
def test_two_cookies_in_a_tuple(
    client: httpx.Client, path: str, content_type: str, cookies: list[str]
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers.get_list("set-cookie") == cookies
    assert response.content


def test_cookies_json_body(client: httpx.Client) -> None:
    assert client.get("/demos/tuples/cookies-list-json").json() == {"cookies": "two?"}
