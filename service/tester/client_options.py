"""/status options for testing a client's failure handling: sequence, retry_after, fault and duration.

Parsed apart from delay/reason/header (status_input.py) and in the same way: strict patterns that the
OpenAPI schema below is built from, and ValueError with a sentence naming the parameter and its bounds,
which the view turns into a 400 problem+json.
"""

import re
from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

from service.tester import delay_cap
from service.tester.faults import DESCRIPTIONS, FAULTS, TIMED
from service.tester.status_input import Choice

NAMES = ("sequence", "retry_after", "fault", "duration")
SEQUENCE_KEY = r"[A-Za-z0-9._-]{1,64}"
_SEQUENCE_KEY = re.compile(SEQUENCE_KEY)
MAX_RETRY_AFTER = 86_400  # a day
_SECONDS = delay_cap._whole_up_to(MAX_RETRY_AFTER)
# RFC 9110 §5.6.7: IMF-fixdate, the one HTTP-date form a sender may generate.
_DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# The grammar's ranges, not the calendar: 31 Feb is passed through as written, as a proxy would.
_DATE = rf"(?:0[1-9]|[12][0-9]|3[01]) {_MONTH} [0-9]{{4}}"
_TIME = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)"
HTTP_DATE = rf"{_DAY}, {_DATE} {_TIME} GMT"
RETRY_AFTER = rf"{_SECONDS}|{HTTP_DATE}"
_RETRY_AFTER = re.compile(RETRY_AFTER)
DEFAULT_DRIP = 1.0
# Retry-After is meaningful on these (RFC 9110 §10.2.3): a redirect's "wait before following", 429, 503.
RETRY_AFTER_STATUSES = "3xx, 429 and 503"


def takes_retry_after(code: int) -> bool:
    return 300 <= code < 400 or code in (429, 503)


@dataclass(frozen=True)
class ClientOptions:
    """The validated client-testing options; the defaults change nothing."""

    sequence: str | None = None
    retry_after: str | None = None
    fault: str | None = None
    duration: float = 0.0


NONE = ClientOptions()


def parse(args: "MultiDict[str, str]", choice: Choice, delay: float, max_delay: int) -> ClientOptions:
    """The options from the query string, checked against the code list, the delay already asked and the
    delay cap (Settings.status_max_delay)."""
    codes = choice.codes
    if not any(name in args for name in NAMES):
        return NONE
    for name in NAMES:
        if len(args.getlist(name)) > 1:
            raise ValueError(f"{name} may be given once")
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
        if not any(takes_retry_after(code) for code in codes):
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
    return ClientOptions(sequence, retry_after, fault, seconds if fault in TIMED else 0.0)


def step(choice: Choice, n: int) -> int:
    """The code of the n-th request (1-based) of a sequence: each code repeated its weight's times (0:
    never), then the last code for ever."""
    for code, weight in zip(choice.codes, choice.weights, strict=True):
        n -= int(weight)
        if n <= 0:
            return code
    return choice.codes[-1]


def parameters(max_delay: int, ttl: int, max_keys: int) -> list[dict[str, Any]]:
    """The OpenAPI parameters of these options, for this delay cap and these sequence limits."""
    return [
        {
            "name": "sequence",
            "in": "query",
            "description": "a key (1-64 of A-Z a-z 0-9 . _ -) that turns the code list into an ordered "
            "series: the n-th request with the key answers the n-th code (a weight is a repeat count), then "
            f"the last one; shared by every worker and replica. A key idle for {ttl} s is forgotten; at most "
            f"{max_keys} keys live at once, and past that a new key gets 503 with Retry-After",
            "schema": {"type": "string", "pattern": f"^{SEQUENCE_KEY}$"},
        },
        *_OTHERS,
        {
            "name": "duration",
            "in": "query",
            "description": f"with fault={', '.join(TIMED)}: seconds the body drips or the stall lasts, 0 to "
            f"{max_delay:g} with `delay` (default {DEFAULT_DRIP:g})",
            "schema": {"type": "string", "pattern": f"^(?:{delay_cap.pattern(max_delay)})$"},
        },
    ]


_OTHERS: list[dict[str, Any]] = [
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
]
