"""/status/<codes>: the httpbin-style test target — any final status 200-599, sent the way RFC 9110 asks.

Syntax: `418` (one code), `200,500` (a uniform random choice), `200:3,500:1` (a weighted choice; an
entry without a weight weighs 1; a weight of 0 means "never", so `200:1,500:0` switches the 500 off, and
only a list whose weights are all 0 is refused). At most 20 entries and 200 characters. Parsing and the
options' bounds live in service/tester/status_input.py. Every method answers the chosen status: GET,
POST, PUT, PATCH, DELETE, and OPTIONS too (as httpbin does, so clients can test how they treat an
OPTIONS failure) with an `Allow` header listing the methods (Werkzeug strips it from a 304). HEAD gets
the same status and headers as GET (RFC 9110 §9.3.2), Content-Type and Content-Length included, and no
body.

Decisions, each pinned by contract_tests/test_status.py and test_status_input.py:
- Headers RFC 9110 requires per status are sent: Location on every 3xx but 304 (to /status/200, so a
  client that follows ends on a 200), WWW-Authenticate on 401, Allow on 405, Content-Range on 416,
  Retry-After on 429 and 503. 204, 205 and 304 have no body and no Content-Type.
- Proxy-Authenticate (407) and Upgrade (426) are hop-by-hop headers: PEP 3333 forbids a WSGI app to
  set them, and Gunicorn drops them anyway. So 407 and 426 leave without them. That is the truth of a
  WSGI origin server: a real 407 comes from a proxy, a real 426 from the server that owns the
  connection. A proxy in front (e.g. nginx `add_header`) is the place to add them.
- 1xx codes are refused with 400 (by parse_codes, as by the schema): an interim response is never a
  final one (RFC 9110 §15.2). The stack shows two real ones: Gunicorn answers `Expect: 100-continue`
  with `100 Continue` by itself, as soon as it has parsed the headers and before the app runs (so even
  to a request the app refuses); and /demos/early-hints/preload has Gunicorn send `103 Early Hints`
  before its 200.
- The reason phrase is RFC 9110's (Python's http.HTTPStatus), not Werkzeug's upper case; a code with
  no registered meaning (299, 599) goes out as "Unassigned", never Werkzeug's "UNKNOWN".
- Bodies are plain text unless Accept prefers application/json. A 400 about the *request* (bad codes,
  bad options) is problem+json, so a client can tell it from a 400 it asked for.
- Options: delay (seconds, 0-10; STATUS_MAX_DELAY moves the cap), reason (printable ASCII, at most 64
  characters), header (repeatable `Name: Value`, at most 10, never one the server, the status or this
  origin's safety owns). Unknown query parameters are refused rather than ignored: a typo must not
  pass silently.
"""

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import lru_cache
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, Flask, Response, abort, current_app, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.utils import get_content_type

from service.contract.reply import Header, Reply, documented, header
from service.pipeline import Steps
from service.pipeline.cors import preflight_if
from service.pipeline.media import JSON, PROBLEM_JSON, TEXT, best_of
from service.settings import Settings
from service.tester import attempts, sequences
from service.tester.faults import FaultyResponse
from service.tester.replay import mark_replayable
from service.tester.status_input import (
    NO_OPTIONS,
    Choice,
    Options,
    parameters,
    parse_codes,
    parse_options,
    takes_retry_after,
)

bp = Blueprint("status", __name__, url_prefix="/status")
PREFIX = f"{bp.url_prefix}/"

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
ALLOW = ", ".join(METHODS)
REDIRECT_TARGET = "/status/200"
RETRY_AFTER_SECONDS = "1"
# The statuses that never carry content (RFC 9110 §15.3.5, §15.3.6, §15.4.5): no body, no Content-Type.
WITHOUT_CONTENT = frozenset({204, 205, 304})
# On every answer /status chose, never on its own 400s and 503s: tells an asked-for failure from a real one.
REQUESTED = "Requested-Status"
STEP, LENGTH = "Sequence-Step", "Sequence-Length"
# The IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers) a 429 carries: an illustrative policy of
# 60 requests a minute, used up, its reset the Retry-After.
RATELIMIT_POLICY = '"status";q=60;w=60'
STORE_RETRY_AFTER = 5  # seconds a client waits before asking a sequence store that was down


@lru_cache(maxsize=512)  # 400 codes at most; pure, and on every request's path
def describe(code: int) -> tuple[str, str]:
    """(title, description) for a code: RFC 9110's phrase, or "Unassigned" for a code with no meaning."""
    try:
        status = HTTPStatus(code)
    except ValueError:
        # IANA lists 306 as "(Unused)"; every other code Python does not know is unassigned.
        title = "Unused" if code == 306 else "Unassigned"
        return title, (
            f"{code} has no registered meaning: a client that does not know it treats it as "
            f"{code // 100}00 (RFC 9110 §15)."
        )
    notes = {
        407: "Proxy-Authenticate is hop-by-hop: a WSGI app may not send it (PEP 3333).",
        426: "Upgrade is hop-by-hop: a WSGI app may not send it (PEP 3333).",
    }
    text = (status.description or status.phrase).rstrip(".") + "."
    return status.phrase, " ".join(part for part in (text, notes.get(code)) if part)


