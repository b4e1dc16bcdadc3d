"""Identical /status requests answered from the app's own earlier answer, without running Flask again.

A client load-testing its retries or a proxy sends the same request thousands of times a second, and
most of what Flask does for each one (contexts, routing, the hooks, building a Response, checking its
headers) gives the same answer every time (docs/performance.md, fourth pass, has the measured cost of
each path). So once such a request comes a second time its answer is kept, and every later identical
one gets a copy of it, with its own X-Request-ID and the same route for the access log and the metrics.
A request seen only once costs a key, never a kept answer.

Which answers are kept is the view's call, not this module's: the /status view's one decision
(service/tester/status.py, `Decision.replayable`) is asked before Flask runs, and only a request whose
answer nothing but the request decides (one code, no option but `delay`, `reason` and `header`, no
Range) gets a key; every other request goes straight to the app. The view then marks the answer it
gave (`mark_replayable`), so a preflight or an error answered instead is never kept. A delayed answer
is replayed after the same delay. "Identical" means the same method, path, query string, protocol,
scheme, and the same request headers with the same values in the same order, X-Request-ID aside:
everything the app could have read. A request with a body (Content-Length above 0, or chunked) is
always answered by the app.

Bounds (per worker): at most MAX_ANSWERS answers and MAX_ANSWERS keys seen once (when either is full,
it is emptied and fills again), and only requests whose headers take at most MAX_KEY_CHARS characters;
larger ones are always answered by the app. So both hold at most MAX_ANSWERS keys of MAX_KEY_CHARS
characters, and the cache as many answers of one /status body each.
"""

import time
from collections.abc import Callable, Iterable
from typing import Any

from service.pipeline.request_id import HEADER, environ_request_id
from service.seam import REPLAYABLE as ENV_REPLAYABLE
from service.seam import ROUTE as ENV_ROUTE

MAX_ANSWERS = 256
MAX_KEY_CHARS = 2048
# The request id never decides an answer: a hit gets its own (the given one if valid, as the app does).
_IGNORED = "HTTP_X_REQUEST_ID"
_ID_LOWER = HEADER.lower()


def mark_replayable(environ: dict[str, Any], delay: float = 0.0) -> None:
    """Called by a view: the answer it is about to give is the same for every identical request, each
    after `delay` seconds (the view's own wait, which a replay repeats)."""
    environ[ENV_REPLAYABLE] = delay


class Answer:
    """A kept answer: the status line, the headers around X-Request-ID, the body and the route."""

    __slots__ = ("after", "before", "body", "delay", "route", "status")

    def __init__(
        self, status: str, headers: list[tuple[str, str]], at: int, body: bytes, route: str, delay: float
    ) -> None:
        self.status, self.body, self.route, self.delay = status, body, route, delay
        self.before, self.after = headers[:at], headers[at + 1 :]


class Replay:
    """WSGI middleware around Flask's wsgi_app (create_app installs it): keep, then replay, answers.

    decide: the view's decision for a request, before Flask runs: the delay its answer waits for when
    every identical request gets the same answer, else None (and no key is built).
    """

    def __init__(
        self, app: Callable[..., Iterable[bytes]], decide: Callable[[dict[str, Any]], float | None]
    ) -> None:
        self.app = app
        self.decide = decide
        self.answers: dict[tuple[Any, ...], Answer] = {}
        # Requests seen once: an answer is kept only when its request comes again, so traffic that never
        # repeats pays for a key, not for keeping answers nobody asks for again.
        self.seen: set[tuple[Any, ...]] = set()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        key = _key(environ) if self.decide(environ) is not None else None
        if key is None:
            return self.app(environ, start_response)
        answer = self.answers.get(key)
        if answer is not None:
            if answer.delay:
                time.sleep(answer.delay)  # cooperative under gevent, as the view's own wait is
            environ[ENV_ROUTE] = answer.route
            headers = [*answer.before, (HEADER, environ_request_id(environ)), *answer.after]
            start_response(answer.status, headers)
            return [answer.body]
        if key not in self.seen:
            if len(self.seen) >= MAX_ANSWERS:
                self.seen.clear()
            self.seen.add(key)
            return self.app(environ, start_response)
        seen: list[Any] = []

        def keep_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.app(environ, keep_start)
        delay = environ.get(ENV_REPLAYABLE)
        if delay is None or not seen or ENV_ROUTE not in environ:
            return result
        status, headers = seen
        # The request id is one of the last headers (the pipeline's after-steps add it): look from the end.
        at = next((i for i in range(len(headers) - 1, -1, -1) if headers[i][0].lower() == _ID_LOWER), None)
        if at is None:
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if len(self.answers) >= MAX_ANSWERS:
            self.answers.clear()
        self.answers[key] = Answer(status, list(headers), at, body, environ[ENV_ROUTE], delay)
        self.seen.discard(key)
        return [body]


def _key(environ: dict[str, Any]) -> tuple[Any, ...] | None:
    """What decides an answer, or None for a request that is always answered by the app."""
    if environ.get("HTTP_TRANSFER_ENCODING") or environ.get("CONTENT_LENGTH", "0") not in ("", "0"):
        return None
    headers = tuple([item for item in environ.items() if item[0][:5] == "HTTP_" and item[0] != _IGNORED])
    if sum([len(name) + len(value) for name, value in headers]) > MAX_KEY_CHARS:
        return None
    return (
        environ.get("REQUEST_METHOD"),
        environ.get("SCRIPT_NAME"),
        environ.get("PATH_INFO"),
        environ.get("QUERY_STRING"),
        environ.get("SERVER_PROTOCOL"),
        environ.get("wsgi.url_scheme"),
        environ.get("CONTENT_TYPE"),
        headers,
    )
