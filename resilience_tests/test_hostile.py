"""Hostile input: every bad request gets a 4xx in the one JSON error shape (or Gunicorn's own 400 for
HTTP it cannot parse), never a 5xx, never HTML built from what the client sent; /healthz stays 200.

Expected statuses come from RFC 9110 / RFC 9112, the project's documented API (/status/<codes> and
/demos/redirects/to, see README) and Gunicorn's measured limits (request line 4094 bytes -> 414,
a header field over 8190 bytes or more than 100 fields -> 431).
"""

import json
import re
import subprocess
import time
import uuid
from typing import Any

import httpx
import pytest
from harness import Compose, RawResponse, media_type, raw_request

from testkit.plugin import FIGURES

PROBLEM = "application/problem+json"
REDIRECT_TO = "/demos/redirects/to"
EVIL = "evil.example"
NEEDS_STATUS = pytest.mark.status_api
NEEDS_REDIRECTS = pytest.mark.redirects_api

# (path or URL with query, expected status, request options). Each expected status is a 4xx answered
# as problem+json, unless noted: a few rows check that a valid but odd request keeps its normal answer.
BAD_CODES = [
    pytest.param("/status/abc", 400, id="code-non-numeric"),
    pytest.param("/status/-404", 400, id="code-negative"),
    pytest.param("/status/" + "9" * 25, 400, id="code-25-digits"),
    pytest.param("/status/%E2%91%A3%E2%91%A0%E2%91%A3", 400, id="code-circled-digits"),
    # int() accepts Arabic-Indic and full-width digits, leading '+', '_' and spaces: a parser must not.
    pytest.param("/status/%D9%A4%D9%A0%D9%A4", 400, id="code-arabic-indic-digits"),
    pytest.param("/status/%EF%BC%94%EF%BC%90%EF%BC%94", 400, id="code-fullwidth-digits"),
    pytest.param("/status/+200", 400, id="code-plus-sign"),
    pytest.param("/status/2_00", 400, id="code-underscore"),
    pytest.param("/status/%20200", 400, id="code-leading-space"),
    pytest.param("/status/200.0", 400, id="code-float"),
    pytest.param("/status/0x1F4", 400, id="code-hex"),
    pytest.param("/status/1e2", 400, id="code-exponent"),
    pytest.param("/status/0", 400, id="code-zero"),
    pytest.param("/status/100", 400, id="code-1xx"),
    pytest.param("/status/199", 400, id="code-199"),
    pytest.param("/status/600", 400, id="code-600"),
    pytest.param("/status/200%00", 400, id="code-nul"),
    pytest.param("/status/200%0D%0A", 400, id="code-crlf"),
    pytest.param("/status/200,", 400, id="list-trailing-comma"),
    pytest.param("/status/,", 400, id="list-only-comma"),
    pytest.param("/status/200,,500", 400, id="list-empty-item"),
    pytest.param("/status/200;500", 400, id="list-semicolon"),
    pytest.param("/status/" + ",".join(["200"] * 1000), 400, id="list-1000-codes"),
    pytest.param("/status/200:", 400, id="weight-missing"),
    pytest.param("/status/:1", 400, id="weight-no-code"),
    pytest.param("/status/200:abc", 400, id="weight-non-numeric"),
    pytest.param("/status/200:-1", 400, id="weight-negative"),
    pytest.param("/status/200:0", 400, id="weight-zero-total"),
    pytest.param("/status/200:0,500:0", 400, id="weights-zero-total"),
    pytest.param("/status/200:1:2", 400, id="weight-two-colons"),
    pytest.param("/status/200:nan", 400, id="weight-nan"),
    pytest.param("/status/200:inf", 400, id="weight-inf"),
    pytest.param("/status/200:1e999", 400, id="weight-overflow"),
]

