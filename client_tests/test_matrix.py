"""The client matrix, measured: the committed table is a fresh run, and each client does what its docs say.

Expectations come from each client's own documentation (or the standard it implements), never from
the service's code. Where a client contradicts its documentation, or RFC 9110, the cell is a finding:
it is pinned below as measured (FINDINGS) and written up in docs/clients.md, not hidden.
"""

import difflib
from typing import Any

import matrix
import pytest
from conftest import MOVED, Results

GET_NO_BODY = {"status": 200, "method": "GET", "body": False}
POST_WITH_BODY = {"status": 200, "method": "POST", "body": True}

# (column, row, fields the observation must hold, where the client documents it)
DOCUMENTED: list[tuple[str, str, dict[str, Any], str]] = [
    *[("curl", f"post-{c}", GET_NO_BODY, "curl(1) --post30x: POST becomes GET") for c in (301, 302, 303)],
    *[("curl", f"post-{c}", POST_WITH_BODY, "curl(1) --location: 307/308 keep") for c in (307, 308)],
    *[("requests", f"post-{c}", GET_NO_BODY, "requests' rebuild_method") for c in (301, 302, 303)],
    *[("requests", f"post-{c}", POST_WITH_BODY, "requests' rebuild_method") for c in (307, 308)],
    *[("httpx", f"post-{c}", GET_NO_BODY, "httpx: redirects as browsers do") for c in (301, 302, 303)],
    *[("httpx", f"post-{c}", POST_WITH_BODY, "httpx: redirects as browsers do") for c in (307, 308)],
    *[("Go net/http", f"post-{c}", GET_NO_BODY, "net/http Client.Do") for c in (301, 302, 303)],
    *[("Go net/http", f"post-{c}", POST_WITH_BODY, "net/http Client.Do, GetBody") for c in (307, 308)],
    *[
        (
            column,
            f"post-{c}",
            GET_NO_BODY if c < 307 else POST_WITH_BODY,
            "Fetch standard, HTTP-redirect fetch",
        )
        for column in ("Node fetch", "Chromium fetch")
        for c in (301, 302, 303, 307, 308)
    ],
    *[
        ("urllib", f"post-{c}", {"status": c, "raised": "HTTPError"}, "urllib: redirect_request refuses")
        for c in (307, 308)
    ],
    *[("Node http", f"post-{c}", {"status": c, "hops": 0}, "Node http never follows") for c in (301, 307)],
    ("httpx", "early-hints", {"status": 200, "bytes": 40}, "httpx skips 1xx responses"),
    ("Node http", "early-hints", {"interim": [103], "status": 200}, "Node http: the 'information' event"),
    ("Node http2", "early-hints", {"interim": [103], "status": 200}, "Node http2: the stream's 'headers'"),
    ("Go net/http", "early-hints", {"interim": [103], "status": 200}, "httptrace Got1xxResponse"),
    (
        "curl",
        "early-hints",
        {"interim": [103], "status": 200, "next": 418, "reused": True},
        "curl: 1xx shown",
    ),
    ("curl", "expect-100", {"interim": [100], "status": 200}, "curl(1) --expect100-timeout"),
    ("Node http", "expect-100", {"interim": [100], "method": "POST"}, "Node http: the 'continue' event"),
    ("Go net/http", "expect-100", {"interim": [100]}, "net/http Transport.ExpectContinueTimeout"),
    ("Node fetch", "expect-100", {"error": "TypeError (UND_ERR_NOT_SUPPORTED)"}, "undici: no Expect"),
    ("requests", "unauthorized-401", {"status": 401, "auth": "at once"}, "requests' HTTPBasicAuth"),
    ("httpx", "unauthorized-401", {"status": 401, "auth": "at once"}, "httpx's BasicAuth"),
    ("urllib", "unauthorized-401", {"status": 401, "auth": "after the challenge"}, "HTTPBasicAuthHandler"),
    ("curl", "unauthorized-401", {"status": 401, "auth": "at once"}, "curl(1) --user: Basic by default"),
    ("Node fetch", "proxy-auth-407", {"error": "TypeError"}, "Fetch standard: a 407 is a network error"),
    ("Chromium fetch", "proxy-auth-407", {"error": "TypeError: Failed to fetch"}, "Fetch standard"),
    ("urllib", "unknown-499", {"status": 499, "raised": "HTTPError"}, "urllib: HTTPErrorProcessor"),
    ("urllib", "unknown-299", {"status": 299, "ok": True}, "urllib: HTTPErrorProcessor (2xx passes)"),
    ("requests", "unknown-299", {"ok": True}, "requests: Response.ok is status < 400"),
    ("requests", "unknown-599", {"ok": False}, "requests: Response.ok is status < 400"),
    ("Node fetch", "unknown-299", {"ok": True}, "Fetch standard: ok status is 200-299"),
    *[
        (column, row, {"status": 200, "attempts": tries}, source)
        for column, source in (("curl", "curl(1) --retry"), ("requests", "urllib3 Retry(status_forcelist)"))
        for row, tries in (("retry-after-429", 2), ("retry-after-503", 2), ("fail-twice", 3))
    ],
    ("httpx", "retry-after-503", {"status": 503, "attempts": 1}, "httpx: retries only failed connects"),
    ("Node fetch", "retry-after-429", {"status": 429, "attempts": 1}, "Fetch standard: no retries"),
    *[
        (column, "redirect-chain", {"status": 200, "hops": 5}, "follows redirects by default")
        for column in ("curl", "requests", "urllib", "httpx", "aiohttp", "Go net/http")
    ],
    ("curl", "redirect-loop", {"error": "exit 47 (too many redirects)"}, "curl(1) --max-redirs: 50"),
    ("requests", "redirect-loop", {"error": "TooManyRedirects"}, "requests: Session.max_redirects 30"),
    ("httpx", "redirect-loop", {"error": "TooManyRedirects"}, "httpx: max_redirects 20"),
    ("aiohttp", "redirect-loop", {"error": "TooManyRedirects"}, "aiohttp: max_redirects 10"),
    ("Go net/http", "redirect-loop", {"error": "stopped after 10 redirects"}, "net/http: default policy"),
    ("Node fetch", "redirect-loop", {"error": "TypeError"}, "Fetch standard: over 20 is a network error"),
    ("curl h2c", "reason-phrase", {"reason": ""}, "RFC 9113 §8.3.2: no reason phrase"),
    ("Node http2", "reason-phrase", {"reason": ""}, "RFC 9113 §8.3.2: no reason phrase"),
    ("curl", "reason-phrase", {"reason": "Short and stout"}, "HTTP/1.1 carries the phrase sent"),
]

