"""The /status delay cap: STATUS_MAX_DELAY, read once at start, and the exact pattern of delays it allows.

Gateway-timeout tests need answers slower than any gateway's timeout (go-httpbin offers -max-duration);
a bounded cap keeps one request from holding a thread for ever. Gunicorn's timeouts are derived from it
(gunicorn.conf.py), and the OpenAPI pattern is built here from the cap, so schema-valid means accepted.
"""

import os

DEFAULT = 10
CEILING = 600  # ten minutes: above common gateway timeouts (60-300 s), still a bound


def from_environment() -> int:
    """STATUS_MAX_DELAY as whole seconds, 0 to CEILING; ValueError with one clear sentence otherwise."""
    raw = os.environ.get("STATUS_MAX_DELAY", str(DEFAULT))
    if not (raw.isascii() and raw.isdigit() and int(raw) <= CEILING):
        raise ValueError(f"STATUS_MAX_DELAY={raw!r}: expected a whole number of seconds from 0 to {CEILING}")
    return int(raw)


def _whole_up_to(top: int) -> str:
    """A pattern for the whole numbers 0..top written plainly (no sign, no leading zero)."""
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
    below = f"(?:{_whole_up_to(cap - 1)})(?:\\.[0-9]{{1,6}})?|" if cap > 0 else ""
    return f"{below}{cap}(?:\\.0{{1,6}})?"
