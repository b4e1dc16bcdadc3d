"""/status/<codes>: the httpbin-style test target — any final status 200-599, sent the way RFC 9110 asks.

Syntax: `418` (one code), `200,500` (a uniform random choice), `200:3,500:1` (a weighted choice; an
entry without a weight weighs 1, weight 0 means never). At most 20 entries and 200 characters. Every
method answers the chosen status: GET, POST, PUT, PATCH, DELETE, and OPTIONS too (as httpbin does, so
clients can test how they treat an OPTIONS failure) with an `Allow` header listing the methods. HEAD
gets the same status and headers as GET (RFC 9110 §9.3.2), Content-Type and Content-Length included,
and no body.

Decisions, each pinned by contract_tests/test_status.py:
- Headers RFC 9110 requires per status are sent: Location on every 3xx but 304 (to /status/200, so a
  client that follows ends on a 200), WWW-Authenticate on 401, Allow on 405, Content-Range on 416,
  Retry-After on 429 and 503. 204, 205 and 304 have no body and no Content-Type.
- Proxy-Authenticate (407) and Upgrade (426) are hop-by-hop headers: PEP 3333 forbids a WSGI app to
  set them, and Gunicorn drops them anyway. So 407 and 426 leave without them. That is the truth of a
  WSGI origin server: a real 407 comes from a proxy, a real 426 from the server that owns the
  connection. A proxy in front (e.g. nginx `add_header`) is the place to add them.
- 1xx codes are refused with 400: an interim response is never a final one (RFC 9110 §15.2). The
  stack shows a real one: Gunicorn answers `Expect: 100-continue` with `100 Continue` by itself.
- The reason phrase is RFC 9110's (Python's http.HTTPStatus), not Werkzeug's upper case; a code with
  no registered meaning (299, 599) goes out as "Unassigned", never Werkzeug's "UNKNOWN".
- Bodies are plain text unless Accept prefers application/json. A 400 about the *request* (bad codes,
  bad options) is problem+json, so a client can tell it from a 400 it asked for.
- Options: delay (seconds, 0-10), reason (printable ASCII, at most 64 characters), header (repeatable
  `Name: Value`, at most 10, never one the server, the status or this origin's safety owns). Unknown
  query parameters are refused rather than ignored: a typo must not pass silently.
"""

import json
import random
import re
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from flask import Blueprint, Response, abort, request
from werkzeug.datastructures import MultiDict

from service.errors import PROBLEM_JSON
from service.openapi import documented

bp = Blueprint("status", __name__, url_prefix="/status")

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
ALLOW = ", ".join(METHODS)
MAX_ENTRIES = 20
MAX_CODES_CHARS = 200
MAX_DELAY = 10.0
MAX_REASON = 64
MAX_HEADERS = 10
MAX_HEADER_VALUE = 256
REDIRECT_TARGET = "/status/200"
RETRY_AFTER_SECONDS = "1"
NO_CONTENT = frozenset({204, 205, 304})

_CODE = re.compile(r"[0-9]{3}")
# Bounded digits: no exponent, inf or nan can sneak in through float().
_NUMBER = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,6})?")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}")  # RFC 9110 §5.6.2
_REASON = re.compile(rf"[\x21-\x7e](?:[\x20-\x7e]{{0,{MAX_REASON - 2}}}[\x21-\x7e])?")
_VALUE = re.compile(rf"[\x20-\x7e]{{0,{MAX_HEADER_VALUE}}}")  # printable ASCII: no CR, LF or NUL
# Names a client may not add, and why: hop-by-hop and server-written (PEP 3333; Gunicorn writes or drops
# them), framing and type (the body's meaning is ours), the status's own headers, and headers a browser
# would obey on this origin (cookies, redirects, policies) — reflecting those would make it a weapon.
REFUSED_HEADERS = frozenset(
    {
        *("connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection"),
        *("te", "trailer", "trailers", "transfer-encoding", "upgrade", "server", "date"),
        *("content-length", "content-type", "content-encoding", "content-disposition", "content-range"),
        *("location", "www-authenticate", "allow", "retry-after", "vary", "x-content-type-options"),
        *("set-cookie", "set-cookie2", "refresh", "content-security-policy", "strict-transport-security"),
        *("alt-svc", "clear-site-data"),
    }
)
REFUSED_PREFIXES = ("access-control-",)
OPTIONS_NAMES = frozenset({"delay", "reason", "header"})
_RANDOM = random.SystemRandom()


