"""Schemathesis hooks for `make fuzz` (loaded by schemathesis.toml): keep requests within Gunicorn's reach."""

from typing import Any
from urllib.parse import quote, urlencode

import schemathesis

# Gunicorn's limit_request_line is 4094 bytes: a longer request line never reaches Flask, and Gunicorn
# answers 414 with its own HTML page. That is the server's limit, not any operation's status, so the
# generated requests stay under it (with room for the method and " HTTP/1.1").
MAX_TARGET_BYTES = 4000


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    """Drop a generated request whose path and query would exceed Gunicorn's request-line limit."""
    target = quote(case.formatted_path, safe="/%") + "?" + urlencode(case.query or {}, doseq=True)
    return len(target) <= MAX_TARGET_BYTES
