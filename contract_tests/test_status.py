"""/status/<codes>: every final status 200-599 with the headers RFC 9110 asks of it, on the wire."""

from collections.abc import Callable

import httpx
import pytest
from helpers import allowed_methods, assert_problem, media_type, raw_exchange

# Status, headers and bodies must be the same over HTTP/1.1 and HTTP/2 (conftest.py).
pytestmark = pytest.mark.both_protocols

TEXT = "text/plain; charset=utf-8"
JSON = "application/json"
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
NO_CONTENT = {204, 205, 304}  # RFC 9110 §15.3.5, §15.3.6, §15.4.5
# The status line's phrase for codes whose RFC 9110 name is the same in every Python we run on.
REASONS = {
    200: "OK",
    404: "Not Found",
    418: "I'm a Teapot",
    299: "Unassigned",
    306: "Unused",
    599: "Unassigned",
}


def required_headers(code: int) -> dict[str, str]:
    """The headers RFC 9110 requires of a status (values as docs/status-target.md has them); Allow: a set."""
    headers = {"vary": "Accept", "x-content-type-options": "nosniff"}
    if 300 <= code < 400 and code != 304:  # §15.4: 304 is no redirect; 300's Location is optional, sent
        headers["location"] = "/status/200"
    if code == 401:  # §15.5.2
        headers["www-authenticate"] = 'Basic realm="status", charset="UTF-8"'
    if code == 416:  # §15.5.17
        headers["content-range"] = "bytes */0"
    if code in (429, 503):  # RFC 6585 §4, RFC 9110 §15.6.4
        headers["retry-after"] = "1"
    return headers


def assert_status_response(response: httpx.Response, code: int, method: str = "GET") -> None:
    """Status, required headers, and body (or emptiness) of an answer from /status/<code>."""
    assert response.status_code == code
    for name, value in required_headers(code).items():
        assert response.headers[name] == value
    if "location" not in required_headers(code):
        assert "location" not in response.headers
    # §15.5.6: 405 must carry Allow; OPTIONS describes the methods. Werkzeug strips Allow from a 304
    # along with the other "entity headers", so an OPTIONS that is answered 304 has none.
    if code == 405 or (method == "OPTIONS" and code != 304):
        assert allowed_methods(response) == METHODS
    else:
        assert "allow" not in response.headers
    if code in NO_CONTENT:
        assert response.content == b""
        assert "content-type" not in response.headers
    elif method == "HEAD":
        assert response.content == b""
        assert response.headers["content-type"] == TEXT
    else:
        assert response.headers["content-type"] == TEXT
        assert response.text.startswith(f"{code} ")
        assert response.text.endswith("\n")


@pytest.mark.parametrize("code", range(200, 600), ids=str)
def test_every_final_code_over_get(client: httpx.Client, code: int) -> None:
    assert_status_response(client.get(f"/status/{code}"), code)


@pytest.mark.parametrize("code", range(200, 600), ids=str)
def test_head_has_the_get_status_and_headers_and_no_body(client: httpx.Client, code: int) -> None:
    get, head = client.get(f"/status/{code}"), client.head(f"/status/{code}")
    assert_status_response(head, code, "HEAD")
    # RFC 9110 §9.3.2: the same header fields as GET (Content-Type and Content-Length too), no content.
    # Date and the request id differ per response by design.
    per_response = ("date", "x-request-id")
    assert {k: v for k, v in head.headers.items() if k not in per_response} == {
        k: v for k, v in get.headers.items() if k not in per_response
    }


# One code per documented status key (2XX, 204, 205, 206, 3XX, 304, 400, 401, 405, 416, 429, 4XX, 503, 5XX).
KEYS = [200, 204, 205, 206, 301, 304, 400, 401, 405, 416, 429, 418, 503, 500]