def status_headers(code: int, method: str, retry_after: str | None = None) -> list[tuple[str, str]]:
    """The headers RFC 9110 asks of this status (and of an OPTIONS answer); retry_after on 3xx, 429, 503."""
    headers = [("Vary", "Accept")]
    if 300 <= code < 400 and code != 304:
        headers.append(("Location", REDIRECT_TARGET))
    if code == 401:
        headers.append(("WWW-Authenticate", 'Basic realm="status", charset="UTF-8"'))
    if code == 405 or method == "OPTIONS":
        headers.append(("Allow", ALLOW))
    if code == 416:
        headers.append(("Content-Range", "bytes */0"))
    if retry_after is not None and takes_retry_after(code):
        headers.append(("Retry-After", retry_after))
    elif code in (429, 503):
        headers.append(("Retry-After", RETRY_AFTER_SECONDS))
    if code == 429:
        headers.append(("RateLimit-Policy", RATELIMIT_POLICY))
        reset = _seconds_until(retry_after) if retry_after is not None else int(RETRY_AFTER_SECONDS)
        if reset is not None:
            headers.append(("RateLimit", f'"status";r=0;t={reset}'))
    return headers


def _seconds_until(retry_after: str) -> int | None:
    """Retry-After as seconds from now (an HTTP-date in the past is 0); None for a date no calendar has."""
    if retry_after.isdigit():
        return int(retry_after)
    try:
        return max(0, int(parsedate_to_datetime(retry_after).timestamp() - time.time()))
    except ValueError:
        return None


def _replies() -> list[Reply]:
    """What /status can answer: every status as text or JSON (none for 204, 205, 304), with its headers."""
    every = [
        header("Vary", "Accept"),
        header("Allow", f"on every OPTIONS answer (and on 405): {ALLOW}"),
        header(REQUESTED, "the status code that was asked for: this answer is no real failure"),
        header(
            STEP, "with ?sequence=: which request of the series this was (1, 2, ...)", schema_type="integer"
        ),
        header(
            LENGTH,
            "with ?sequence=: the steps before the series stays on its last code",
            schema_type="integer",
        ),
    ]
    retry = header("Retry-After", "?retry_after= as given: seconds or an HTTP-date")
    waits = header("Retry-After", f"{RETRY_AFTER_SECONDS} (seconds), or ?retry_after= as given")
    own: dict[int | str, list[Header]] = {
        206: [header("Content-Range", "bytes first-last/length of the body sent (a Range request's part)")],
        "3XX": [header("Location", f"{REDIRECT_TARGET} (every 3xx but 304)"), retry],
        304: [retry],
        401: [header("WWW-Authenticate", 'Basic realm="status", charset="UTF-8"')],
        416: [header("Content-Range", "bytes */0")],
        429: [
            waits,
            header("RateLimit-Policy", f"{RATELIMIT_POLICY} (IETF RateLimit fields, illustrative)"),
            header("RateLimit", '"status";r=0;t=<seconds until Retry-After>'),
        ],
        503: [waits],
    }
    replies = []
    for status in ("2XX", 204, 205, 206, "3XX", 304, 400, 401, 405, 416, 429, "4XX", 503, "5XX"):
        headers = [*every, *own.get(status, [])]
        if status in WITHOUT_CONTENT:
            replies.append(Reply(status, None, headers))
        else:
            replies += [Reply(status, TEXT, headers), Reply(status, JSON, headers)]
    # A 400 about the request itself (bad codes or options) is the usual problem+json; so is a 503 from
    # the sequence store (its key cap reached, or Redis down), never marked as requested.
    store = "from the sequence store: its key cap (SEQUENCE_MAX_KEYS) reached, or STATE_URL's Redis down"
    return [*replies, Reply(400, PROBLEM_JSON), Reply(503, PROBLEM_JSON, [header("Retry-After", store)])]


@dataclass(frozen=True, slots=True)
class Decision:
    """What a /status request asks for: the codes to choose from and the options, both checked.

    replayable: every identical request gets the same answer: one code (not 206, which reads Range) and
    no option but delay, reason and header (service/tester/replay.py keeps such answers).
    """

    choice: Choice
    options: Options
    replayable: bool


def _decided(choice: Choice, options: Options) -> Decision:
    codes = choice.codes
    one = len(codes) == 1 and codes[0] != HTTPStatus.PARTIAL_CONTENT
    return Decision(choice, options, one and options.request_shaped)