# Measured behaviour that contradicts the client's documentation or RFC 9110: each is a finding in
# docs/clients.md ("Findings"), pinned here so a fix upstream shows up as a failure to write up.
FINDINGS: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "requests",
        "early-hints",
        {"status": 103, "bytes": 0, "next": 200, "reused": True},
        "RFC 9110 §15.2: a client must parse 1xx before the final answer; http.client returns the 103",
    ),
    ("urllib", "early-hints", {"status": 103, "bytes": 0}, "the same http.client, raised as HTTPError"),
    (
        "curl h2c",
        "no-content-204",
        {"status": 204, "next_error": "exit 16 (HTTP/2 error)"},
        "curl 7.88 cannot reuse a prior-knowledge h2c connection (fixed in curl 8.0)",
    ),
    (
        "curl h2c",
        "post-307",
        {"error": "exit 16 (HTTP/2 error)"},
        "the same curl 7.88 bug, on the redirect's second request",
    ),
]


def observation(results: Results, column: str, row: str) -> dict[str, Any]:
    return results[column][1][row]


@pytest.mark.parametrize(("column", "row", "expected", "source"), DOCUMENTED + FINDINGS)
def test_the_client_does_what_is_written(
    results: Results, column: str, row: str, expected: dict[str, Any], source: str
) -> None:
    seen = observation(results, column, row)
    assert {name: seen.get(name) for name in expected} == expected, source


def test_no_client_takes_a_truncated_body_for_a_whole_one(results: Results) -> None:
    # The worst outcome of ?fault=truncate would be a 200 with half the body and no error.
    accepted = [column for column, (_, found) in results.items() if "error" not in found["fault-truncate"]]
    assert accepted == []


def test_every_client_waits_out_a_dripped_body(results: Results) -> None:
    for column, (_, found) in results.items():
        assert {k: found["fault-drip"].get(k) for k in ("status", "bytes")} == {"status": 200, "bytes": 44}, (
            column
        )


def test_at_least_nine_clients_and_fifteen_rows(results: Results) -> None:
    assert len(results) >= 9
    assert len(matrix.plan_rows()) >= 15


def test_the_service_answered_every_client(results: Results) -> None:
    # A refused connection means the container went away mid-run: every later cell would be wrong.
    assert matrix.refused(results) == []


def test_every_cell_was_measured(results: Results) -> None:
    # A client that crashed or overran its time leaves rows it never printed: never a cell in the table.
    unmeasured = [
        (column, row)
        for column, (_, found) in results.items()
        for row, seen in found.items()
        if str(seen.get("error", "")).startswith("client ")
    ]
    assert unmeasured == []


def test_the_committed_table_is_a_fresh_run(results: Results, pytestconfig: pytest.Config) -> None:
    # Every cell must be this run's; a client's version only to its major release (matrix.by_major):
    # a browser's security update alone must not fail the build. What moved is reported at the end of
    # the run (conftest.py), and `make clients-table` writes it.
    fresh, committed = matrix.render(results), matrix.committed()
    pytestconfig.stash[MOVED] = matrix.moved(fresh, committed)
    fresh, committed = matrix.by_major(fresh), matrix.by_major(committed)
    lines = difflib.unified_diff(committed.splitlines(), fresh.splitlines(), "docs/clients.md", "this run")
    diff = "\n".join(line.rstrip("\n") for line in lines)
    assert fresh == committed, f"docs/clients.md is not this run; `make clients-table` rewrites it:\n{diff}"
