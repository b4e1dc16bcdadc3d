"""Errors Flask raises for us and errors nobody expected: all one RFC 9457 problem+json shape."""

import json

import httpx
import pytest
from helpers import allowed_methods, assert_problem, raw_exchange

# Status, headers and bodies must be the same over HTTP/1.1 and HTTP/2 (conftest.py).
pytestmark = pytest.mark.both_protocols

CASES = [
    pytest.param("GET", "/no/such/path", 404, id="unknown-path-404"),
    pytest.param("GET", "/demos/handlers/unhandled", 500, id="unhandled-exception-500"),
]


@pytest.mark.parametrize(("method", "path", "status"), CASES)
def test_error_is_problem_json(client: httpx.Client, method: str, path: str, status: int) -> None:
    assert_problem(client.request(method, path), status)


@pytest.mark.parametrize(("method", "path"), [("POST", "/success"), ("DELETE", "/healthz")])
def test_wrong_method_is_405_with_allow(client: httpx.Client, method: str, path: str) -> None:
    response = client.request(method, path)
    assert_problem(response, 405)
    assert allowed_methods(response) == {"GET", "HEAD", "OPTIONS"}


def test_unhandled_exception_reveals_nothing(client: httpx.Client) -> None:
    response = client.get("/demos/handlers/unhandled")
    body = assert_problem(response, 500)
    text = response.text
    for leak in ("Traceback", "DeliberateError", "secret", 'File "'):
        assert leak not in text
    assert set(body) <= {"type", "title", "status", "detail", "request_id"}


def test_service_keeps_serving_after_an_unhandled_exception(client: httpx.Client) -> None:
    for _ in range(3):
        assert client.get("/demos/handlers/unhandled").status_code == 500
    assert client.get("/healthz").status_code == 200


def test_every_response_forbids_mime_sniffing(client: httpx.Client) -> None:
    for path in ("/success", "/no/such/path", "/healthz"):
        assert client.get(path).headers["x-content-type-options"] == "nosniff"


def test_application_exception_is_mapped_to_409(client: httpx.Client) -> None:
    body = assert_problem(client.post("/demos/handlers/conflict"), 409)
    assert body["detail"] == "An item named 'demo' already exists."
    assert body["resource"] == "/demos/success/items/demo"


HEADER_CASES = [
    pytest.param("/demos/handlers/unavailable", 503, "retry-after", "120", id="503-retry-after"),
    pytest.param(
        "/demos/handlers/unauthorized", 401, "www-authenticate", "Basic realm=demo", id="401-challenge"
    ),
]


@pytest.mark.parametrize(("path", "status", "header", "value"), HEADER_CASES)
def test_handler_keeps_the_exceptions_headers(
    client: httpx.Client, path: str, status: int, header: str, value: str
) -> None:
    response = client.get(path)
    body = assert_problem(response, status)
    assert body["detail"]
    assert response.headers[header] == value


HOST_CASES = [
    # RFC 9112 §3.2: an HTTP/1.1 request without Host is answered 400; HTTP/1.0 did not require it.
    pytest.param(b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n", 400, id="http11-without-host-400"),
    pytest.param(
        b"GET /healthz HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n", 400, id="http11-empty-host-400"
    ),
    pytest.param(b"GET /healthz HTTP/1.0\r\n\r\n", 200, id="http10-without-host-200"),
]


@pytest.mark.parametrize(("request_bytes", "status"), HOST_CASES)
def test_host_header_rules(base_url: str, request_bytes: bytes, status: int) -> None:
    # httpx always sends Host, so these go over a raw socket (not counted by contract coverage).
    raw = raw_exchange(base_url, request_bytes)
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.split(b" ", 2)[1] == str(status).encode()
    if status == 400:
        assert b"content-type: application/problem+json" in head.lower()
        assert json.loads(body)["status"] == 400
