"""/demos/early-hints: a real 103 Early Hints before the 200 over HTTP/1.1 and HTTP/2; none without it."""

import http.client

import httpx
import pytest
from helpers import assert_problem, h2_exchange, raw_exchange, raw_get

pytestmark = pytest.mark.both_protocols

P = "/demos/early-hints"
# The hint the README documents for both routes (and for /demos/pitfalls/final-1xx/right).
LINK = "</healthz>; rel=preload; as=fetch"


def heads(raw: bytes) -> list[tuple[str, dict[str, str]]]:
    """Each response head in raw HTTP/1.x bytes, as (status line, lower-cased headers)."""
    found = []
    while raw.startswith(b"HTTP/"):
        head, _, raw = raw.partition(b"\r\n\r\n")
        status_line, *fields = head.decode("latin-1").split("\r\n")
        headers = {name.lower(): value.strip() for name, _, value in (f.partition(":") for f in fields)}
        found.append((status_line, headers))
        if not status_line.split()[1].startswith("1"):
            break  # what follows is the final response's body
    return found


@pytest.mark.parametrize("path", [f"{P}/preload", f"{P}/absent"])
def test_the_final_answer_is_200_with_the_link(client: httpx.Client, path: str) -> None:
    # httpx skips 1xx responses: what a client sees in the end is the 200, carrying the hint itself.
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["link"] == LINK
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


def test_http1_shows_103_then_200_on_the_wire(base_url: str) -> None:
    raw = raw_exchange(base_url, raw_get(base_url, f"{P}/preload"))
    (interim, hints), (final, headers) = heads(raw)
    assert interim == "HTTP/1.1 103 Early Hints"
    assert hints["link"] == LINK
    assert final.startswith("HTTP/1.1 200 ")
    assert headers["link"] == LINK
    assert raw.endswith(b"103 Early Hints sent before this answer\n")


def test_http2_shows_103_then_200_on_the_stream(base_url: str) -> None:
    answer = h2_exchange(base_url, f"{P}/preload")
    assert answer.ended
    assert [answer.status(0), answer.status(1)] == [103, 200]
    assert dict(answer.blocks[0])["link"] == LINK
    assert dict(answer.blocks[1])["link"] == LINK
    assert answer.body == b"103 Early Hints sent before this answer\n"


def test_without_the_callback_http1_gets_the_200_alone(base_url: str) -> None:
    raw = raw_exchange(base_url, raw_get(base_url, f"{P}/absent"))
    ((final, headers),) = heads(raw)
    assert final.startswith("HTTP/1.1 200 ")
    assert headers["link"] == LINK
    assert raw.endswith(b"this server cannot send 103 Early Hints\n")


def test_without_the_callback_http2_gets_the_200_alone(base_url: str) -> None:
    answer = h2_exchange(base_url, f"{P}/absent")
    assert [dict(block)[":status"] for block in answer.blocks] == ["200"]
    assert dict(answer.blocks[0])["link"] == LINK
    assert answer.body == b"this server cannot send 103 Early Hints\n"


def test_an_http10_client_gets_no_103(base_url: str) -> None:
    # RFC 9110 §15.2: no 1xx to an HTTP/1.0 client, which would take it for the final answer.
    host = httpx.URL(base_url).netloc.decode("ascii")
    raw = raw_exchange(base_url, f"GET {P}/preload HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
    ((final, headers),) = heads(raw)
    assert final.split()[1] == "200"
    assert headers["link"] == LINK


def test_the_pitfalls_right_way_sends_the_same_hint(base_url: str) -> None:
    raw = raw_exchange(base_url, raw_get(base_url, "/demos/pitfalls/final-1xx/right"))
    (interim, hints), (final, _) = heads(raw)
    assert interim == "HTTP/1.1 103 Early Hints"
    assert hints["link"] == LINK
    assert final.startswith("HTTP/1.1 200 ")


def test_a_delay_holds_the_200_back_after_the_103(base_url: str) -> None:
    raw = raw_exchange(base_url, raw_get(base_url, f"{P}/preload?delay=0.2"))
    (interim, _), (final, headers) = heads(raw)
    assert interim == "HTTP/1.1 103 Early Hints"
    assert final.startswith("HTTP/1.1 200 ")
    assert headers["link"] == LINK


@pytest.mark.parametrize("delay", ["-1", "abc", "1e1", "2.5", "010"])
def test_a_bad_delay_is_a_problem(client: httpx.Client, delay: str) -> None:
    assert_problem(client.get(f"{P}/preload", params={"delay": delay}), 400)


def test_python_http_client_takes_the_103_as_final_and_leaves_the_200(base_url: str) -> None:
    # What docs/http2-and-1xx.md warns about: CPython's http.client (so requests, urllib3, urllib) reads
    # the 103 as the answer, with no body; the 200 stays on the connection for the next request to read.
    url = httpx.URL(base_url)
    connection = http.client.HTTPConnection(url.host, url.port or 80, timeout=10)
    try:
        connection.request("GET", f"{P}/preload?delay=0.3")
        first = connection.getresponse()
        assert (first.status, first.read()) == (103, b"")
        connection.request("GET", "/status/418")
        second = connection.getresponse()
        assert second.status == 200
        assert second.read() == b"103 Early Hints sent before this answer\n"
    finally:
        connection.close()
