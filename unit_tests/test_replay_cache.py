"""service/tester/replay.py: an identical /status request gets the app's earlier answer, and only then.

The app is called through a counter, so each test knows whether the app answered or the replay did. A
request seen once is only remembered; its second coming is answered by the app and kept; from the
third on, the replay answers.
"""

import time
from collections.abc import Iterable
from typing import Any

import pytest
from wsgi_call import call, environ

from service.app import create_app
from service.seam import ROUTE as ENV_ROUTE
from service.tester import replay


class Counted:
    """create_app()'s WSGI app with the replay's inner app (Flask's own wsgi_app) counted."""

    def __init__(self) -> None:
        self.app = create_app()
        self.replay: replay.Replay = self.app.wsgi_app  # type: ignore[assignment]
        inner = self.replay.app
        self.calls = 0

        def counting(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            self.calls += 1
            return inner(environ, start_response)

        self.replay.app = counting

    def send(
        self,
        path: str,
        method: str = "GET",
        query: str = "",
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> tuple[str, list[tuple[str, str]], bytes, dict[str, Any]]:
        sent = {"Host": "127.0.0.1:8000", **(headers or {})}
        return call(self.app, environ(path, method, query, sent, body))


def without_id(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in headers if name != "X-Request-ID"]


def request_id(headers: list[tuple[str, str]]) -> str:
    return next(value for name, value in headers if name == "X-Request-ID")


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "DELETE"])
@pytest.mark.parametrize("code", [200, 204, 301, 304, 401, 418, 429, 503, 599])
def test_a_replayed_answer_is_the_app_s_with_its_own_id(method: str, code: int) -> None:
    counted = Counted()
    counted.send(f"/status/{code}", method)
    status, headers, body, environ = counted.send(f"/status/{code}", method)
    again = [counted.send(f"/status/{code}", method) for _ in range(3)]
    assert counted.calls == 2
    for status2, headers2, body2, environ2 in again:
        assert (status2, without_id(headers2), body2) == (status, without_id(headers), body)
        assert headers2.index(("X-Request-ID", request_id(headers2))) == headers.index(
            ("X-Request-ID", request_id(headers))
        )
        assert environ2[ENV_ROUTE] == environ[ENV_ROUTE] == "/status/<codes>"
    ids = {request_id(headers), *(request_id(h) for _, h, _, _ in again)}
    assert len(ids) == 4


def test_a_request_seen_once_is_remembered_not_kept() -> None:
    counted = Counted()
    counted.send("/status/200", headers={"User-Agent": "once"})
    assert not counted.replay.answers
    assert len(counted.replay.seen) == 1
    counted.send("/status/200", headers={"User-Agent": "once"})
    assert len(counted.replay.answers) == 1
    assert not counted.replay.seen


def test_a_valid_request_id_is_echoed_on_a_replay_and_a_bad_one_replaced() -> None:
    counted = Counted()
    counted.send("/status/418", headers={"X-Request-ID": "first"})
    counted.send("/status/418", headers={"X-Request-ID": "kept"})
    _, headers, _, _ = counted.send("/status/418", headers={"X-Request-ID": "second-id"})
    _, bad, _, _ = counted.send("/status/418", headers={"X-Request-ID": "no spaces allowed"})
    assert counted.calls == 2
    assert request_id(headers) == "second-id"
    assert len(request_id(bad)) == 32
    assert request_id(bad) != "no spaces allowed"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({}, {"ACCEPT": "application/json"}),
        ({}, {"Origin": "https://example.com"}),
        ({"Origin": "https://example.com"}, {}),
        ({"ACCEPT": "application/json"}, {"ACCEPT": "application/json", "User-Agent": "another"}),
    ],
)
def test_a_different_header_is_answered_by_the_app(first: dict[str, str], second: dict[str, str]) -> None:
    counted = Counted()
    for _ in range(2):  # kept
        counted.send("/status/418", headers=first)
    _, headers, body, _ = counted.send("/status/418", headers=second)
    assert counted.calls == 3
    fresh = Counted()
    _, expected_headers, expected_body, _ = fresh.send("/status/418", headers=second)
    assert (without_id(headers), body) == (without_id(expected_headers), expected_body)


