"""The /status delay cap: the exact pattern of the delays a cap (STATUS_MAX_DELAY) allows.

Gateway-timeout tests need answers slower than any gateway's timeout (go-httpbin offers -max-duration);
a bounded cap keeps one request from holding a thread for ever. The cap is a setting
(service/settings.py, which also keeps Gunicorn's timeouts above it); the parser and the OpenAPI
pattern are both built here from it, so schema-valid means accepted.
"""

import re
from functools import cache


def whole_up_to(top: int) -> str:
    """A pattern for the whole numbers 0..top written plainly (no sign, no leading zero): the delay
    cap's whole seconds here, and retry_after's (service/tester/status_input.py)."""
    digits = str(top)
    # Shorter numbers than top: any digits, no leading zero (one-digit numbers may be 0).
    shorter = ["[0-9]"] if len(digits) > 1 else []
    shorter += [f"[1-9][0-9]{{{n - 1}}}" for n in range(2, len(digits))]
    # As long as top: top's first i digits, then a smaller digit, then anything.
    same = []
    for i, digit in enumerate(digits):
        low = 1 if i == 0 and len(digits) > 1 else 0
        high = int(digit) - 1
        if high >= low:
            rest = len(digits) - i - 1
            tail = f"[0-9]{{{rest}}}" if rest else ""
            same.append(f"{digits[:i]}[{low}-{high}]{tail}")
    return "|".join([*shorter, *same, digits])


def pattern(cap: int) -> str:
    """Delays from 0 to cap seconds, up to 6 decimals: `0`, `0.5`, `10`, `10.000`; never `010` or `1e1`."""
    below = f"(?:{whole_up_to(cap - 1)})(?:\\.[0-9]{{1,6}})?|" if cap > 0 else ""
    return f"{below}{cap}(?:\\.0{{1,6}})?"


@cache  # one cap per app, usually one app per process
def matcher(cap: int) -> "re.Pattern[str]":
    """pattern(cap), compiled once."""
    return re.compile(pattern(cap))