BAD_OPTIONS = [
    pytest.param("/status/200?delay=abc", 400, id="delay-non-numeric"),
    pytest.param("/status/200?delay=-1", 400, id="delay-negative"),
    pytest.param("/status/200?delay=10.001", 400, id="delay-over-cap"),
    pytest.param("/status/200?delay=nan", 400, id="delay-nan"),
    pytest.param("/status/200?delay=inf", 400, id="delay-inf"),
    pytest.param("/status/200?delay=1e309", 400, id="delay-overflow"),
    pytest.param("/status/200?delay=1%00", 400, id="delay-nul"),
    pytest.param("/status/200?reason=OK%0D%0AX-Injected:%201", 400, id="reason-crlf"),
    pytest.param("/status/200?reason=OK%0AX-Injected:%201", 400, id="reason-lf"),
    pytest.param("/status/200?reason=OK%00", 400, id="reason-nul"),
    pytest.param("/status/200?reason=OK%7F", 400, id="reason-del"),
    pytest.param("/status/200?reason=caf%C3%A9", 400, id="reason-non-ascii"),
    pytest.param("/status/200?header=X-A:%20b%0D%0ASet-Cookie:%20a=b", 400, id="header-crlf-value"),
    pytest.param("/status/200?header=X-A:%20b%0AX-B:%20c", 400, id="header-lf-value"),
    pytest.param("/status/200?header=X-A:%20b%00", 400, id="header-nul-value"),
    pytest.param("/status/200?header=X%0D%0AA:%20b", 400, id="header-crlf-name"),
    pytest.param("/status/200?header=Bad%20Name:%20v", 400, id="header-space-in-name"),
    pytest.param("/status/200?header=NoColon", 400, id="header-no-colon"),
    pytest.param("/status/200?header=:%20v", 400, id="header-empty-name"),
    pytest.param("/status/200?header=Set-Cookie:%20a=b", 400, id="header-set-cookie"),
    pytest.param("/status/200?header=Connection:%20close", 400, id="header-hop-by-hop"),
    pytest.param("/status/200?header=Transfer-Encoding:%20chunked", 400, id="header-transfer-encoding"),
]

# Redirect targets that try to leave the service: all refused, so it is never an open redirect.
OPEN_REDIRECTS = [
    pytest.param(url, id=name)
    for name, url in [
        ("https", f"https://{EVIL}/"),
        ("http", f"http://{EVIL}/"),
        ("upper-scheme", f"HTTPS://{EVIL.upper()}/"),
        ("scheme-relative", f"//{EVIL}/"),
        ("triple-slash", f"///{EVIL}/"),
        ("slash-backslash", f"/\\{EVIL}/"),
        ("backslash-slash", f"\\/{EVIL}/"),
        ("double-backslash", f"\\\\{EVIL}/"),
        ("tab-stripped-by-browsers", f"/\t/{EVIL}/"),
        ("newline", f"/\n/{EVIL}/"),
        ("crlf-header-injection", "/healthz\r\nSet-Cookie: a=b"),
        ("javascript", "javascript:alert(1)"),
        ("javascript-mixed-case", "JaVaScRiPt:alert(1)"),
        ("data-url", "data:text/html,<script>alert(1)</script>"),
        ("scheme-no-slashes", f"http:{EVIL}"),
        ("bare-host", EVIL),
        ("empty", ""),
    ]
]


def check_problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text[:300]
    assert media_type(response.headers.get("content-type")) == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body.get("type", "about:blank") == "about:blank"
    assert response.headers.get("x-content-type-options") == "nosniff"


def check_health(client: httpx.Client) -> None:
    assert client.get("/healthz").status_code == 200


@NEEDS_STATUS
@pytest.mark.parametrize(("target", "status"), [*BAD_CODES, *BAD_OPTIONS])
def test_bad_status_input(client: httpx.Client, target: str, status: int) -> None:
    check_problem(client.get(target), status)
    check_health(client)


@NEEDS_REDIRECTS
@pytest.mark.parametrize("url", OPEN_REDIRECTS)
def test_redirect_never_leaves_the_service(client: httpx.Client, url: str) -> None:
    response = client.get(REDIRECT_TO, params={"url": url, "code": "302"})
    check_problem(response, 400)
    assert "location" not in response.headers
    check_health(client)


