# ruff: noqa: E501  (each quote stays on one line, so it can be searched for in the RFC)
"""Every status's required and recommended headers, held against RFC 9110's own words, in one table.

Each row quotes the sentence it checks. Where a WSGI origin server cannot do what the RFC asks (407's
Proxy-Authenticate and 426's Upgrade are hop-by-hop, PEP 3333 forbids them), the row pins the documented
deviation instead, so it cannot drift unnoticed.
"""

import re
from collections.abc import Callable

import httpx
import pytest

pytestmark = pytest.mark.both_protocols

Check = Callable[[httpx.Client, int], None]


def has(name: str, pattern: str = ".+") -> Check:
    def check(client: httpx.Client, code: int) -> None:
        assert re.fullmatch(pattern, client.get(f"/status/{code}").headers.get(name, "")), name

    return check


def lacks(name: str) -> Check:
    def check(client: httpx.Client, code: int) -> None:
        assert name not in client.get(f"/status/{code}").headers

    return check


def no_content(client: httpx.Client, code: int) -> None:
    response = client.get(f"/status/{code}")
    assert response.content == b""
    assert "content-type" not in response.headers


def allow_on_options(client: httpx.Client, code: int) -> None:
    assert "GET" in client.options(f"/status/{code}").headers["allow"]


def content_range_matches(client: httpx.Client, code: int) -> None:
    whole = client.get(f"/status/{code}")
    found = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", whole.headers["content-range"])
    assert found is not None
    first, last, length = map(int, found.groups())
    assert (first, last + 1, length) == (0, len(whole.content), len(whole.content))
    part = client.get(f"/status/{code}", headers={"Range": "bytes=2-5"})
    assert part.headers["content-range"] == f"bytes 2-5/{length}"
    assert part.content == whole.content[2:6]


def vary_as_200(client: httpx.Client, code: int) -> None:
    assert client.get(f"/status/{code}").headers["vary"] == client.get("/status/200").headers["vary"]


REDIRECTS = [300, 301, 302, 303, 307, 308]
# (codes, check, section, the RFC's words)
TABLE = [
    (
        range(200, 500),
        has("date"),
        "6.6.1",
        "An origin server with a clock MUST generate a Date header field in all 2xx (Successful), 3xx (Redirection), and 4xx (Client Error) responses",
    ),
    (
        [206],
        content_range_matches,
        "15.3.7.1",
        "a server that generates a 206 response with a single part MUST generate a Content-Range header field describing what range of the selected representation is enclosed",
    ),
    (
        [204, 205, 304],
        no_content,
        "15.3.5, 15.3.6, 15.4.5",
        "A 204 response is terminated by the end of the header section; it cannot contain content or trailers",
    ),
    (
        REDIRECTS,
        has("location"),
        "15.4",
        "the server SHOULD generate a Location header field in the response containing a preferred URI reference",
    ),
    (
        [304],
        lacks("location"),
        "15.4.5",
        "304 is not a redirect: it tells a cache to use its stored response",
    ),
    (
        [304],
        vary_as_200,
        "15.4.5",
        "The server generating a 304 response MUST generate any of the following header fields that would have been sent in a 200 (OK) response: ... Vary",
    ),
    (
        [401],
        has("www-authenticate", r'Basic realm="[^"]+".*'),
        "15.5.2",
        "The server generating a 401 response MUST send a WWW-Authenticate header field containing at least one challenge",
    ),
    (
        [405],
        has("allow", r"(?:[A-Z]+, )*[A-Z]+"),
        "15.5.6",
        "The origin server MUST generate an Allow header field in a 405 response containing a list of the target resource's currently supported methods",
    ),
    (
        [200, 204],
        allow_on_options,
        "9.3.7",
        "A server generating a successful response to OPTIONS SHOULD send any header that might indicate optional features implemented by the server (e.g., Allow)",
    ),
    (
        [407],
        lacks("proxy-authenticate"),
        "15.5.8",
        "MUST send a Proxy-Authenticate header field: a hop-by-hop field a WSGI app may not set (PEP 3333); documented",
    ),
    (
        [416],
        has("content-range", r"bytes \*/\d+"),
        "15.5.17",
        "a server generating a 416 response to a byte-range request SHOULD generate a Content-Range header field specifying the current length of the selected representation",
    ),
    (
        [426],
        lacks("upgrade"),
        "15.5.22",
        "The server MUST send an Upgrade header field: hop-by-hop, for the server that owns the connection; documented",
    ),
    (
        [429],
        has("retry-after", r"\d+"),
        "RFC 6585 §4",
        "The response representations SHOULD include details ... and MAY include a Retry-After header",
    ),
    (
        [503],
        has("retry-after", r"\d+"),
        "15.6.4",
        "The server MAY send a Retry-After header field to suggest an appropriate amount of time for the client to wait",
    ),
    (
        range(200, 600),
        has("requested-status", r"[2-5]\d\d"),
        "docs/status-target.md",
        "every answer /status chose says so, so it is never mistaken for a real failure",
    ),
]
CASES = [
    pytest.param(code, check, id=f"{code}-{section}-{getattr(check, '__qualname__', 'check').split('.')[0]}")
    for codes, check, section, _ in TABLE
    for code in codes
]


@pytest.mark.parametrize(("code", "check"), CASES)
def test_rfc_9110_table(client: httpx.Client, code: int, check: Check) -> None:
    check(client, code)
