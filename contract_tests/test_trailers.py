"""/trailers: the request echoed, then each query parameter as a trailer field, over HTTP/1.1 and HTTP/2.

Expectations come from RFC 9112 §7.1.2 (a chunked body's trailer section, after the last chunk), RFC
9113 §8.1 (a HEADERS frame ending the stream after the DATA), RFC 9110 §6.5 and §6.6.2 (the fields a
trailer may not carry; `Trailer` announcing the names) and go-httpbin's documented /trailers. httpx
shows no trailers, so each protocol is read raw here.
"""

import httpx
import pytest
from helpers import assert_problem, h2_exchange, media_type, raw_exchange, raw_get

pytestmark = pytest.mark.both_protocols

PATH = "/trailers?X-Check=ok&Server-Timing=app%3Bdur%3D1"
TRAILERS = [("x-check", "ok"), ("server-timing", "app;dur=1")]


def test_http1_ends_the_chunked_body_with_the_trailer_section(base_url: str) -> None:
    answer = raw_exchange(base_url, raw_get(base_url, PATH))
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").lower().split("\r\n")
    assert lines[0].split()[1] == "200"
    assert "transfer-encoding: chunked" in lines
    assert "trailer: x-check, server-timing" in lines
    last_chunk, _, trailer_section = body.partition(b"\r\n0\r\n")
    assert b'"X-Check": "ok"' in last_chunk
    fields = [line.split(": ", 1) for line in trailer_section.decode("latin-1").split("\r\n") if line]
    assert [(name.lower(), value) for name, value in fields] == TRAILERS


def test_http2_sends_the_trailers_in_a_headers_frame_after_the_data(base_url: str) -> None:
    answer = h2_exchange(base_url, PATH)
    assert answer.ended
    assert answer.status(0) == 200
    assert ("trailer", "X-Check, Server-Timing") in answer.blocks[0]
    assert b'"X-Check": "ok"' in answer.body
    assert answer.trailers == TRAILERS


def test_without_parameters_it_is_the_echo_alone(client: httpx.Client) -> None:
    response = client.get("/trailers")
    assert (response.status_code, media_type(response)) == (200, "application/json")
    assert "trailer" not in response.headers
    assert response.json()["args"] == {}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("Content-Length=1", "Content-Length"),
        ("Transfer-Encoding=chunked", "Transfer-Encoding"),
        ("Set-Cookie=a%3Db", "Set-Cookie"),
        ("Bad%20Name=1", "Bad Name"),
        ("X-Value=%C3%A9", "X-Value"),
        ("&".join(f"X-{i}=1" for i in range(11)), "trailer"),
    ],
)
def test_a_field_a_trailer_may_not_carry_is_400(client: httpx.Client, query: str, parameter: str) -> None:
    assert assert_problem(client.get(f"/trailers?{query}"), 400)["parameter"] == parameter