@NEEDS_REDIRECTS
@pytest.mark.parametrize(
    ("params", "status"),
    [
        pytest.param({"url": "/healthz", "code": "304"}, 400, id="code-304-not-a-redirect"),
        pytest.param({"url": "/healthz", "code": "200"}, 400, id="code-200"),
        pytest.param({"url": "/healthz", "code": "399"}, 400, id="code-399"),
        pytest.param({"url": "/healthz", "code": "abc"}, 400, id="code-non-numeric"),
        pytest.param({"code": "302"}, 400, id="url-missing"),
        pytest.param({"url": "/healthz", "code": "302\r\nX-Injected: 1"}, 400, id="code-crlf"),
        pytest.param({"url": "/healthz\x00", "code": "302"}, 400, id="url-nul"),
    ],
)
def test_redirect_bad_code(client: httpx.Client, params: dict[str, str], status: int) -> None:
    check_problem(client.get(REDIRECT_TO, params=params), status)


@NEEDS_REDIRECTS
@pytest.mark.parametrize("code", [302, 308])
def test_redirect_to_own_path_is_allowed(client: httpx.Client, code: int) -> None:
    """The control: a same-service path is redirected, so the refusals above are not a blanket 400."""
    response = client.get(REDIRECT_TO, params={"url": "/healthz", "code": str(code)})
    assert response.status_code == code
    assert response.headers["location"] == "/healthz"


@NEEDS_REDIRECTS
@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Host": EVIL}, id="host"),
        pytest.param({"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"}, id="x-forwarded-host"),
    ],
)
def test_redirect_location_ignores_spoofed_host(client: httpx.Client, headers: dict[str, str]) -> None:
    response = client.get("/demos/redirects/302", headers=headers)
    assert response.status_code == 302
    assert EVIL not in response.headers["location"]


MARKUP = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("target", "params", "status"),
    [
        pytest.param("/status/200", {"reason": MARKUP}, 200, id="status-reason", marks=NEEDS_STATUS),
        pytest.param("/status/418", {"reason": MARKUP}, 418, id="status-418-reason", marks=NEEDS_STATUS),
        pytest.param(
            "/status/200", {"header": f"X-Echo: {MARKUP}"}, 200, id="status-header-value", marks=NEEDS_STATUS
        ),
        pytest.param(
            "/status/200",
            {"reason": MARKUP, "header": "Content-Type: text/html"},
            400,
            id="ct-html",
            marks=NEEDS_STATUS,
        ),
        pytest.param(f"/{MARKUP}", {}, 404, id="unknown-path"),
        pytest.param("/%3Cimg%20src=x%20onerror=alert(1)%3E", {}, 404, id="unknown-path-img"),
    ],
)
def test_markup_never_served_as_html(
    client: httpx.Client, target: str, params: dict[str, str], status: int
) -> None:
    """Even a client asking for HTML gets reflected text as plain text or JSON, never as HTML."""
    response = client.get(target, params=params, headers={"Accept": "text/html"})
    assert response.status_code == status
    assert media_type(response.headers.get("content-type")) != "text/html"
    assert response.headers.get("x-content-type-options") == "nosniff"


@pytest.mark.parametrize(
    ("method", "target", "status"),
    [
        pytest.param("FOO", "/healthz", 405, id="bogus-method"),
        pytest.param("PROPFIND", "/healthz", 405, id="webdav-method"),
        pytest.param("TRACE", "/healthz", 405, id="trace-never-echoes"),
        pytest.param("DELETE", "/success", 405, id="delete-on-get-route"),
        pytest.param("GET", "/console", 404, id="werkzeug-debugger-console"),
        pytest.param(
            "GET", "/demos/handlers/unhandled?__debugger__=yes&cmd=resource&f=debugger.js", 500, id="dbg"
        ),
    ],
)
def test_bogus_methods_and_debugger(client: httpx.Client, method: str, target: str, status: int) -> None:
    response = client.request(method, target, headers={"X-Trace-Me": MARKUP})
    check_problem(response, status)
    assert MARKUP not in response.text
    check_health(client)