@pytest.mark.parametrize(
    ("path", "method", "query", "body"),
    [
        ("/status/200,500", "GET", "", b""),  # a random choice
        ("/status/200:1,200:1", "GET", "", b""),  # two entries, even of one code
        ("/status/200", "GET", "sequence=replay-test", b""),  # a client-testing option
        ("/status/503", "GET", "retry_after=7", b""),
        ("/status/206", "GET", "", b""),  # depends on Range
        ("/status/abc", "GET", "", b""),  # an error
        ("/status/200", "POST", "", b"a body"),  # a request with a body
        ("/success", "GET", "", b""),  # another route
    ],
)
def test_other_answers_are_never_kept(path: str, method: str, query: str, body: bytes) -> None:
    counted = Counted()
    for _ in range(3):
        counted.send(path, method, query, body)
    assert counted.calls == 3
    assert not counted.replay.answers


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/status/200,500", ""),
        ("/status/200", "sequence=replay-key"),
        ("/status/200", "fault=reset"),
        ("/status/206", ""),
        ("/status/abc", ""),
        ("/status/200", "delay=99"),  # over the cap: the view answers 400
        ("/status/200/more", ""),
        ("/success", ""),
    ],
)
def test_no_key_is_built_where_the_view_declines(
    path: str, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The view's one decision (status.Decision.replayable) is asked first: no key, no lookup.
    built: list[dict[str, Any]] = []
    key = replay._key

    def counting(environ: dict[str, Any]) -> tuple[Any, ...] | None:
        built.append(environ)
        return key(environ)

    monkeypatch.setattr(replay, "_key", counting)
    counted = Counted()
    counted.send(path, query=query)
    assert built == []
    counted.send("/status/200", query="reason=Fine")
    assert len(built) == 1


def test_the_view_s_own_options_answer_is_kept() -> None:
    counted = Counted()  # OPTIONS without Origin: not a preflight, /status answers it (with Allow)
    for _ in range(4):
        status, headers, _, _ = counted.send("/status/503", "OPTIONS")
    assert counted.calls == 2
    assert status.startswith("503")
    assert ("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS") in headers


def test_a_preflight_is_never_kept() -> None:
    counted = Counted()
    for _ in range(3):
        counted.send(
            "/status/200",
            "OPTIONS",
            headers={"Origin": "https://example.com", "Access-Control-Request-Method": "DELETE"},
        )
    assert counted.calls == 3


def test_the_cache_is_bounded_and_refills() -> None:
    counted = Counted()
    for n in range(replay.MAX_ANSWERS):
        counted.send("/status/200", headers={"User-Agent": f"client-{n}"})
        counted.send("/status/200", headers={"User-Agent": f"client-{n}"})
    assert len(counted.replay.answers) == replay.MAX_ANSWERS
    for _ in range(2):
        counted.send("/status/200", headers={"User-Agent": "one more"})
    assert len(counted.replay.answers) == 1
    calls = counted.calls
    counted.send("/status/200", headers={"User-Agent": "one more"})
    assert counted.calls == calls


def test_the_keys_seen_once_are_bounded() -> None:
    counted = Counted()
    for n in range(replay.MAX_ANSWERS + 1):
        counted.send("/status/200", headers={"User-Agent": f"client-{n}"})
    assert len(counted.replay.seen) == 1
    assert not counted.replay.answers


def test_large_headers_are_never_kept() -> None:
    counted = Counted()
    for _ in range(3):
        counted.send("/status/200", headers={"COOKIE": "x" * replay.MAX_KEY_CHARS})
    assert counted.calls == 3
    assert not counted.replay.answers
    assert not counted.replay.seen


@pytest.mark.parametrize("query", ["reason=Fine", "header=X-Test:%201", "delay=0.2&reason=Slow"])
def test_answers_with_delay_reason_or_header_are_kept(query: str) -> None:
    counted = Counted()
    counted.send("/status/200", query=query)
    first = counted.send("/status/200", query=query)
    began = time.monotonic()
    again = counted.send("/status/200", query=query)
    took = time.monotonic() - began
    assert counted.calls == 2
    assert (again[0], without_id(again[1]), again[2]) == (first[0], without_id(first[1]), first[2])
    assert took >= (0.2 if "delay" in query else 0.0)