@dataclass(frozen=True)
class Choice:
    """The codes to choose from and their weights."""

    codes: tuple[int, ...]
    weights: tuple[float, ...]

    def pick(self) -> int:
        return _RANDOM.choices(self.codes, weights=self.weights)[0]


@dataclass(frozen=True)
class Options:
    """The validated query options."""

    delay: float = 0.0
    reason: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


def parse_codes(text: str) -> Choice:
    """`418`, `200,500` or `200:3,500:1` -> a Choice; ValueError says what is wrong.

    Any three-digit code from 100 to 599 parses (as go-httpbin's parser); the view refuses 1xx.
    """
    if len(text) > MAX_CODES_CHARS:
        raise ValueError(f"the code list is {len(text)} characters long; at most {MAX_CODES_CHARS}")
    entries = text.split(",")
    if len(entries) > MAX_ENTRIES:
        raise ValueError(f"the code list has {len(entries)} entries; at most {MAX_ENTRIES}")
    codes: list[int] = []
    weights: list[float] = []
    for entry in entries:
        code, colon, weight = entry.partition(":")
        if not _CODE.fullmatch(code) or not 100 <= int(code) <= 599:
            raise ValueError(f"{entry!r} is not a status code: three digits from 100 to 599, e.g. 418")
        if colon and not _NUMBER.fullmatch(weight):
            raise ValueError(f"the weight in {entry!r} is not a number such as 3 or 0.5")
        codes.append(int(code))
        weights.append(float(weight) if colon else 1.0)
    if sum(weights) <= 0:
        raise ValueError("the weights add up to zero: give at least one code a weight above 0")
    return Choice(tuple(codes), tuple(weights))


def parse_header(text: str) -> tuple[str, str]:
    """`Name: Value` -> (name, value); ValueError if the name is no token, refused, or the value unsafe."""
    name, colon, value = text.partition(":")
    if not colon or not _TOKEN.fullmatch(name):
        raise ValueError(f"header {text!r} is not `Name: Value` with a token name (RFC 9110 §5.6.2)")
    lower = name.lower()
    if lower in REFUSED_HEADERS or lower.startswith(REFUSED_PREFIXES):
        raise ValueError(f"header {name!r} is not one a client may set here (see /status in the README)")
    value = value.strip(" ")
    if not _VALUE.fullmatch(value):
        raise ValueError(
            f"the value of header {name!r} must be printable ASCII (no CR, LF or NUL), "
            f"at most {MAX_HEADER_VALUE} characters"
        )
    return name, value


def parse_options(args: "MultiDict[str, str]") -> Options:
    """The query string -> Options; ValueError for an unknown, repeated or out-of-bounds option."""
    unknown = sorted(set(args) - OPTIONS_NAMES)
    if unknown:
        raise ValueError(f"unknown query parameter {unknown[0]!r}: the options are delay, reason and header")
    for name in ("delay", "reason"):
        if len(args.getlist(name)) > 1:
            raise ValueError(f"{name} may be given once")
    delay = args.get("delay", "0")
    if not _NUMBER.fullmatch(delay) or float(delay) > MAX_DELAY:
        raise ValueError(f"delay must be a number of seconds from 0 to {MAX_DELAY:g}, e.g. 0.5")
    reason = args.get("reason")
    if reason is not None and not _REASON.fullmatch(reason):
        raise ValueError(
            f"reason must be 1 to {MAX_REASON} printable ASCII characters, "
            "not starting or ending with a space"
        )
    raw_headers = args.getlist("header")
    if len(raw_headers) > MAX_HEADERS:
        raise ValueError(f"at most {MAX_HEADERS} header options")
    return Options(float(delay), reason, tuple(parse_header(h) for h in raw_headers))


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


def status_headers(code: int, method: str) -> list[tuple[str, str]]:
    """The headers RFC 9110 asks of this status (and of an OPTIONS answer)."""
    headers = [("Vary", "Accept")]
    if 300 <= code < 400 and code != 304:
        headers.append(("Location", REDIRECT_TARGET))
    if code == 401:
        headers.append(("WWW-Authenticate", 'Basic realm="status", charset="UTF-8"'))
    if code == 405 or method == "OPTIONS":
        headers.append(("Allow", ALLOW))
    if code == 416:
        headers.append(("Content-Range", "bytes */0"))
    if code in (429, 503):
        headers.append(("Retry-After", RETRY_AFTER_SECONDS))
    return headers


