"""/demos/responses: a Response object given its status after it was built, a reason phrase, cookies."""

from typing import Any

import httpx
import pytest
from helpers import media_type

# Status, headers and bodies must be the same over HTTP/1.1 and HTTP/2 (conftest.py).
pytestmark = pytest.mark.both_protocols

CASES = [
    pytest.param(
        "/demos/responses/make-response",
        202,
        "application/json",
        {"queued": True},
        {"cache-control": "no-store"},
        id="make_response-then-status_code",
    ),
    pytest.param(
        "/demos/responses/response-object",
        202,
        "text/plain; charset=utf-8",
        "queued\n",
        {},
        id="Response-status-kwarg",
    ),
    pytest.param(
        "/demos/responses/custom-reason",
        299,
        "text/plain; charset=utf-8",
        "custom reason\n",
        {},
        id="custom-reason-299",
    ),
    pytest.param(
        "/demos/responses/reason-phrase",
        404,
        "text/plain; charset=utf-8",
        "Not here\n",
        {},
        id="reason-phrase-404",
    ),
    pytest.param(
        "/demos/responses/set-cookie",
        200,
        "text/plain; charset=utf-8",
        "Two cookies\n",
        {},
        id="set-cookie-200",
    ),
]


@pytest.mark.parametrize(("path", "status", "content_type", "body", "headers"), CASES)
def test_response_object(
    client: httpx.Client, path: str, status: int, content_type: str, body: Any, headers: dict[str, str]
) -> None:
    response = client.get(path)
    assert response.status_code == status
    if isinstance(body, str):
        assert response.headers["content-type"] == content_type
        assert response.text == body
    else:
        assert media_type(response) == content_type
        assert response.json() == body
    for name, value in headers.items():
        assert response.headers[name] == value


def test_custom_reason_phrase_goes_on_the_wire_as_written(client: httpx.Client) -> None:
    # This phrase is the app's own, not Werkzeug's, so its exact text is the thing under test.
    # httpx reports the reason from the HTTP/1.1 status line; HTTP/2 and HTTP/3 carry none.
    response = client.get("/demos/responses/custom-reason")
    if response.http_version != "HTTP/1.1":
        pytest.skip(f"{response.http_version} has no reason phrase")
    assert response.status_code == 299
    assert response.reason_phrase == "Custom Reason"


def test_reason_phrase_set_by_the_app_goes_out_as_written(client: httpx.Client) -> None:
    # The app wrote "Not Found" itself; Werkzeug 3.1's own phrase for 404 would be "NOT FOUND".
    response = client.get("/demos/responses/reason-phrase")
    assert response.status_code == 404
    assert response.reason_phrase == "Not Found"


def test_set_cookie_sends_one_header_per_cookie(client: httpx.Client) -> None:
    cookies = client.get("/demos/responses/set-cookie").headers.get_list("set-cookie")
    assert cookies == ["theme=dark; Path=/", "lang=en; Path=/"]