# Where a Decision made before Flask ran (replay_decision) waits for the view; only this module uses it.
_DECISION = "service.status.decision"


def decide(codes: str, args: "MultiDict[str, str]", max_delay: int) -> Decision:
    """The one decision of a /status request; ValueError (a 400) for bad codes or options."""
    if not args:
        return _plain(codes)  # the common case: no query string, no cap to read
    choice = parse_codes(codes)
    return _decided(choice, parse_options(args, choice, max_delay))


@lru_cache(maxsize=256)  # pure, as parse_codes is; errors are not cached
def _plain(codes: str) -> Decision:
    return _decided(parse_codes(codes), NO_OPTIONS)


def replay_decision(max_delay: int) -> Callable[[dict[str, Any]], float | None]:
    """For the replay middleware (create_app installs it): the view's decision, made before Flask runs.

    The returned function gives the delay a replay must wait for a request whose answer the view will
    mark replayable, and None for every other request (no key is built for those). The decision is left
    in the environ, so the view does not make it again.
    """

    def replay_delay(environ: dict[str, Any]) -> float | None:
        path: str = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX) or "/" in path[len(PREFIX) :]:
            return None
        query = environ.get("QUERY_STRING")
        try:
            if query:
                decision = decide(path[len(PREFIX) :], _args(query), max_delay)
            else:
                decision = _plain(path[len(PREFIX) :])
        except ValueError:  # bad codes or options (or a query that is no UTF-8): the view says why
            return None
        environ[_DECISION] = decision
        return decision.options.delay if decision.replayable else None

    return replay_delay


def _args(query: str) -> "MultiDict[str, str]":
    """The query string as Flask's request.args parses it (Werkzeug's Request.args)."""
    pairs = parse_qsl(query.encode("latin-1").decode(), keep_blank_values=True, errors="werkzeug.url_quote")
    return ImmutableMultiDict(pairs)


def _decision(codes: str, environ: dict[str, Any]) -> Decision:
    """This request's decision: the one replay_decision left, or made now (raises ValueError)."""
    found: Decision | None = environ.get(_DECISION)
    if found is not None:
        return found
    args = request.args
    return decide(codes, args, _max_delay() if args else 0)


def _acceptable(codes: str) -> bool:
    """False where the view answers 400 (bad codes or options): a preflight there gets that 400."""
    try:
        _decision(codes, request.environ)
    except ValueError:
        return False
    return True


@bp.route("/<codes>", methods=list(METHODS))
@documented(*_replies(), parameters=lambda settings: _parameters(settings), methods=METHODS)
@preflight_if(_acceptable)
def status(codes: str) -> Response:
    """The status chosen from `codes` (200-599), with the headers and body RFC 9110 asks of it.

    `418`, `200,500` (uniform) or `200:3,500:1` (weighted). Bad codes or options: 400 problem+json.

    curl -i 'http://127.0.0.1:8000/status/200:3,503:1?delay=0.5'
    """
    environ = request.environ
    try:
        decision = _decision(codes, environ)
    except ValueError as exc:
        abort(HTTPStatus.BAD_REQUEST, str(exc))
    return _respond(environ, decision)


def _respond(environ: dict[str, Any], decision: Decision) -> Response:
    """The answer to a decided request: the code drawn (or the sequence's step), the delay waited."""
    choice, options = decision.choice, decision.options
    if options.sequence is None:
        code = choice.pick()
        marks: tuple[tuple[str, str], ...] = ((REQUESTED, str(code)),)
    else:
        n = _advance(options.sequence)
        code = choice.step(n)
        marks = ((REQUESTED, str(code)), (STEP, str(n)), (LENGTH, str(int(sum(choice.weights)))))
        method = environ["REQUEST_METHOD"]
        attempts.record(
            options.sequence, n, code, status_headers(code, method, options.retry_after), options.fault
        )
    if options.delay:
        time.sleep(options.delay)
    if decision.replayable:
        # The same request always gets this answer, after the same delay (service/tester/replay.py).
        mark_replayable(environ, options.delay)
    response = _answer(environ, code, options, marks)
    return FaultyResponse(response, options.fault, options.duration) if options.fault else response


