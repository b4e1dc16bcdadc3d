"""/demos/client-errors: 400, 401, 403, 406, 413, 415, 422, 429 and 503, all problem+json."""

import json
from collections.abc import Callable, Iterator

import httpx
import pytest
from helpers import assert_problem, media_type

ORDERS = "/demos/client-errors/orders"
JSON = "application/json"
LIMIT = 1024  # the orders endpoint's documented body limit
BASIC_CHALLENGE = 'Basic realm="flask-status-codes demos", charset=UTF-8'


def order_of_size(size: int) -> bytes:
    """A valid order padded with trailing spaces (still valid JSON) to exactly `size` bytes."""
    body = b'{"item": "tea", "quantity": 2}'
    return body + b" " * (size - len(body))


def chunks(data: bytes, size: int = 512) -> Iterator[bytes]:
    """A generator body: httpx sends it with Transfer-Encoding: chunked and no Content-Length."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


ACCEPTED = [
    pytest.param(JSON, b'{"item": "tea", "quantity": 2}', id="valid"),
    pytest.param("application/json; charset=utf-8", b'{"item": "tea", "quantity": 2}', id="charset-param"),
    pytest.param("application/merge-patch+json", b'{"item": "tea", "quantity": 2}', id="plus-json-type"),
    pytest.param(JSON, order_of_size(LIMIT), id="exactly-the-limit"),
]


@pytest.mark.parametrize(("content_type", "content"), ACCEPTED)
def test_valid_order_201(client: httpx.Client, content_type: str, content: bytes) -> None:
    response = client.post(ORDERS, content=content, headers={"Content-Type": content_type})
    assert response.status_code == 201
    assert media_type(response) == JSON
    assert response.headers["location"] == "/demos/client-errors/orders/1"
    assert response.json() == {"item": "tea", "quantity": 2}


def test_chunked_body_at_the_limit_201(client: httpx.Client) -> None:
    response = client.post(ORDERS, content=chunks(order_of_size(LIMIT)), headers={"Content-Type": JSON})
    assert "content-length" not in response.request.headers
    assert response.status_code == 201
    assert response.json() == {"item": "tea", "quantity": 2}


MALFORMED = [
    pytest.param(b"{bad", id="not-json"),
    pytest.param(b"", id="empty-body"),
    pytest.param(b'{"item": "tea",}', id="trailing-comma"),
    pytest.param(b"\xff\xfe", id="not-utf8"),
]


@pytest.mark.parametrize("content", MALFORMED)
def test_malformed_json_400(client: httpx.Client, content: bytes) -> None:
    response = client.post(ORDERS, content=content, headers={"Content-Type": JSON})
    body = assert_problem(response, 400)
    assert body["detail"] == "The request body is not valid JSON."


UNSUPPORTED = [
    pytest.param("text/plain", id="text-plain"),
    pytest.param("application/x-www-form-urlencoded", id="form"),
    pytest.param("application/xml", id="xml"),
    pytest.param(None, id="no-content-type"),
]


@pytest.mark.parametrize("content_type", UNSUPPORTED)
def test_wrong_content_type_415(client: httpx.Client, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(ORDERS, content=b'{"item": "tea", "quantity": 2}', headers=headers)
    body = assert_problem(response, 415)
    # Werkzeug's own wording, kept: it names the type it wanted.
    assert "application/json" in body["detail"]


INVALID = [
    pytest.param([1, 2], [""], id="array-not-object"),
    pytest.param("tea", [""], id="string-not-object"),
    pytest.param({}, ["item", "quantity"], id="empty-object"),
    pytest.param({"item": "", "quantity": 2}, ["item"], id="empty-item"),
    pytest.param({"item": "tea", "quantity": 0}, ["quantity"], id="quantity-zero"),
    pytest.param({"item": "tea", "quantity": 101}, ["quantity"], id="quantity-over-100"),
    pytest.param({"item": "tea", "quantity": "2"}, ["quantity"], id="quantity-a-string"),
    pytest.param({"item": "tea", "quantity": True}, ["quantity"], id="quantity-a-bool"),
    pytest.param({"item": 7, "quantity": 2.5}, ["item", "quantity"], id="both-wrong"),
]


@pytest.mark.parametrize(("payload", "fields"), INVALID)
def test_invalid_order_422_lists_each_field(client: httpx.Client, payload: object, fields: list[str]) -> None:
    response = client.post(ORDERS, content=json.dumps(payload), headers={"Content-Type": JSON})
    body = assert_problem(response, 422)
    assert body["detail"] == "The JSON is well formed but some fields are invalid."
    assert [error["field"] for error in body["errors"]] == fields
    assert all(error["message"] for error in body["errors"])


TOO_LARGE = [
    pytest.param(LIMIT + 1, False, id="one-byte-over"),
    pytest.param(64 * 1024, False, id="far-over"),
    pytest.param(2 * 1024 * 1024, False, id="over-the-app-wide-1MiB"),
    # Chunked: no Content-Length to refuse up front; without the view's check Werkzeug would cut the
    # body at the limit and the JSON parser would see a truncated document (400, or a valid prefix).
    pytest.param(LIMIT + 1, True, id="chunked-one-byte-over"),
    pytest.param(2 * 1024 * 1024, True, id="chunked-far-over"),
]


@pytest.mark.parametrize(("size", "chunked"), TOO_LARGE)
def test_body_over_the_limit_413(
    make_client: Callable[..., httpx.Client], client: httpx.Client, size: int, chunked: bool
) -> None:
    data = order_of_size(size)
    # A connection of its own, used once: Gunicorn drains at most 64 KiB of a body the app left unread,
    # then closes the connection although the 413 said keep-alive. A client reusing it may see
    # "Server disconnected without sending a response" on its next request (measured, racy).
    with make_client() as once:
        response = once.post(
            ORDERS, content=chunks(data) if chunked else data, headers={"Content-Type": JSON}
        )
    body = assert_problem(response, 413)
    assert body["detail"]
    assert client.get("/healthz").status_code == 200


def test_valid_prefix_in_an_over_long_chunked_body_is_413_not_201(client: httpx.Client) -> None:
    data = order_of_size(LIMIT) + b"and more"
    assert_problem(client.post(ORDERS, content=chunks(data), headers={"Content-Type": JSON}), 413)


NEGOTIATED = [
    pytest.param(None, JSON, b'{"greeting": "hello"}', id="no-accept-json"),
    # Werkzeug cannot tell an empty Accept from none; both mean "anything".
    pytest.param("", JSON, b'{"greeting": "hello"}', id="empty-accept-json"),
    pytest.param("*/*", JSON, b'{"greeting": "hello"}', id="anything-json-first"),
    pytest.param(JSON, JSON, b'{"greeting": "hello"}', id="json"),
    pytest.param("text/plain", "text/plain", b"hello\n", id="text"),
    pytest.param("text/*", "text/plain", b"hello\n", id="text-wildcard"),
    pytest.param("text/plain;q=0.5, application/json;q=0.9", JSON, b'{"greeting": "hello"}', id="q-values"),
    pytest.param("application/xml, */*;q=0.1", JSON, b'{"greeting": "hello"}', id="fallback-wildcard"),
]


@pytest.mark.parametrize(("accept", "media", "body"), NEGOTIATED)
def test_negotiated_200(client: httpx.Client, accept: str | None, media: str, body: bytes) -> None:
    request = client.build_request("GET", "/demos/client-errors/negotiate", headers={"Accept": accept or ""})
    if accept is None:
        del request.headers["Accept"]
    response = client.send(request)
    assert response.status_code == 200
    assert media_type(response) == media
    assert response.content == body
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize("accept", ["image/png", "application/xml", "application/json;q=0", "text/html"])
def test_not_acceptable_406(client: httpx.Client, accept: str) -> None:
    response = client.get("/demos/client-errors/negotiate", headers={"Accept": accept})
    body = assert_problem(response, 406)
    assert body["detail"] == "This resource is available as application/json or text/plain."


CREDENTIALS = [
    pytest.param("/demos/client-errors/private", ("demo", "demo-password"), 200, id="private-demo-200"),
    pytest.param("/demos/client-errors/private", ("admin", "admin-password"), 200, id="private-admin-200"),
    pytest.param("/demos/client-errors/private", None, 401, id="private-none-401"),
    pytest.param("/demos/client-errors/private", ("demo", "wrong"), 401, id="private-wrong-password-401"),
    pytest.param("/demos/client-errors/private", ("nobody", "x"), 401, id="private-unknown-user-401"),
    pytest.param("/demos/client-errors/private", ("Demo", "demo-password"), 401, id="private-user-case-401"),
    pytest.param("/demos/client-errors/admin", ("admin", "admin-password"), 200, id="admin-admin-200"),
    pytest.param("/demos/client-errors/admin", ("demo", "demo-password"), 403, id="admin-demo-403"),
    pytest.param("/demos/client-errors/admin", None, 401, id="admin-none-401"),
    pytest.param(
        "/demos/client-errors/admin", ("admin", "demo-password"), 401, id="admin-wrong-password-401"
    ),
]


@pytest.mark.parametrize(("path", "auth", "status"), CREDENTIALS)
def test_basic_auth(client: httpx.Client, path: str, auth: tuple[str, str] | None, status: int) -> None:
    response = client.get(path, auth=auth)
    if status == 200:
        assert response.status_code == 200
        assert media_type(response) == JSON
        assert response.json() == {"user": auth[0] if auth else None}
        return
    body = assert_problem(response, status)
    if status == 401:
        # RFC 9110 §15.5.2: a 401 MUST carry a challenge; the handler keeps Werkzeug's header.
        assert response.headers["www-authenticate"] == BASIC_CHALLENGE
    else:
        # 403: credentials are known and not enough; a new challenge would not help.
        assert "www-authenticate" not in response.headers
        assert body["detail"] == "User 'demo' is authenticated but may not use this endpoint."


@pytest.mark.parametrize("authorization", ["Bearer abc", "Basic !!!", "Basic", "Digest username=demo"])
def test_other_or_broken_authorization_is_401(client: httpx.Client, authorization: str) -> None:
    response = client.get("/demos/client-errors/private", headers={"Authorization": authorization})
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == BASIC_CHALLENGE


@pytest.mark.parametrize(
    ("path", "status"),
    [("/demos/client-errors/rate-limited", 429), ("/demos/client-errors/maintenance", 503)],
)
def test_retry_after(client: httpx.Client, path: str, status: int) -> None:
    response = client.get(path)
    body = assert_problem(response, status)
    assert response.headers["retry-after"] == "30"
    assert body["detail"].endswith("retry later.")
