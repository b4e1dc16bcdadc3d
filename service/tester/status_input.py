"""/status/<codes> input: parsing and validating the code list and the query options, and their schema.

Kept apart from the view (as go-httpbin keeps parseStatusCode): each parser raises ValueError with a
sentence for the client, which the view turns into a 400 problem+json. The OpenAPI patterns are built
from the same pieces as the parsers, so any schema-valid request is answered.
"""

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from werkzeug.datastructures import MultiDict

from service.rfc9110 import TOKEN
from service.tester import delay_cap

MAX_ENTRIES = 20
MAX_CODES_CHARS = 200
MAX_REASON = 64
MAX_HEADERS = 10
MAX_HEADER_VALUE = 256

# Strict, bounded formats, so no exponent, inf, nan, sign, space or non-ASCII digit reaches float();
# the OpenAPI patterns below are built from the same pieces, so schema-valid input is always accepted.
_CODE = re.compile(r"[0-9]{3}")
WEIGHT = r"(?:0|[1-9][0-9]{0,5})(?:\.[0-9]{1,6})?"  # 0 to 999999.999999: 3, 0.5, 2.25, 0
_WEIGHT = re.compile(WEIGHT)
ZERO = r"0(?:\.0{1,6})?"  # the weights that mean "never": 0, 0.0, 0.000000
INTERIM = (
    "1xx codes are interim responses, sent before a final one and never as it (RFC 9110 §15.2); "
    "two real ones can be seen here: `100 Continue`, which Gunicorn sends to a request with "
    "`Expect: 100-continue`, and `103 Early Hints`, sent before /demos/early-hints/preload's 200"
)
_REASON = re.compile(rf"[\x21-\x7e](?:[\x20-\x7e]{{0,{MAX_REASON - 2}}}[\x21-\x7e])?")
# A header value once its surrounding spaces are trimmed: printable ASCII (no CR, LF or NUL), at most 256.
VALUE = rf"(?:[\x21-\x7e](?:[\x20-\x7e]{{0,{MAX_HEADER_VALUE - 2}}}[\x21-\x7e])?)?"
_VALUE = re.compile(VALUE)
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
# delay, reason and header are parsed here; the client-testing options in service/tester/client_options.py.
OPTIONS_NAMES = frozenset({"delay", "reason", "header", "sequence", "retry_after", "fault", "duration"})
_RANDOM = random.SystemRandom()


@dataclass(frozen=True)
class Choice:
    """The codes to choose from and their weights."""

    codes: tuple[int, ...]
    weights: tuple[float, ...]

    def pick(self) -> int:
        if len(self.codes) == 1:
            return self.codes[0]  # the common case draws nothing: SystemRandom costs a system call
        return _RANDOM.choices(self.codes, weights=self.weights)[0]


@dataclass(frozen=True)
class Options:
    """The validated query options."""

    delay: float = 0.0
    reason: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


NO_OPTIONS = Options()