@pytest.mark.parametrize(
    ("method", "target", "options", "status"),
    [
        # Over MAX_CONTENT_LENGTH on an endpoint that reads its body (the redirect target echoes it).
        pytest.param(
            "POST",
            "/demos/redirects/target",
            {"content": b"x" * (2 * 1024 * 1024 + 1)},
            413,
            id="413",
            marks=NEEDS_REDIRECTS,
        ),
        pytest.param("GET", "/healthz?x=" + "a" * 5000, {}, 414, id="url-over-request-line-limit"),
        pytest.param(
            "GET", "/healthz", {"headers": {"X-Big": "a" * 9000}}, 431, id="header-over-field-limit"
        ),
    ],
)
def test_over_the_limits(
    client: httpx.Client, method: str, target: str, options: dict[str, Any], status: int
) -> None:
    """Each limit answers a 4xx with a status line, not a dropped connection."""
    response = client.request(method, target, **options)
    assert response.status_code == status
    if status == 413:  # the app's answer; 414 and 431 are Gunicorn's, before the app sees the request
        check_problem(response, status)
        # The unread 2 MiB are more than the server drains: it says it will close, and does.
        assert response.headers["connection"] == "close"
    check_health(client)


@NEEDS_STATUS
@pytest.mark.parametrize(
    ("target", "content_type", "body", "status"),
    [
        # /status ignores request bodies: a hostile body changes nothing about the answer.
        pytest.param("/status/201", "application/json", b'{"a": [1, 2', 201, id="malformed-json-ignored"),
        pytest.param(
            "/status/201", "application/xml", b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', 201, id="xml"
        ),
        pytest.param("/status/201", "application/json", b"\xff\xfe\x00garbage", 201, id="binary-as-json"),
    ],
)
def test_hostile_bodies_are_ignored(
    client: httpx.Client, target: str, content_type: str, body: bytes, status: int
) -> None:
    response = client.post(target, content=body, headers={"Content-Type": content_type})
    assert response.status_code == status
    assert media_type(response.headers.get("content-type")) != "text/html"


