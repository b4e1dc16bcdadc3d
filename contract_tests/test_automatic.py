"""What Flask answers with no view code: 405 with Allow, OPTIONS, HEAD and 404 — errors as problem+json."""

import httpx
import pytest
from helpers import allowed_methods, assert_problem, media_type

# Status, headers and bodies must be the same over HTTP/1.1 and HTTP/2 (conftest.py).
pytestmark = pytest.mark.both_protocols

POST_ONLY = "/demos/automatic/post-only"
RESOURCE = "/demos/automatic/resource"
JSON = "application/json"
# Flask adds OPTIONS to every route and HEAD to every route that has GET.
POST_ONLY_ALLOW = {"POST", "OPTIONS"}
RESOURCE_ALLOW = {"GET", "HEAD", "PUT", "OPTIONS"}

ANSWERED = [
    pytest.param("POST", POST_ONLY, {"method": "POST"}, id="post-only-post"),
    pytest.param("GET", RESOURCE, {"resource": "automatic"}, id="resource-get"),
    pytest.param("PUT", RESOURCE, {"resource": "automatic"}, id="resource-put"),
]


@pytest.mark.parametrize(("method", "path", "body"), ANSWERED)
def test_declared_methods_answer_200(
    client: httpx.Client, method: str, path: str, body: dict[str, str]
) -> None:
    response = client.request(method, path)
    assert response.status_code == 200
    assert media_type(response) == JSON
    assert response.json() == body


NOT_ALLOWED = [
    pytest.param("GET", POST_ONLY, POST_ONLY_ALLOW, id="get-on-post-only"),
    pytest.param("HEAD", POST_ONLY, POST_ONLY_ALLOW, id="head-on-post-only"),
    pytest.param("PUT", POST_ONLY, POST_ONLY_ALLOW, id="put-on-post-only"),
    pytest.param("DELETE", POST_ONLY, POST_ONLY_ALLOW, id="delete-on-post-only"),
    pytest.param("DELETE", RESOURCE, RESOURCE_ALLOW, id="delete-on-resource"),
    pytest.param("POST", RESOURCE, RESOURCE_ALLOW, id="post-on-resource"),
    pytest.param("PATCH", RESOURCE, RESOURCE_ALLOW, id="patch-on-resource"),
]


@pytest.mark.parametrize(("method", "path", "allow"), NOT_ALLOWED)
def test_other_methods_get_405_with_allow(
    client: httpx.Client, method: str, path: str, allow: set[str]
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    # RFC 9110 §15.5.6: a 405 MUST carry Allow; the app's handler keeps it.
    assert allowed_methods(response) == allow
    if method == "HEAD":
        assert response.content == b""
        assert media_type(response) == "application/problem+json"
    else:
        assert_problem(response, 405)


@pytest.mark.parametrize(("path", "allow"), [(POST_ONLY, POST_ONLY_ALLOW), (RESOURCE, RESOURCE_ALLOW)])
def test_automatic_options(client: httpx.Client, path: str, allow: set[str]) -> None:
    response = client.options(path)
    assert response.status_code == 200
    assert allowed_methods(response) == allow
    assert response.content == b""
    assert response.headers["content-length"] == "0"
    # Measured: Flask's default OPTIONS response still says text/html, for a body that is empty.
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_automatic_head_is_get_without_body(client: httpx.Client) -> None:
    get, head = client.get(RESOURCE), client.head(RESOURCE)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert get.content == b'{"resource":"automatic"}\n'
    # Same headers as the GET, the Content-Length of the body it did not send included.
    for name in ("content-type", "content-length"):
        assert head.headers[name] == get.headers[name]
    assert head.headers["content-length"] == "25"


@pytest.mark.parametrize(
    "path",
    ["/demos/automatic/", "/demos/automatic/nothing-here", "/demos/automatic/resource/1", "/demos/automatic"],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_unknown_url_is_404_problem(client: httpx.Client, method: str, path: str) -> None:
    body = assert_problem(client.request(method, path), 404)
    assert body["detail"]