@lru_cache(maxsize=256)  # pure; clients repeat the same few code lists (errors are not cached)
def parse_codes(text: str) -> Choice:
    """`418`, `200,500` or `200:3,500:1` -> a Choice of the final codes that can be drawn.

    A weight of 0 means "never" (`200:1,500:0` switches the 500 off), so it is left out of the Choice;
    ValueError says what is wrong, including a 1xx code (interim, never final) or weights that are all 0.
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
        if colon and not _WEIGHT.fullmatch(weight):
            raise ValueError(
                f"the weight in {entry!r} is not a number such as 3, 0.5, 2.25 or 0 (never): "
                "at most 6 digits each side of the point, no sign, exponent or leading zero"
            )
        codes.append(int(code))
        weights.append(float(weight) if colon else 1.0)
    if min(codes) < 200:
        raise ValueError(INTERIM)
    drawn = [(code, weight) for code, weight in zip(codes, weights, strict=True) if weight > 0]
    if not drawn:
        raise ValueError(
            "every weight in the list is 0, so no code could ever be chosen: give at least one a weight "
            "above 0 (a weight of 0 means never)"
        )
    return Choice(tuple(code for code, _ in drawn), tuple(weight for _, weight in drawn))


def parse_header(text: str) -> tuple[str, str]:
    """`Name: Value` -> (name, value); ValueError if the name is no token, refused, or the value unsafe."""
    name, colon, value = text.partition(":")
    if not colon or not TOKEN.fullmatch(name):
        raise ValueError(f"header {text!r} is not `Name: Value` with a token name (RFC 9110 §5.6.2)")
    lower = name.lower()
    if lower in REFUSED_HEADERS or lower.startswith(REFUSED_PREFIXES):
        raise ValueError(f"header {name!r} is not one a client may set here (see docs/status-target.md)")
    value = value.strip(" ")
    if not _VALUE.fullmatch(value):
        raise ValueError(
            f"the value of header {name!r} must be printable ASCII (no CR, LF or NUL), "
            f"at most {MAX_HEADER_VALUE} characters"
        )
    return name, value


def parse_options(args: "MultiDict[str, str]", max_delay: int) -> Options:
    """The query string -> Options; ValueError for an unknown, repeated or out-of-bounds option.

    max_delay: the delay cap in seconds (Settings.status_max_delay, STATUS_MAX_DELAY).
    """
    if not args:
        return NO_OPTIONS  # the common case: nothing to validate
    unknown = sorted(set(args) - OPTIONS_NAMES)
    if unknown:
        raise ValueError(
            f"unknown query parameter {unknown[0]!r}: the options are delay, reason, header, "
            "sequence, retry_after, fault and duration"
        )
    for name in ("delay", "reason"):
        if len(args.getlist(name)) > 1:
            raise ValueError(f"{name} may be given once")
    delay = args.get("delay", "0")
    if not delay_cap.matcher(max_delay).fullmatch(delay):
        raise ValueError(f"delay must be a number of seconds from 0 to {max_delay:g}, e.g. 0.5")
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


_FINAL = "[2-5][0-9]{2}"  # parse_codes refuses 1xx, so the schema does too
_ENTRY = rf"{_FINAL}(?::(?:{WEIGHT}))?"
_ZERO_ENTRY = rf"{_FINAL}:(?:{ZERO})"


def _any_case(name: str) -> str:
    """A pattern for a header name in any letter case: JSON Schema's patterns have no flag for it."""
    return "".join(f"[{c.upper()}{c}]" if c.isalpha() else c for c in name)


# What `header` refuses, as a pattern the OpenAPI document can carry (names are letters, digits, "-").
_REFUSED_PATTERN = "^(?:{})".format(
    "|".join([*(_any_case(n) + ":" for n in sorted(REFUSED_HEADERS)), *map(_any_case, REFUSED_PREFIXES)])
)


@lru_cache(maxsize=8)  # one cap per app
def _parameters(max_delay: int) -> tuple[dict[str, Any], ...]:
    return (
        {
            "name": "codes",
            "in": "path",
            "required": True,
            "description": "418, 200,500 (uniform) or 200:3,500:1 (weighted; 0 means never, not all 0); "
            "at most 20 entries",
            "schema": {
                "type": "string",
                "maxLength": MAX_CODES_CHARS,
                "pattern": rf"^{_ENTRY}(?:,{_ENTRY}){{0,{MAX_ENTRIES - 1}}}$",
                # All weights 0: nothing could be chosen (parse_codes' last check).
                "not": {"pattern": rf"^{_ZERO_ENTRY}(?:,{_ZERO_ENTRY})*$"},
            },
        },
        {
            "name": "delay",
            "in": "query",
            "description": f"seconds to wait before answering, 0 to {max_delay:g} (e.g. 0.5)",
            "schema": {"type": "string", "pattern": f"^(?:{delay_cap.pattern(max_delay)})$"},
        },
        {
            "name": "reason",
            "in": "query",
            "description": "the reason phrase to send instead of RFC 9110's",
            "schema": {"type": "string", "maxLength": MAX_REASON, "pattern": f"^{_REASON.pattern}$"},
        },
        {
            "name": "header",
            "in": "query",
            "description": "an extra response header, `Name: Value`; repeatable",
            "style": "form",
            "explode": True,
            "schema": {
                "type": "array",
                "maxItems": MAX_HEADERS,
                "items": {
                    "type": "string",
                    # The spaces around the value are trimmed, and do not count towards its 256 characters.
                    "pattern": rf"^{TOKEN.pattern}: *{VALUE} *$",
                    "not": {"pattern": _REFUSED_PATTERN},
                },
            },
        },
    )


def parameters(max_delay: int) -> list[dict[str, Any]]:
    """The OpenAPI parameters of /status/<codes> for this delay cap, built from the parsers' pieces."""
    return [dict(parameter) for parameter in _parameters(max_delay)]