TRAVERSALS = [
    "/../../etc/passwd",
    "/static/../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/status/..%2f..%2fetc%2fpasswd",
    "/demos/..%2f..%2fservice%2fapp.py",
    "/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
    "/service/app.py",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal(base_url: str, path: str) -> None:
    """Sent on a raw socket, so no client library normalises the dot segments first."""
    raw = raw_request(base_url, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    assert raw.status == 404
    assert media_type(raw.headers.get("content-type")) == PROBLEM
    assert b"root:" not in raw.body
    assert b"create_app" not in raw.body


GUNICORN_400 = [
    pytest.param(b"HELLO\r\n\r\n", id="garbage"),
    pytest.param(b"get /healthz HTTP/1.1\r\nHost: x\r\n\r\n", id="lower-case-method"),
    pytest.param(b"<SCRIPT> /healthz HTTP/1.1\r\nHost: x\r\n\r\n", id="markup-method"),
    pytest.param(b"GET /heal\x00thz HTTP/1.1\r\nHost: x\r\n\r\n", id="nul-in-request-line"),
    pytest.param(b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", id="unknown-version"),
    pytest.param(b"GET /healthz HTTP/1.1\nHost: x\n\n", id="bare-lf"),
    pytest.param(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n", id="obs-fold"),
    pytest.param(b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n", id="space-in-field-name"),
    pytest.param(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-<b>: 1\r\n\r\n", id="markup-field-name"),
    pytest.param(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n", id="control-char-in-value"),
    pytest.param(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\rInjected: b\r\n\r\n", id="bare-cr-in-value"),
    pytest.param(
        b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", id="bad-content-length"
    ),
    pytest.param(
        b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        id="two-lengths",
    ),
    pytest.param(
        b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        id="smuggling-cl-te",
    ),
    # The whole preface is HTTP/2 now (test_http2.py); one that differs from it is HTTP/1.x and a 400.
    pytest.param(b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", id="mangled-h2-preface"),
    pytest.param("GET /h\u00e9llo HTTP/1.1\r\nHost: x\r\n\r\n".encode(), id="raw-utf8-in-target"),
]


def check_gunicorn_error(raw: RawResponse, status: int) -> None:
    """Gunicorn's own error page: the status, Connection: close, and the client's bytes escaped."""
    assert raw.status == status
    assert raw.headers.get("connection") == "close"
    # Written by Gunicorn before the app runs, so without the app's headers (docs/reliability.md says so).
    assert "x-content-type-options" not in raw.headers
    assert b"<script>" not in raw.body.lower()
    assert b"<b>" not in raw.body


@pytest.mark.parametrize("data", GUNICORN_400)
def test_unparsable_http_gets_gunicorns_400(base_url: str, client: httpx.Client, data: bytes) -> None:
    check_gunicorn_error(raw_request(base_url, data), 400)
    check_health(client)


@pytest.mark.parametrize(
    ("data", "status"),
    [
        pytest.param(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, id="request-line-9000"),
        pytest.param(
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 9000 + b"\r\n\r\n", 431, id="field-9000"
        ),
        pytest.param(
            b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
            + b"".join(b"X-%d: a\r\n" % i for i in range(120))
            + b"\r\n",
            431,
            id="120-fields",
        ),
    ],
)
def test_gunicorn_limits_answer_4xx(base_url: str, client: httpx.Client, data: bytes, status: int) -> None:
    check_gunicorn_error(raw_request(base_url, data), status)
    check_health(client)


def test_connect_and_asterisk_forms(base_url: str) -> None:
    """CONNECT and `OPTIONS *` reach the app as unknown paths: 404 problem+json, no tunnel."""
    for data in (
        b"CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\nConnection: close\r\n\r\n",
        b"OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ):
        raw = raw_request(base_url, data)
        assert raw.status == 404
        assert media_type(raw.headers.get("content-type")) == PROBLEM


# Log injection: requests that try to forge, split or colour the service's log lines, or to get a secret
# header written down. Each path carries {m}, the run's marker, so the test finds its own lines.
# (request bytes, True when the app answers it, so it must have exactly one access line)
LOG_INJECTION = [
    pytest.param(b'GET /li-{m}/quote"back\\slash HTTP/1.1\r\n', True, id="quote-backslash-in-path"),
    pytest.param(b"GET /li-{m}/%0d%0a%1b[31m%00%7f%c2%9b HTTP/1.1\r\n", True, id="encoded-controls"),
    pytest.param(b'GET /li-{m}/%0A{"status":200,"forged":true} HTTP/1.1\r\n', True, id="forged-json-line"),
    pytest.param(b"FOO /li-{m}/method HTTP/1.1\r\n", True, id="odd-method"),
    pytest.param(b"GET /li-{m}/esc\x1b[2J HTTP/1.1\r\n", False, id="raw-esc-in-target"),
    pytest.param(b"GET /li-{m}/cr\rInjected: 1 HTTP/1.1\r\n", False, id="raw-cr-in-target"),
    pytest.param(b"GET /li-{m}/nul\x00 HTTP/1.1\r\n", False, id="raw-nul-in-target"),
    pytest.param(b"GET /li-{m}/c1\xc2\x9b31m HTTP/1.1\r\n", False, id="raw-c1-csi-in-target"),
]
# Request ids that must be replaced, never logged as sent (printable ones reach the app).
BAD_IDS = [b'a"b', b"a\\b", b"x" * 65, b"caf\xc3\xa9", b"a b", b"a\x1b[31mb", b"a\rb"]
FIELDS = {"time", "method", "route", "path", "status", "bytes", "duration_ms", "request_id", "client"}
# C0 controls but LF, DEL and C1 controls: none may reach the log as a raw character.
RAW_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def service_log(compose: Compose) -> list[str]:
    """The service's log lines (stdout and stderr), without compose's "service-1  | " prefix."""
    out = subprocess.run(  # noqa: S603 - fixed argv: docker compose with our own arguments
        [*compose.command, "logs", "--no-color", "--no-log-prefix", "service"],
        capture_output=True,
        timeout=60,
        check=True,
    ).stdout
    # Compose 2.26 starts every line it prints with an erase-line sequence (ESC [2K) of its own, TTY
    # or not: that one is dropped; any other control character came from the service.
    return [
        line.removeprefix("\x1b[2K") for line in out.decode("utf-8", errors="backslashreplace").split("\n")
    ]


def test_log_injection_never_reaches_the_log_raw(base_url: str, compose: Compose) -> None:
    marker = uuid.uuid4().hex
    host = b"Host: x\r\nConnection: close\r\n"
    secret = f"secret-{marker}".encode()
    answered: dict[str, RawResponse] = {}
    for param in LOG_INJECTION:
        line, reaches_app = param.values
        request = line.replace(b"{m}", marker.encode())  # type: ignore[union-attr]
        raw = raw_request(base_url, request + host + b"Authorization: Bearer " + secret + b"\r\n\r\n")
        if reaches_app:
            answered[str(param.id)] = raw
        else:
            assert raw.status == 400  # Gunicorn refuses the request line; its warning is escaped
    for i, bad in enumerate(BAD_IDS):
        request = b"GET /li-%s/id-%d?token=%s HTTP/1.1\r\n" % (marker.encode(), i, secret)
        raw = raw_request(base_url, request + host + b"X-Request-ID: " + bad + b"\r\n\r\n")
        if raw.status != 400:  # printable ones reach the app and are replaced
            assert raw.headers["x-request-id"] != bad.decode("latin-1")
            answered[f"id-{i}"] = raw
    ids = {raw.headers["x-request-id"] for raw in answered.values()}
    deadline = time.monotonic() + 15
    while True:  # an access line is written just after its response is sent
        lines = service_log(compose)
        found = [line for line in lines if marker in line and line.startswith("{")]
        if len(found) >= len(answered) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    records = [json.loads(line) for line in found]  # every line is one whole JSON object
    assert len(records) == len(answered)
    assert {r["request_id"] for r in records} == ids
    for record in records:
        assert set(record) == FIELDS
        assert marker in record["path"]
    assert not any("forged" in line and not line.startswith("{") for line in lines)
    assert all("forged" not in json.loads(line) for line in lines if line.startswith("{"))
    bad_lines = [line for line in lines if RAW_CONTROLS.search(line)]
    assert not bad_lines, bad_lines[:3]
    text = "\n".join(lines)
    assert secret.decode() not in text  # neither the Authorization header nor the query string
    for bad in BAD_IDS:
        if bad.isascii() and b" " not in bad and len(bad) < 65:
            assert f'"request_id":"{bad.decode()}"' not in text
    FIGURES["log injection requests"] = str(len(LOG_INJECTION) + len(BAD_IDS))


def test_matrix_size() -> None:
    """The issue asks for at least 60 hostile requests; count them so a shrinking table fails loudly."""
    count = (
        len(BAD_CODES)
        + len(BAD_OPTIONS)
        + len(OPEN_REDIRECTS)
        + 7  # bad redirect codes and parameters
        + 2  # redirect controls
        + 2  # spoofed Host headers
        + 6  # markup
        + 6
        + 3
        + 3
        + len(TRAVERSALS)
        + len(GUNICORN_400)
        + 3
        + 2
        + len(LOG_INJECTION)
        + len(BAD_IDS)
    )
    FIGURES["hostile requests (matrix)"] = str(count)
    assert count >= 60