class Direct:
    """WSGI middleware around Flask's wsgi_app (create_app installs it): a replayable /status request
    answered without Flask's dispatch.

    Such a request's route is known from its path and its answer from its Decision alone, so Flask's
    request context, routing and hook calls add nothing to it. This runs the same steps in the same
    order as Flask would: the pipeline's before-steps, the view's _respond, the pipeline's after-steps
    (service/pipeline/__init__.py, Steps.around). Anything that raises on the way (a missing Host, a
    preflight's own check) is answered by Flask from the start, errors included; every other request
    goes to Flask untouched.
    """

    def __init__(self, app: Flask, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app
        self.request_class = app.request_class
        self.steps: Steps = app.extensions["pipeline"]
        self.rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == f"{bp.name}.status")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        decision: Decision | None = environ.get(_DECISION)
        if decision is None or not decision.replayable or environ.get("REQUEST_METHOD") not in METHODS:
            return self.wsgi_app(environ, start_response)
        current = self.request_class(environ)
        current.url_rule = self.rule
        current.view_args = {"codes": environ["PATH_INFO"][len(PREFIX) :]}
        try:
            response = self.steps.around(current, lambda: _respond(environ, decision))
        except Exception:  # nothing was sent yet: Flask answers it, its error handlers included
            return self.wsgi_app(environ, start_response)
        return response(environ, start_response)


def _parameters(settings: Settings) -> list[dict[str, Any]]:
    """The OpenAPI parameters for this app's delay cap and sequence limits."""
    return parameters(settings.status_max_delay, settings.sequence_ttl, settings.sequence_max_keys)


def _advance(key: str) -> int:
    """The request's number in its sequence; a 503 problem when the store is full or cannot be reached."""
    try:
        return sequences.store().advance(key)
    except sequences.StoreFull as full:
        raise ServiceUnavailable(
            f"the sequence store holds its cap of {full.max_keys} keys; a new key fits when the oldest "
            f"expires, in {full.retry_after} s (a known key keeps counting). No step was taken.",
            retry_after=full.retry_after,
        ) from None
    except sequences.StoreDown as down:
        raise ServiceUnavailable(
            f"{down} No step was taken; everything but ?sequence= is served.", retry_after=STORE_RETRY_AFTER
        ) from None


def _max_delay() -> int:
    """This app's delay cap (create_app's Settings, so a test can set it without Gunicorn)."""
    settings: Settings = current_app.extensions["settings"]
    return settings.status_max_delay


def _answer(
    environ: dict[str, Any], code: int, options: Options, marks: tuple[tuple[str, str], ...]
) -> Response:
    """The one body builder: the status line, RFC 9110's headers, the marks, the option headers and the
    body (none for 204, 205, 304) with its type and length, as text or JSON by Accept."""
    as_json = code not in WITHOUT_CONTENT and best_of(environ.get("HTTP_ACCEPT", ""), (TEXT, JSON)) == JSON
    title, body, content_type = _content(code, as_json)
    on_options = environ["REQUEST_METHOD"] == "OPTIONS"
    headers = [*_headers(code, on_options, options.retry_after), *marks, *options.headers]
    status = f"{code} {options.reason or title}"
    if body is None:
        response = Response(status=status, headers=headers)
        # RFC 9110 §15.3.5, §15.3.6, §15.4.5: no content, so no type either (Werkzeug would say text/html).
        del response.headers["Content-Type"]
        return response
    if code == HTTPStatus.PARTIAL_CONTENT:
        body = _part(body, headers)
    # Type and length given with the rest, in the order Werkzeug would append them: the body as a
    # one-item list, so Werkzeug takes them as given instead of setting each again.
    headers += [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    return Response([body], status=status, headers=headers)


@lru_cache(maxsize=1024)  # (code, JSON): at most 400 x 2 keys, each a few hundred bytes
def _content(code: int, as_json: bool) -> tuple[str, bytes | None, str]:
    """The title, body and Content-Type of an answer: RFC 9110's words for the code."""
    title, description = describe(code)
    if code in WITHOUT_CONTENT:
        return title, None, ""
    if as_json:
        body = json.dumps({"status": code, "title": title, "description": description}).encode()
        return title, body, get_content_type(JSON, "utf-8")
    return title, f"{code} {title}\n{description}\n".encode(), get_content_type(TEXT, "utf-8")


def _headers(code: int, on_options: bool, retry_after: str | None) -> tuple[tuple[str, str], ...]:
    """status_headers, built once per (code, OPTIONS or not) when no Retry-After was asked for (a date's
    RateLimit reset depends on the clock)."""
    if retry_after is None:
        return _usual_headers(code, on_options)
    return tuple(status_headers(code, "OPTIONS" if on_options else "GET", retry_after))


@lru_cache(maxsize=1024)  # (code, OPTIONS): at most 400 x 2 keys
def _usual_headers(code: int, on_options: bool) -> tuple[tuple[str, str], ...]:
    return tuple(status_headers(code, "OPTIONS" if on_options else "GET"))


def _part(body: bytes, headers: list[tuple[str, str]]) -> bytes:
    """A 206's body and Content-Range (RFC 9110 §15.3.7.1): the part a single Range asked for, else all."""
    length = len(body)
    asked = request.range.range_for_length(length) if request.range else None
    first, stop = asked or (0, length)
    headers += [("Content-Range", f"bytes {first}-{stop - 1}/{length}"), ("Accept-Ranges", "bytes")]
    return body[first:stop]
