"""Conditional requests on /demos/conditional/document: 200, 304, 206, 412, 416 and 428, on the wire."""

import httpx
import pytest
from helpers import assert_problem, media_type

# Status, headers and bodies must be the same over HTTP/1.1 and HTTP/2 (conftest.py).
pytestmark = pytest.mark.both_protocols

PATH = "/demos/conditional/document"
DOCUMENT = b"0123456789abcdefghijklmnopqrstuvwxyz\n"  # 37 bytes
ETAG = '"v1"'  # strong: no W/ prefix
LAST_MODIFIED = "Thu, 01 Jan 2026 00:00:00 GMT"
TEXT = "text/plain"

FULL = [
    pytest.param({}, id="unconditional"),
    pytest.param({"If-None-Match": '"v0"'}, id="if-none-match-stale"),
    pytest.param({"If-Modified-Since": "Wed, 31 Dec 2025 00:00:00 GMT"}, id="modified-since-the-day-before"),
    pytest.param({"If-Match": ETAG}, id="if-match-current"),
    pytest.param({"If-Match": "*"}, id="if-match-star"),
    pytest.param({"If-Match": '"v0", "v1"'}, id="if-match-list"),
    pytest.param({"Range": "bytes=0-9", "If-Range": '"v0"'}, id="if-range-stale-whole-document"),
    pytest.param({"Range": "bytes=0-9", "If-Range": "Wed, 31 Dec 2025 00:00:00 GMT"}, id="if-range-old-date"),
    # RFC 9110 §14.2: a server MAY ignore Range; this one ignores several ranges rather than 416.
    pytest.param({"Range": "bytes=0-1,5-6"}, id="multi-range-ignored"),
    # RFC 9110 §14.2: an unknown range unit MUST be ignored.
    pytest.param({"Range": "items=0-1"}, id="unknown-unit-ignored"),
]


@pytest.mark.parametrize("headers", FULL)
def test_whole_document_200(client: httpx.Client, headers: dict[str, str]) -> None:
    response = client.get(PATH, headers=headers)
    assert response.status_code == 200
    assert media_type(response) == TEXT
    assert response.content == DOCUMENT
    assert response.headers["etag"] == ETAG
    assert response.headers["last-modified"] == LAST_MODIFIED
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["content-length"] == "37"


NOT_MODIFIED = [
    pytest.param({"If-None-Match": ETAG}, id="if-none-match"),
    pytest.param({"If-None-Match": 'W/"v1"'}, id="if-none-match-weak-compares-equal"),
    pytest.param({"If-None-Match": '"v0", "v1"'}, id="if-none-match-list"),
    pytest.param({"If-None-Match": "*"}, id="if-none-match-star"),
    pytest.param({"If-Modified-Since": LAST_MODIFIED}, id="if-modified-since-same-date"),
    pytest.param({"If-Modified-Since": "Fri, 02 Jan 2026 00:00:00 GMT"}, id="if-modified-since-later"),
]


@pytest.mark.parametrize("headers", NOT_MODIFIED)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_not_modified_304(client: httpx.Client, method: str, headers: dict[str, str]) -> None:
    response = client.request(method, PATH, headers=headers)
    assert response.status_code == 304
    assert response.content == b""
    # RFC 9110 §15.4.5: the 304 carries the ETag, Date and Cache-Control the 200 would have carried.
    assert response.headers["etag"] == ETAG
    assert response.headers["cache-control"] == "no-cache"
    assert "date" in response.headers
    # ... and no representation metadata: Werkzeug drops the type, the length and Last-Modified.
    for absent in ("content-type", "content-length", "last-modified"):
        assert absent not in response.headers