@pytest.mark.parametrize("method", sorted(METHODS))
@pytest.mark.parametrize("code", KEYS, ids=str)
def test_every_method_answers_the_code(client: httpx.Client, method: str, code: int) -> None:
    response = client.request(method, f"/status/{code}", content=b"ignored" if method != "GET" else None)
    assert_status_response(response, code, method)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_bad_input_is_problem_json_for_every_method(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/status/abc")
    assert response.status_code == 400
    assert media_type(response) == "application/problem+json"
    if method != "HEAD":
        assert_problem(response, 400)


@pytest.mark.parametrize(("code", "reason"), REASONS.items(), ids=str)
def test_reason_phrase_is_rfc_9110s_never_unknown(
    client: httpx.Client, protocol: str, code: int, reason: str
) -> None:
    response = client.get(f"/status/{code}")
    assert response.status_code == code
    assert response.text.splitlines()[0] == f"{code} {reason}"  # the body names it over both protocols
    if protocol == "HTTP/1.1":  # HTTP/2 carries no reason phrase (test_http2.py); httpx makes one up
        assert response.reason_phrase == reason


ACCEPT = [
    pytest.param(None, TEXT, id="no-accept-text"),
    pytest.param("*/*", TEXT, id="any-text"),
    pytest.param("application/json", JSON, id="json"),
    pytest.param("application/*", JSON, id="application-wildcard-json"),
    pytest.param("text/plain;q=0.5, application/json", JSON, id="json-preferred"),
    pytest.param("application/json, text/plain", TEXT, id="tie-goes-to-text"),
    pytest.param("text/html", TEXT, id="html-asked-text-given-never-html"),
]


@pytest.mark.parametrize(("accept", "content_type"), ACCEPT)
def test_body_is_text_or_json_by_accept(client: httpx.Client, accept: str | None, content_type: str) -> None:
    response = client.get("/status/503", headers={"Accept": accept} if accept else {})
    assert response.status_code == 503
    assert response.headers["content-type"] == content_type
    assert response.headers["vary"] == "Accept"
    if content_type == JSON:
        body = response.json()
        assert body["status"] == 503
        assert isinstance(body["title"], str)
        assert isinstance(body["description"], str)
        assert set(body) == {"status", "title", "description"}
    else:
        assert response.text.startswith("503 ")


@pytest.mark.parametrize("code", sorted(NO_CONTENT), ids=str)
def test_no_content_stays_empty_when_json_is_asked(client: httpx.Client, code: int) -> None:
    response = client.get(f"/status/{code}", headers={"Accept": JSON})
    assert response.status_code == code
    assert response.content == b""
    assert "content-type" not in response.headers


def test_204_has_no_content_length_205_says_zero(client: httpx.Client) -> None:
    # RFC 9110 §8.6: no Content-Length on 204. A 205 must have no content (§15.3.6): Content-Length: 0.
    assert "content-length" not in client.get("/status/204").headers
    assert client.get("/status/205").headers["content-length"] == "0"


@pytest.mark.parametrize(("code", "dropped"), [(407, "proxy-authenticate"), (426, "upgrade")])
def test_hop_by_hop_headers_never_reach_the_wire(client: httpx.Client, code: int, dropped: str) -> None:
    # RFC 9110 wants Proxy-Authenticate on 407 and Upgrade on 426, but both are hop-by-hop: PEP 3333
    # forbids a WSGI app to send them and Gunicorn drops them. The body says so.
    response = client.get(f"/status/{code}")
    assert response.status_code == code
    assert dropped not in response.headers
    assert "PEP 3333" in response.text


def test_unassigned_codes_are_sent_as_asked(client: httpx.Client) -> None:
    response = client.get("/status/599", headers={"Accept": JSON})
    assert response.status_code == 599
    assert response.json()["title"] == "Unassigned"
    assert "500" in response.json()["description"]  # a client treats an unknown 5xx as 500


@pytest.mark.parametrize(
    ("method", "code", "final_method"),
    [
        pytest.param("POST", 301, "GET", id="301-post-becomes-get"),  # what clients do (RFC 9110 §15.4.2)
        pytest.param("POST", 302, "GET", id="302-post-becomes-get"),
        pytest.param("POST", 303, "GET", id="303-post-becomes-get"),
        pytest.param("POST", 307, "POST", id="307-keeps-post"),
        pytest.param("PUT", 308, "PUT", id="308-keeps-put"),
    ],
)
def test_a_following_client_ends_on_200(
    make_client: Callable[..., httpx.Client], method: str, code: int, final_method: str
) -> None:
    response = make_client(follow_redirects=True).request(method, f"/status/{code}", content=b"x")
    assert [r.status_code for r in response.history] == [code]
    assert response.status_code == 200
    assert response.request.method == final_method
    assert response.url.path == "/status/200"
    assert response.text.startswith("200 ")


def test_a_method_the_target_lacks_is_405_with_allow(client: httpx.Client) -> None:
    response = client.request("TRACE", "/status/200")
    assert_problem(response, 405)
    assert allowed_methods(response) == METHODS


@pytest.mark.parametrize(
    "path",
    ["/status/100", "/status/101", "/status/103", "/status/199", "/status/200,100", "/status/200:1,100:0"],
)
def test_1xx_is_refused_with_an_explanation(client: httpx.Client, path: str) -> None:
    body = assert_problem(client.get(path), 400)
    assert "1xx" in body["detail"]
    assert "100-continue" in body["detail"]
    assert "/demos/early-hints/preload" in body["detail"]  # the two real 1xx the stack can show


def _heads(raw: bytes) -> tuple[bytes, bytes]:
    """The first two response heads in raw bytes: the interim one and the final one."""
    interim, _, rest = raw.partition(b"\r\n\r\n")
    return interim, rest.partition(b"\r\n\r\n")[0]


def test_expect_100_continue_gets_a_real_interim_response(base_url: str) -> None:
    # Gunicorn itself answers `Expect: 100-continue` with `100 Continue`, then the final status follows.
    headers = (
        b"POST /status/201 HTTP/1.1\r\nHost: status\r\nContent-Type: text/plain\r\n"
        b"Content-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
    )
    interim, final = _heads(raw_exchange(base_url, headers, b"hello", timeout=5))  # body after the 100
    assert interim == b"HTTP/1.1 100 Continue"
    assert final.split(b"\r\n")[0].startswith(b"HTTP/1.1 201 ")
    assert b"\r\nContent-Type: text/plain; charset=utf-8" in final


def test_gunicorn_says_100_continue_even_to_a_request_it_refuses(base_url: str) -> None:
    # Gunicorn sends `100 Continue` as soon as it has parsed the headers, before the app runs, so even a
    # request the app refuses is invited to send its body; the final 400 follows without waiting for it.
    request = (
        b"PUT /status/100 HTTP/1.1\r\nHost: status\r\nContent-Length: 5\r\n"
        b"Expect: 100-continue\r\nConnection: close\r\n\r\n"
    )
    interim, final = _heads(raw_exchange(base_url, request, timeout=5))  # the body is never sent
    assert interim == b"HTTP/1.1 100 Continue"
    assert final.split(b"\r\n")[0].startswith(b"HTTP/1.1 400 ")
    assert b"\r\nContent-Type: application/problem+json" in final