def _bodies(code: int | str) -> tuple[tuple[int | str, str], ...]:
    return (code, "text/plain"), (code, "application/json")


def _header_docs() -> dict[int | str, dict[str, dict[str, Any]]]:
    def doc(text: str) -> dict[str, Any]:
        return {"description": text, "schema": {"type": "string"}}

    every = {"Vary": doc("Accept"), "Allow": doc(f"on every OPTIONS answer (and on 405): {ALLOW}")}
    own: dict[int | str, dict[str, dict[str, Any]]] = {
        "3XX": {"Location": doc(f"{REDIRECT_TARGET} (every 3xx but 304)")},
        401: {"WWW-Authenticate": doc('Basic realm="status", charset="UTF-8"')},
        416: {"Content-Range": doc("bytes */0")},
        429: {"Retry-After": doc(f"{RETRY_AFTER_SECONDS} (seconds)")},
        503: {"Retry-After": doc(f"{RETRY_AFTER_SECONDS} (seconds)")},
    }
    keys: tuple[int | str, ...] = ("2XX", 204, 205, "3XX", 304, 400, 401, 405, 416, 429, "4XX", 503, "5XX")
    return {key: {**every, **own.get(key, {})} for key in keys}


PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "delay",
        "in": "query",
        "description": f"seconds to wait before answering, 0 to {MAX_DELAY:g}",
        "schema": {"type": "number", "minimum": 0, "maximum": MAX_DELAY},
    },
    {
        "name": "reason",
        "in": "query",
        "description": "the reason phrase to send instead of RFC 9110's",
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_REASON, "pattern": _REASON.pattern},
    },
    {
        "name": "header",
        "in": "query",
        "description": "an extra response header, `Name: Value`; repeatable",
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "maxItems": MAX_HEADERS, "items": {"type": "string"}},
    },
]


@bp.route("/<codes>", methods=list(METHODS))
@documented(
    *_bodies("2XX"),
    (204, None),
    (205, None),
    *_bodies("3XX"),
    (304, None),
    *_bodies(400),
    (400, PROBLEM_JSON),
    *_bodies(401),
    *_bodies(405),
    *_bodies(416),
    *_bodies(429),
    *_bodies("4XX"),
    *_bodies(503),
    *_bodies("5XX"),
    parameters=PARAMETERS,
    methods=METHODS,
    headers=_header_docs(),
)
def status(codes: str) -> Response:
    """The status chosen from `codes` (200-599), with the headers and body RFC 9110 asks of it.

    `418`, `200,500` (uniform) or `200:3,500:1` (weighted). Bad codes or options: 400 problem+json.

    curl -i 'http://127.0.0.1:8000/status/200:3,503:1?delay=0.5'
    """
    try:
        choice = parse_codes(codes)
        options = parse_options(request.args)
    except ValueError as exc:
        abort(HTTPStatus.BAD_REQUEST, str(exc))
    if any(code < 200 for code in choice.codes):
        abort(
            HTTPStatus.BAD_REQUEST,
            "1xx codes are interim responses, sent before a final one and never as it (RFC 9110 §15.2); "
            "send a request with `Expect: 100-continue` to see Gunicorn send a real `100 Continue`",
        )
    code = choice.pick()
    if options.delay:
        time.sleep(options.delay)
    return _respond(code, options)


def _respond(code: int, options: Options) -> Response:
    title, description = describe(code)
    response = Response(status=f"{code} {options.reason or title}")
    if code in NO_CONTENT:
        # RFC 9110 §15.3.5, §15.3.6, §15.4.5: no content, so no type either (Werkzeug would say text/html).
        del response.headers["Content-Type"]
    elif request.accept_mimetypes.best_match(("text/plain", "application/json")) == "application/json":
        response.set_data(json.dumps({"status": code, "title": title, "description": description}))
        response.mimetype = "application/json"
    else:
        response.set_data(f"{code} {title}\n{description}\n")
        response.mimetype = "text/plain"
    response.headers.extend(status_headers(code, request.method))
    response.headers.extend(options.headers)
    return response
