"""The tutorial's four routes, as they really behave on the wire (Flask 3.1 / Werkzeug 3.1, Gunicorn)."""

import httpx
import pytest

# Status, headers and bodies must be the same over HTTP/1.1 and HTTP/2 (conftest.py).
pytestmark = pytest.mark.both_protocols

HTML = "text/html; charset=utf-8"  # Flask's default for a str body

CASES = [
    pytest.param("/success", 200, "Success!", id="tuple-200"),
    pytest.param("/notfound", 404, "Not Found", id="make_response-404"),
    # The tutorial claims a string status is ignored (so 200). It is not: '404' is sent as 404.
    pytest.param("/wrong", 404, "Error", id="string-status-is-not-ignored"),
    pytest.param("/right", 404, "Error", id="int-status-404"),
]


@pytest.mark.parametrize(("path", "status", "body"), CASES)
def test_tutorial_route(client: httpx.Client, path: str, status: int, body: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == HTML
    assert response.text == body


@pytest.mark.parametrize("path", ["/success", "/notfound", "/wrong", "/right"])
def test_head_has_the_get_status_and_no_body(client: httpx.Client, path: str) -> None:
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code
    assert head.content == b""
