"""/status/<codes> input: parsing and validating the code list and every query option, and their schema.

Kept apart from the view (as go-httpbin keeps parseStatusCode): each parser raises ValueError with a
sentence for the client, which the view turns into a 400 problem+json. The OpenAPI patterns are built
from the same pieces as the parsers, so any schema-valid request is answered.

The options, named once in NAMES and parsed by parse_options alone: the request-shaped ones (delay,
reason, header) and the client-testing ones (sequence, retry_after, fault, duration), which test a
client's failure handling.
"""

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from werkzeug.datastructures import MultiDict

from service.rfc9110 import TOKEN
from service.tester import delay_cap
from service.tester.faults import DESCRIPTIONS, FAULTS, TIMED

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
# Every option /status takes, in the order the OpenAPI document lists them; any other name is refused.
NAMES = ("delay", "reason", "header", "sequence", "retry_after", "fault", "duration")
# The options that shape the answer to one request alone; the others make answers differ between
# identical requests (a sequence's step, a fault) or test a client's retries.
REQUEST_SHAPED = frozenset(NAMES[:3])
# Every option but header (repeatable, up to MAX_HEADERS) may be given once.
_ONCE = tuple(name for name in NAMES if name != "header")
_NAMES_TEXT = f"{', '.join(NAMES[:-1])} and {NAMES[-1]}"

SEQUENCE_KEY = r"[A-Za-z0-9._-]{1,64}"
_SEQUENCE_KEY = re.compile(SEQUENCE_KEY)
MAX_RETRY_AFTER = 86_400  # a day
# RFC 9110 §5.6.7: IMF-fixdate, the one HTTP-date form a sender may generate.
_DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# The grammar's ranges, not the calendar: 31 Feb is passed through as written, as a proxy would.
_DATE = rf"(?:0[1-9]|[12][0-9]|3[01]) {_MONTH} [0-9]{{4}}"
_TIME = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)"
HTTP_DATE = rf"{_DAY}, {_DATE} {_TIME} GMT"
RETRY_AFTER = rf"{delay_cap.whole_up_to(MAX_RETRY_AFTER)}|{HTTP_DATE}"
_RETRY_AFTER = re.compile(RETRY_AFTER)
DEFAULT_DRIP = 1.0
# Retry-After is meaningful on these (RFC 9110 §10.2.3): a redirect's "wait before following", 429, 503.
RETRY_AFTER_STATUSES = "3xx, 429 and 503"
_RANDOM = random.SystemRandom()


def takes_retry_after(code: int) -> bool:
    return 300 <= code < 400 or code in (429, 503)


@dataclass(frozen=True)
class Choice:
    """The codes to choose from and their weights."""

    codes: tuple[int, ...]
    weights: tuple[float, ...]

    def pick(self) -> int:
        if len(self.codes) == 1:
            return self.codes[0]  # the common case draws nothing: SystemRandom costs a system call
        return _RANDOM.choices(self.codes, weights=self.weights)[0]

    def step(self, n: int) -> int:
        """The code of the n-th request (1-based) of a sequence: each code repeated its weight's times
        (0: never), then the last code for ever."""
        for code, weight in zip(self.codes, self.weights, strict=True):
            n -= int(weight)
            if n <= 0:
                return code
        return self.codes[-1]


@dataclass(frozen=True)
class Options:
    """The validated query options; the defaults change nothing."""

    delay: float = 0.0
    reason: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    # The client-testing options: a sequence's key, Retry-After as given, a fault and its duration.
    sequence: str | None = None
    retry_after: str | None = None
    fault: str | None = None
    duration: float = 0.0

    @property
    def request_shaped(self) -> bool:
        """No client-testing option: the answer is the same for every identical request."""
        return self.sequence is None and self.retry_after is None and self.fault is None


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


def parse_options(args: "MultiDict[str, str]", choice: Choice, max_delay: int) -> Options:
    """The query string -> Options, checked against the code list and the delay cap; ValueError for an
    unknown, repeated or out-of-bounds option, or one the code list cannot take.

    max_delay: the delay cap in seconds (Settings.status_max_delay, STATUS_MAX_DELAY).
    """
    if not args:
        return NO_OPTIONS  # the common case: nothing to validate
    unknown = sorted(set(args).difference(NAMES))
    if unknown:
        raise ValueError(f"unknown query parameter {unknown[0]!r}: the options are {_NAMES_TEXT}")
    for name in _ONCE:
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
    headers = tuple(parse_header(h) for h in raw_headers)
    if REQUEST_SHAPED.issuperset(args):
        return Options(float(delay), reason, headers)
    return Options(float(delay), reason, headers, *_client_testing(args, choice, float(delay), max_delay))


