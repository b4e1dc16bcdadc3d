"""X-Request-ID (docs/running.md "Observability"): on every response, kept when the client's is a
short token (1 to 64 of A-Z a-z 0-9 . _ -), replaced otherwise, and quoted in problem+json bodies."""

import re

import httpx
import pytest
from helpers import assert_problem, raw_exchange

TOKEN = re.compile(r"[A-Za-z0-9._-]{1,64}")

# One of each kind of answer: success, redirect, client error (routed and unmatched), 405, 500, HEAD,
# conditional 304, streaming, the index's HTML.
ANSWERS = [
    pytest.param("GET", "/success", 200, id="200"),
    pytest.param("GET", "/", 200, id="index-html"),
    pytest.param("GET", "/status/302", 302, id="302"),
    pytest.param("GET", "/status/503", 503, id="503-text"),
    pytest.param("GET", "/wrong", 404, id="404-routed"),
    pytest.param("GET", "/no/such/path", 404, id="404-unmatched"),
    pytest.param("DELETE", "/success", 405, id="405"),
    pytest.param("GET", "/demos/handlers/unhandled", 500, id="500-unhandled"),
    pytest.param("HEAD", "/status/200", 200, id="head"),
    pytest.param("GET", "/demos/streaming/lines", 200, id="streamed"),
]


@pytest.mark.parametrize(("method", "path", "status"), ANSWERS)
def test_every_response_carries_a_request_id(
    client: httpx.Client, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert TOKEN.fullmatch(response.headers["x-request-id"])


def test_fresh_ids_differ(client: httpx.Client) -> None:
    ids = {client.get("/success").headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5


@pytest.mark.parametrize("given", ["abc", "A.b_c-9", "x" * 64, "0" * 32, "-"])
def test_a_valid_id_is_kept(client: httpx.Client, given: str) -> None:
    assert client.get("/success", headers={"X-Request-ID": given}).headers["x-request-id"] == given


@pytest.mark.parametrize(
    "given",
    [
        pytest.param("x" * 65, id="65-chars"),
        pytest.param("a b", id="space"),
        pytest.param("a\tb", id="tab"),
        pytest.param("a,b", id="comma"),
        pytest.param('a"b', id="quote"),
        pytest.param("a/b", id="slash"),
        pytest.param("<script>", id="angle-brackets"),
        pytest.param("café".encode(), id="non-ascii"),
    ],
)
def test_an_invalid_id_is_replaced(client: httpx.Client, given: str | bytes) -> None:
    value = given.encode("ascii") if isinstance(given, str) else given
    sent = client.get("/success", headers={b"X-Request-ID": value}).headers["x-request-id"]
    assert sent != (given if isinstance(given, str) else given.decode("latin-1"))
    assert TOKEN.fullmatch(sent)


def test_two_id_headers_are_replaced(client: httpx.Client) -> None:
    # Two fields are one list ("a, b" or "a,b" to the app): not a token, so neither is kept.
    response = client.get("/success", headers=[("X-Request-ID", "aaa"), ("X-Request-ID", "bbb")])
    assert response.headers["x-request-id"] not in ("aaa", "bbb")
    assert TOKEN.fullmatch(response.headers["x-request-id"])


@pytest.mark.parametrize(
    "raw", [b"a\x1b[31mb", b"a\x00b", b"a\x7fb", b"a\rb"], ids=["esc", "nul", "del", "bare-cr"]
)
def test_an_id_with_control_characters_is_replaced(base_url: str, raw: bytes) -> None:
    # httpx refuses to send these; a raw request does. Gunicorn may refuse the header itself (400):
    # either way, the bytes never come back.
    host = httpx.URL(base_url).netloc
    request = (
        b"GET /success HTTP/1.1\r\nHost: "
        + host
        + b"\r\nX-Request-ID: "
        + raw
        + b"\r\nConnection: close\r\n\r\n"
    )
    answer = raw_exchange(base_url, request)
    head = answer.split(b"\r\n\r\n", 1)[0]
    assert raw not in answer
    status = int(head.split(b" ", 2)[1])
    assert status in (200, 400)
    if status == 200:
        found = re.search(rb"(?im)^x-request-id: *([^\r\n]*)$", head)
        assert found
        assert TOKEN.fullmatch(found.group(1).decode("ascii"))


@pytest.mark.parametrize(
    ("path", "status"),
    [("/no/such/path", 404), ("/demos/handlers/unhandled", 500), ("/status/abc", 400), ("/success", 405)],
)
def test_problem_bodies_quote_the_id(client: httpx.Client, path: str, status: int) -> None:
    method = "PUT" if status == 405 else "GET"
    response = client.request(method, path, headers={"X-Request-ID": "quote-me.1"})
    body = assert_problem(response, status)
    assert body["request_id"] == "quote-me.1"
    replaced = client.request(method, path, headers={"X-Request-ID": "not valid"})
    assert assert_problem(replaced, status)["request_id"] == replaced.headers["x-request-id"] != "not valid"


def test_the_public_port_serves_no_metrics(client: httpx.Client) -> None:
    # The metrics live on their own port (METRICS_PORT), never beside the public API.
    assert client.get("/metrics").status_code == 404
