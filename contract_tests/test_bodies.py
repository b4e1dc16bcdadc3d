"""Bodies and streams: /bytes, /stream-bytes, /stream, /range, /drip, /delay, /links, /unstable, /sse.

Expectations come from httpbin's and go-httpbin's documented behaviour (sizes, seeds, lines, the a-z
range resource), RFC 9110 §14 and §15.3.7/§15.5.17 (Range: 206 with Content-Range, 416 with
`bytes */length`), §13.1.2 (304 for a matching If-None-Match), the HTML Living Standard's event stream
format, and the service's documented caps (README): 1 MiB for a size, STATUS_MAX_DELAY (10 s by
default) for a wait. Bad input is 400 problem+json naming the parameter (RFC 9457).
"""

import json
import re
from collections.abc import Callable

import httpx
import pytest
from helpers import assert_problem, head_and_body, media_type, raw_wire

pytestmark = pytest.mark.both_protocols

MIB = 1024 * 1024
LETTERS = b"abcdefghijklmnopqrstuvwxyz"
RANGE_MIB = (LETTERS * (MIB // 26 + 1))[:MIB]  # /range/<n>'s resource: byte i is a-z's i % 26


def test_bytes_sends_n_bytes_with_a_length(client: httpx.Client) -> None:
    response = client.get("/bytes/1000")
    assert (response.status_code, media_type(response)) == (200, "application/octet-stream")
    assert len(response.content) == int(response.headers["content-length"]) == 1000


@pytest.mark.parametrize("path", ["/bytes/64?seed=7", "/stream-bytes/64?seed=7&chunk_size=5"])
def test_a_seed_gives_the_same_bytes_every_time(client: httpx.Client, path: str) -> None:
    first, second = client.get(path), client.get(path)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(first.content) == 64
    assert client.get(path.replace("seed=7", "seed=8")).content != first.content


def test_bytes_and_stream_bytes_draw_the_same_bytes_from_one_seed(client: httpx.Client) -> None:
    assert (
        client.get("/bytes/100?seed=3").content == client.get("/stream-bytes/100?seed=3&chunk_size=7").content
    )


def test_zero_bytes_is_an_empty_answer(client: httpx.Client) -> None:
    response = client.get("/bytes/0")
    assert (response.status_code, response.content) == (200, b"")


def test_stream_bytes_has_no_content_length(client: httpx.Client) -> None:
    with client.stream("GET", "/stream-bytes/30000?chunk_size=1000") as response:
        body = response.read()
    assert response.status_code == 200
    assert "content-length" not in response.headers
    assert len(body) == 30000


@pytest.mark.parametrize(("path", "lines"), [("/stream/3", 3), ("/stream/0", 0), ("/stream/1000", 100)])
def test_stream_sends_n_json_lines_of_the_request(client: httpx.Client, path: str, lines: int) -> None:
    response = client.get(path + "?probe=1")
    assert (response.status_code, media_type(response)) == (200, "application/json")
    items = [json.loads(line) for line in response.text.splitlines()]
    assert [item["id"] for item in items] == list(range(lines))
    assert all(item["args"] == {"probe": "1"} and item["url"].endswith(path + "?probe=1") for item in items)


def test_range_resource_is_letters_with_an_etag_and_accept_ranges(client: httpx.Client) -> None:
    response = client.get("/range/30")
    assert response.status_code == 200
    assert response.content == (LETTERS + LETTERS[:4])
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["etag"] == '"range30"'


@pytest.mark.parametrize(
    ("ranges", "status", "content_range", "body"),
    [
        pytest.param("bytes=0-9", 206, "bytes 0-9/100", LETTERS[:10], id="first-ten"),
        pytest.param("bytes=26-28", 206, "bytes 26-28/100", b"abc", id="wraps-to-a"),
        pytest.param("bytes=-3", 206, "bytes 97-99/100", b"tuv", id="suffix"),
        pytest.param("bytes=100-200", 416, "bytes */100", None, id="past-the-end"),
    ],
)
def test_range_answers_206_or_416(
    client: httpx.Client, ranges: str, status: int, content_range: str, body: bytes | None
) -> None:
    response = client.get("/range/100", headers={"Range": ranges})
    assert response.status_code == status
    assert response.headers["content-range"] == content_range
    if body is not None:
        assert response.content == body


def test_range_answers_304_to_its_own_etag(client: httpx.Client) -> None:
    response = client.get("/range/10", headers={"If-None-Match": '"range10"'})
    assert (response.status_code, response.content) == (304, b"")


# httpbin's /range parameters: chunk_size and duration change how the bytes go, never which or how many.
@pytest.mark.parametrize(
    ("path", "ranges", "status", "body"),
    [
        pytest.param("/range/30?chunk_size=7", None, 200, LETTERS + LETTERS[:4], id="chunks-of-7"),
        pytest.param("/range/100?chunk_size=1&duration=0.3", "bytes=26-28", 206, b"abc", id="a-paced-range"),
        pytest.param(f"/range/{MIB}?chunk_size=1", None, 200, RANGE_MIB, id="a-mib-in-1-byte-chunks"),
    ],
)
def test_range_chunk_size_and_duration_keep_the_bytes(
    client: httpx.Client, path: str, ranges: str | None, status: int, body: bytes
) -> None:
    response = client.get(path, headers={"Range": ranges} if ranges else {})
    assert (response.status_code, response.content) == (status, body)
    assert response.headers["content-length"] == str(len(body))


def test_range_spreads_its_chunks_over_the_duration(base_url: str) -> None:
    received, arrivals, _ = raw_wire(base_url, "/range/40?chunk_size=10&duration=0.4")
    headers, body = head_and_body(received)
    assert (received.startswith(b"HTTP/1.1 200 "), body) == (True, RANGE_MIB[:40])
    assert headers["content-length"] == "40"
    # A lower bound only (speed targets live in the bench): four chunks, each after its 0.1 s share.
    assert len(arrivals) >= 2
    assert arrivals[-1] >= 0.35


@pytest.mark.parametrize("code", [200, 201, 300, 404, 503])
def test_drip_sends_numbytes_asterisks_with_the_code(client: httpx.Client, code: int) -> None:
    response = client.get(f"/drip?numbytes=5&duration=0&code={code}")
    assert response.status_code == code
    assert response.content == b"*****"
    assert response.headers["content-length"] == "5"


def test_drip_asked_for_a_400_sends_asterisks_and_documents_them(client: httpx.Client) -> None:
    # A 400 of its own (a bad parameter) is problem+json; the 400 asked for is the dripped body, and
    # /openapi.json must offer both for that status (Schemathesis found the second missing).
    response = client.get("/drip?numbytes=5&duration=0&code=400")
    assert (response.status_code, response.content) == (400, b"*****")
    assert media_type(response) == "application/octet-stream"
    documented = client.get("/openapi.json").json()["paths"]["/drip"]["get"]["responses"]["400"]["content"]
    assert set(documented) == {"application/octet-stream", "application/problem+json"}


def test_drip_spreads_its_bytes_over_the_duration(client: httpx.Client) -> None:
    response = client.get("/drip?numbytes=4&duration=0.3&delay=0.1")
    assert (response.status_code, response.content) == (200, b"****")


DELAY_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@pytest.mark.parametrize("method", DELAY_METHODS)
def test_delay_answers_as_anything_after_the_wait(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/delay/0.2?x=1", content=b"hi" if method != "GET" else None)
    assert (response.status_code, media_type(response)) == (200, "application/json")
    body = response.json()
    assert (body["method"], body["args"]) == (method, {"x": "1"})


@pytest.mark.parametrize("method", DELAY_METHODS)
def test_delay_past_the_cap_is_400_in_every_method(client: httpx.Client, method: str) -> None:
    assert assert_problem(client.request(method, "/delay/10.5"), 400)["parameter"] == "n"


@pytest.mark.parametrize("method", DELAY_METHODS)
def test_delay_with_a_body_past_the_limit_is_413(
    make_client: Callable[..., httpx.Client], method: str
) -> None:
    # HTTP/1.1 on a fresh connection, as test_echo.py says why.
    with make_client() as once:
        assert_problem(once.request(method, "/delay/0", content=b"x" * (MIB + 1)), 413)


def test_links_starts_at_page_zero(client: httpx.Client) -> None:
    response = client.get("/links/5")
    assert (response.status_code, response.headers["location"]) == (302, "/links/5/0")


def test_links_page_links_every_other_page(client: httpx.Client) -> None:
    response = client.get("/links/4/2")
    assert (response.status_code, media_type(response)) == (200, "text/html")
    assert re.findall(r"href='([^']+)'", response.text) == ["/links/4/0", "/links/4/1", "/links/4/3"]


@pytest.mark.parametrize(("rate", "status"), [("0", 200), ("1", 500), ("0.0", 200), ("1.0", 500)])
def test_unstable_fails_with_its_rate(client: httpx.Client, rate: str, status: int) -> None:
    assert client.get(f"/unstable?failure_rate={rate}").status_code == status


def test_unstable_with_a_seed_repeats_its_draw(client: httpx.Client) -> None:
    statuses = {client.get("/unstable?seed=42").status_code for _ in range(3)}
    assert len(statuses) == 1
    assert statuses <= {200, 500}


def test_sse_sends_count_ping_events(client: httpx.Client) -> None:
    response = client.get("/sse?count=3&duration=0.2")
    assert (response.status_code, media_type(response)) == (200, "text/event-stream")
    events = [block for block in response.text.split("\n\n") if block]
    assert len(events) == 3
    for i, block in enumerate(events):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        assert (fields["id"], fields["event"]) == (str(i), "ping")
        assert json.loads(fields["data"])["id"] == i


BAD = [
    ("/bytes/1048577", "n"),
    ("/bytes/abc", "n"),
    ("/bytes/10?seed=x", "seed"),
    ("/stream-bytes/10?chunk_size=0", "chunk_size"),
    ("/stream-bytes/1048577", "n"),
    ("/stream/x", "n"),
    ("/range/0", "n"),
    ("/range/1048577", "n"),
    ("/range/10?duration=11", "duration"),
    ("/range/10?chunk_size=0", "chunk_size"),
    ("/drip?numbytes=0", "numbytes"),
    ("/drip?numbytes=1048577", "numbytes"),
    ("/drip?code=204", "code"),
    ("/drip?code=199", "code"),
    ("/drip?duration=11", "duration"),
    ("/drip?duration=6&delay=6", "duration"),
    ("/drip?delay=x", "delay"),
    ("/delay/11", "n"),
    ("/delay/-1", "n"),
    ("/links/257", "n"),
    ("/links/3/257", "offset"),
    ("/unstable?failure_rate=1.5", "failure_rate"),
    ("/unstable?seed=-1", "seed"),
    ("/sse?count=0", "count"),
    ("/sse?count=101", "count"),
    ("/sse?duration=8&delay=3", "duration"),
]


@pytest.mark.parametrize(("path", "parameter"), BAD)
def test_bad_input_is_400_naming_the_parameter(client: httpx.Client, path: str, parameter: str) -> None:
    body = assert_problem(client.get(path), 400)
    assert body["parameter"] == parameter
    assert parameter in body["detail"]


def test_a_size_cap_is_the_documented_one(client: httpx.Client) -> None:
    assert len(client.get(f"/bytes/{MIB}").content) == MIB


OTHER_METHODS = ["POST", "PUT", "PATCH", "DELETE"]
# (path, request headers, status): every answer of every route in this group and the compression and
# documents ones, which go-httpbin gives any method; here GET, POST, PUT, PATCH and DELETE answer alike.
ANY_METHOD = [
    ("/bytes/4", {}, 200),
    ("/bytes/x", {}, 400),
    ("/stream-bytes/4", {}, 200),
    ("/stream-bytes/x", {}, 400),
    ("/stream/2", {}, 200),
    ("/stream/x", {}, 400),
    ("/drip?duration=0&numbytes=1", {}, 200),
    ("/drip?duration=0&numbytes=1&code=300", {}, 300),
    ("/drip?duration=0&numbytes=1&code=418", {}, 418),
    ("/drip?duration=0&numbytes=1&code=502", {}, 502),
    ("/drip?numbytes=0", {}, 400),
    ("/links/3", {}, 302),
    ("/links/x", {}, 400),
    ("/links/3/1", {}, 200),
    ("/links/3/x", {}, 400),
    ("/sse?count=1", {}, 200),
    ("/sse?count=0", {}, 400),
    ("/unstable?failure_rate=0", {}, 200),
    ("/unstable?failure_rate=1", {}, 500),
    ("/unstable?failure_rate=2", {}, 400),
    ("/trailers", {}, 200),
    ("/trailers?Host=x", {}, 400),
    ("/html", {}, 200),
    ("/json", {}, 200),
    ("/jsonl?count=1", {}, 200),
    ("/jsonl?count=0", {}, 400),
    ("/xml", {}, 200),
    ("/robots.txt", {}, 200),
    ("/deny", {}, 200),
    ("/image", {"Accept": "image/png"}, 200),
    ("/image", {"Accept": "image/jpeg"}, 200),
    ("/image", {"Accept": "image/webp"}, 200),
    ("/image", {"Accept": "image/svg+xml"}, 200),
    ("/image", {"Accept": "text/html"}, 406),
    ("/image/png", {}, 200),
    ("/image/gif", {}, 404),
    ("/base64/aGk", {}, 200),
    ("/base64/a", {}, 400),
    ("/base64/decode/aGk", {}, 200),
    ("/base64/decode/a", {}, 400),
    ("/base64/encode/hi", {}, 200),
    ("/base64/encode/" + "a" * 2049, {}, 400),
    ("/gzip", {}, 200),
    ("/deflate", {}, 200),
    ("/brotli", {}, 200),
    ("/zstd", {}, 200),
]


@pytest.mark.parametrize("method", OTHER_METHODS)
@pytest.mark.parametrize(("path", "headers", "status"), ANY_METHOD)
def test_every_method_answers_as_get_does(
    client: httpx.Client, method: str, path: str, headers: dict[str, str], status: int
) -> None:
    assert client.request(method, path, headers=headers).status_code == status


@pytest.mark.parametrize("method", OTHER_METHODS)
def test_range_answers_get_only(client: httpx.Client, method: str) -> None:
    # RFC 9110 gives Range (§14.2) and 304 (§15.4.5) meaning for GET and HEAD alone: 405 with Allow.
    response = client.request(method, "/range/4")
    assert_problem(response, 405)
    assert "GET" in response.headers["allow"]


def test_a_tiny_chunk_size_still_sends_every_byte(client: httpx.Client) -> None:
    response = client.get(f"/stream-bytes/{MIB}?chunk_size=1&seed=5")
    assert response.status_code == 200
    assert response.content == client.get(f"/bytes/{MIB}?seed=5").content
