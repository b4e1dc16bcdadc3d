"""status.Direct: a replayable /status request answered without Flask's dispatch gets Flask's own answer.

Every request is sent twice: through create_app()'s whole WSGI stack (the replay middleware, then
status.Direct), and to another app's Flask wsgi_app alone, with the same X-Request-ID. The two answers
must match: status line, every header in order, body, and the route left for the access log. Requests
Direct leaves to Flask (a missing Host, a preflight, bad input, the client-testing options) must match
as well.
"""

from collections.abc import Iterable
from typing import Any

import pytest
from wsgi_call import Answer, call, environ

from service.app import create_app
from service.seam import ROUTE
from service.tester import status


class Stacks:
    """The whole stack of one app, with Flask's calls behind Direct counted, and Flask alone of another."""

    def __init__(self) -> None:
        self.whole = create_app()
        direct: status.Direct = self.whole.wsgi_app.app  # type: ignore[attr-defined]  # Replay(Direct(...))
        inner = direct.wsgi_app
        self.flask_calls = 0

        def counted(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            self.flask_calls += 1
            return inner(environ, start_response)

        direct.wsgi_app = counted
        self.alone = create_app().wsgi_app.app.wsgi_app  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def stacks() -> Stacks:
    return Stacks()


def both(
    stacks: Stacks,
    path: str,
    method: str = "GET",
    query: str = "",
    headers: dict[str, str] | None = None,
    protocol: str = "HTTP/1.1",
) -> tuple[Answer, Answer, int]:
    """(the whole stack's answer, Flask's own answer, how many times Direct handed over to Flask)."""
    sent = {"Host": "127.0.0.1:8000", "X-Request-ID": "same-id", **(headers or {})}
    if sent["Host"] == "":
        del sent["Host"]
    before = stacks.flask_calls
    first = call(stacks.whole, environ(path, method, query, sent, protocol=protocol))
    second = call(stacks.alone, environ(path, method, query, sent, protocol=protocol))
    return first, second, stacks.flask_calls - before


def assert_same(first: Answer, second: Answer) -> None:
    assert first[0] == second[0]
    assert first[1] == second[1]
    assert first[2] == second[2]
    assert first[3].get(ROUTE) == second[3].get(ROUTE)


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("accept", ["*/*", "application/json", "text/plain;q=0.5, application/json"])
def test_every_code_is_flask_s_answer(stacks: Stacks, method: str, accept: str) -> None:
    for code in [*range(200, 600, 7), 204, 205, 304, 401, 405, 416, 418, 429, 503]:
        first, second, flask_calls = both(stacks, f"/status/{code}", method, headers={"Accept": accept})
        assert_same(first, second)
        assert flask_calls == 0, code


@pytest.mark.parametrize(
    "query",
    ["reason=Fine", "header=X-Test:%201&header=Link:%20%3C%2F%3E", "delay=0&reason=Later", "delay=0.01"],
)
def test_request_shaped_options_are_flask_s_answer(stacks: Stacks, query: str) -> None:
    for code in (200, 302, 404, 429, 503):
        first, second, flask_calls = both(stacks, f"/status/{code}", query=query)
        assert_same(first, second)
        assert flask_calls == 0


@pytest.mark.parametrize(
    ("path", "method", "query", "headers", "protocol"),
    [
        ("/status/200", "GET", "", {"Host": ""}, "HTTP/1.1"),  # no Host: 400 from the before-step
        ("/status/200", "GET", "", {"Host": ""}, "HTTP/1.0"),  # HTTP/1.0 may omit it: answered directly
        (
            "/status/200",
            "OPTIONS",
            "",
            {"Origin": "https://a.example", "Access-Control-Request-Method": "PUT"},
            "HTTP/1.1",
        ),
        ("/status/200", "GET", "delay=99", {}, "HTTP/1.1"),  # bad input
        ("/status/200,200", "GET", "", {}, "HTTP/1.1"),  # two entries, even of one code: not replayable
        ("/status/206", "GET", "", {"Range": "bytes=0-3"}, "HTTP/1.1"),
        ("/status/503", "GET", "retry_after=5", {}, "HTTP/1.1"),
        ("/status/200", "TRACE", "", {}, "HTTP/1.1"),  # 405
        ("/status/200/x", "GET", "", {}, "HTTP/1.1"),  # 404
    ],
)
def test_what_direct_leaves_to_flask_is_flask_s_answer(
    stacks: Stacks, path: str, method: str, query: str, headers: dict[str, str], protocol: str
) -> None:
    first, second, flask_calls = both(stacks, path, method, query, headers, protocol)
    assert_same(first, second)
    direct = headers.get("Host") == "" and protocol == "HTTP/1.0"
    assert flask_calls == (0 if direct else 1)