PARTIAL = [
    pytest.param({"Range": "bytes=0-9"}, "bytes 0-9/37", b"0123456789", id="first-ten"),
    pytest.param({"Range": "bytes=30-"}, "bytes 30-36/37", b"uvwxyz\n", id="open-ended"),
    pytest.param({"Range": "bytes=-5"}, "bytes 32-36/37", b"wxyz\n", id="suffix"),
    pytest.param({"Range": "bytes=30-100"}, "bytes 30-36/37", b"uvwxyz\n", id="end-past-length-clipped"),
    pytest.param({"Range": "bytes=0-9", "If-Range": ETAG}, "bytes 0-9/37", b"0123456789", id="if-range-etag"),
    pytest.param(
        {"Range": "bytes=0-9", "If-Range": LAST_MODIFIED}, "bytes 0-9/37", b"0123456789", id="if-range-date"
    ),
    # Werkzeug deviations, pinned as measured: RFC 9110 §13.1.5 says a weak If-Range never matches
    # (the whole 200), and §13.2.2 evaluates If-None-Match before Range (a 304). Werkzeug sends 206.
    pytest.param(
        {"Range": "bytes=0-9", "If-Range": 'W/"v1"'},
        "bytes 0-9/37",
        b"0123456789",
        id="werkzeug-weak-if-range",
    ),
    pytest.param(
        {"Range": "bytes=0-9", "If-None-Match": ETAG},
        "bytes 0-9/37",
        b"0123456789",
        id="werkzeug-range-first",
    ),
]


@pytest.mark.parametrize(("headers", "content_range", "body"), PARTIAL)
def test_partial_content_206(
    client: httpx.Client, headers: dict[str, str], content_range: str, body: bytes
) -> None:
    response = client.get(PATH, headers=headers)
    assert response.status_code == 206
    assert media_type(response) == TEXT
    assert response.headers["content-range"] == content_range
    assert response.headers["content-length"] == str(len(body))
    assert response.headers["etag"] == ETAG
    assert response.content == body


UNSATISFIABLE = [
    pytest.param("bytes=100-200", id="past-the-end"),
    pytest.param("bytes=37-", id="starts-at-length"),
    pytest.param("bytes=9-3", id="last-before-first"),
    pytest.param("bytes=abc", id="garbage"),
]


@pytest.mark.parametrize("range_header", UNSATISFIABLE)
def test_range_not_satisfiable_416(client: httpx.Client, range_header: str) -> None:
    response = client.get(PATH, headers={"Range": range_header})
    body = assert_problem(response, 416)
    # RFC 9110 §15.5.17: the 416 names the current length, so the client can ask again.
    assert response.headers["content-range"] == "bytes */37"
    assert body["detail"]


@pytest.mark.parametrize("if_match", ['"v0"', 'W/"v1"', '"V1"'])
def test_get_with_failing_if_match_is_412_problem(client: httpx.Client, if_match: str) -> None:
    response = client.get(PATH, headers={"If-Match": if_match})
    body = assert_problem(response, 412)
    assert '"v1"' in body["detail"]
    assert DOCUMENT.decode() not in response.text


WRITES = [
    pytest.param({"If-Match": ETAG}, 204, id="current-etag-204"),
    pytest.param({"If-Match": "*"}, 204, id="star-204"),
    pytest.param({"If-Match": '"v0", "v1"'}, 204, id="list-with-current-204"),
    pytest.param({"If-Match": '"v0"'}, 412, id="stale-etag-412"),
    # If-Match uses the strong comparison (RFC 9110 §13.1.1): a weak tag never matches.
    pytest.param({"If-Match": 'W/"v1"'}, 412, id="weak-etag-412"),
    pytest.param({}, 428, id="no-if-match-428"),
]


@pytest.mark.parametrize(("headers", "status"), WRITES)
def test_put_is_guarded_by_if_match(client: httpx.Client, headers: dict[str, str], status: int) -> None:
    response = client.put(PATH, headers={"Content-Type": TEXT, **headers}, content=b"new text\n")
    if status == 204:
        assert response.status_code == 204
        assert response.content == b""
        assert "content-type" not in response.headers
        assert response.headers["etag"] == ETAG
    else:
        body = assert_problem(response, status)
        assert body["detail"]