def _client_testing(
    args: "MultiDict[str, str]", choice: Choice, delay: float, max_delay: int
) -> tuple[str | None, str | None, str | None, float]:
    """sequence, retry_after, fault and duration, checked against the code list and the delay asked."""
    sequence = args.get("sequence")
    if sequence is not None and not _SEQUENCE_KEY.fullmatch(sequence):
        raise ValueError("sequence must be a key of 1 to 64 characters from A-Z a-z 0-9 . _ -")
    if sequence is not None and not all(weight.is_integer() for weight in choice.weights):
        raise ValueError("in a sequence a weight is a repeat count: a whole number such as 503:2,200")
    retry_after = args.get("retry_after")
    if retry_after is not None:
        if not _RETRY_AFTER.fullmatch(retry_after):
            raise ValueError(
                f"retry_after must be whole seconds from 0 to {MAX_RETRY_AFTER} or an HTTP-date "
                "(IMF-fixdate, e.g. Sun, 06 Nov 1994 08:49:37 GMT)"
            )
        if not any(takes_retry_after(code) for code in choice.codes):
            raise ValueError(f"retry_after applies to {RETRY_AFTER_STATUSES}: the code list has none of them")
    fault = args.get("fault")
    if fault is not None and fault not in FAULTS:
        raise ValueError(f"fault must be one of {', '.join(FAULTS)}")
    duration = args.get("duration")
    if duration is not None:
        if fault not in TIMED:
            raise ValueError(f"duration goes with fault={', '.join(TIMED)}")
        if not delay_cap.matcher(max_delay).fullmatch(duration) or float(duration) + delay > max_delay:
            raise ValueError(
                f"duration must be a number of seconds from 0 to {max_delay:g}, "
                f"delay and duration together at most {max_delay:g}"
            )
    seconds = float(duration) if duration is not None else min(DEFAULT_DRIP, max_delay - delay)
    return sequence, retry_after, fault, seconds if fault in TIMED else 0.0


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


@lru_cache(maxsize=8)  # one set of limits per app
def _parameters(max_delay: int, ttl: int, max_keys: int) -> tuple[dict[str, Any], ...]:
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
        {
            "name": "sequence",
            "in": "query",
            "description": "a key (1-64 of A-Z a-z 0-9 . _ -) that turns the code list into an ordered "
            "series: the n-th request with the key answers the n-th code (a weight is a repeat count), then "
            f"the last one; shared by every worker and replica. A key idle for {ttl} s is forgotten; at most "
            f"{max_keys} keys live at once, and past that a new key gets 503 with Retry-After",
            "schema": {"type": "string", "pattern": f"^{SEQUENCE_KEY}$"},
        },
        {
            "name": "retry_after",
            "in": "query",
            "description": f"the Retry-After to send on {RETRY_AFTER_STATUSES} answers: whole seconds from 0 "
            f"to {MAX_RETRY_AFTER}, or an HTTP-date (IMF-fixdate); 429 and 503 default to 1",
            "schema": {"type": "string", "pattern": f"^(?:{RETRY_AFTER})$"},
        },
        {
            "name": "fault",
            "in": "query",
            "description": "a failure on the wire: "
            + ", ".join(f"{name} ({what})" for name, what in DESCRIPTIONS.items()),
            "schema": {"type": "string", "enum": list(FAULTS)},
        },
        {
            "name": "duration",
            "in": "query",
            "description": f"with fault={', '.join(TIMED)}: seconds the body drips or the stall lasts, 0 to "
            f"{max_delay:g} with `delay` (default {DEFAULT_DRIP:g})",
            "schema": {"type": "string", "pattern": f"^(?:{delay_cap.pattern(max_delay)})$"},
        },
    )


def parameters(max_delay: int, ttl: int, max_keys: int) -> list[dict[str, Any]]:
    """The OpenAPI parameters of /status/<codes> (one per name in NAMES, and the path's codes) for this
    delay cap and these sequence limits (Settings.sequence_ttl, sequence_max_keys), built from the
    parsers' pieces."""
    return [dict(parameter) for parameter in _parameters(max_delay, ttl, max_keys)]
