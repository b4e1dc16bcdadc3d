"""HTTP/2 beside HTTP/1.1 on the same port: what differs on the wire (no reason phrase, lower-case names)."""

from collections.abc import Callable

import httpx
from helpers import h2_exchange, raw_exchange, raw_get


def test_the_same_port_speaks_both(base_url: str) -> None:
    assert raw_exchange(base_url, raw_get(base_url, "/status/418")).startswith(b"HTTP/1.1 418 ")
    answer = h2_exchange(base_url, "/status/418")
    assert answer.status(0) == 418
    assert answer.body.startswith(b"418 ")


def test_http2_carries_no_reason_phrase_even_when_one_is_asked(base_url: str) -> None:
    # HTTP/1.1 puts ?reason= on the status line; HTTP/2 has only :status (RFC 9113 §8.3.2).
    assert raw_exchange(base_url, raw_get(base_url, "/status/200?reason=Fine")).startswith(
        b"HTTP/1.1 200 Fine\r\n"
    )
    answer = h2_exchange(base_url, "/status/200?reason=Fine")
    assert dict(answer.blocks[0])[":status"] == "200"
    assert all("Fine" not in value for _, value in answer.blocks[0])
    assert answer.body.startswith(b"200 ")


def test_header_names_are_lower_case_on_the_wire(base_url: str) -> None:
    # RFC 9113 §8.2.2: upper case in an HTTP/2 field name makes the message malformed. HTTP/1.1
    # keeps the case the app wrote.
    raw = raw_exchange(base_url, raw_get(base_url, "/status/401"))
    assert b"\r\nWWW-Authenticate: " in raw
    names = [name for name, _ in h2_exchange(base_url, "/status/401").blocks[0]]
    assert "www-authenticate" in names
    assert all(name == name.lower() for name in names)


def test_an_http2_client_is_really_served_http2(make_client: Callable[..., httpx.Client]) -> None:
    response = make_client(protocol="HTTP/2").get("/status/204")
    assert response.http_version == "HTTP/2"
    assert response.status_code == 204
    assert response.content == b""


def test_httpx_without_http2_stays_on_http1(client: httpx.Client) -> None:
    # The suite's default client: HTTP/1.1, so the existing tests keep testing HTTP/1.1.
    assert client.get("/status/200").http_version == "HTTP/1.1"
