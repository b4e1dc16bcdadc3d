"""Schemathesis hooks for `make fuzz` (loaded by schemathesis.toml): keep requests within Gunicorn's reach."""

from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import schemathesis

# Gunicorn's limit_request_line is 4094 bytes: a longer request line never reaches Flask, and Gunicorn
# answers 414 with its own HTML page. That is the server's limit, not any operation's status, so the
# generated requests stay under it (with room for the method and " HTTP/1.1").
MAX_TARGET_BYTES = 4000
GUNICORN_LIMIT_REQUEST_LINE = 4094
# /status?fault= values that break the connection on purpose (schemathesis.toml says why they are not sent).
BREAKING_FAULTS = frozenset(
    {"empty", "reset", "truncate", "close", "stall-head", "stall-body", "overlong", "bad-chunk"}
)


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    """Drop a generated request whose path and query would exceed Gunicorn's request-line limit, and one
    that asks /status to break its connection."""
    query = case.query or {}
    faults = query.get("fault", [])
    if set([faults] if isinstance(faults, str) else faults) & BREAKING_FAULTS:
        return False
    target = quote(case.formatted_path, safe="/%") + "?" + urlencode(query, doseq=True)
    return len(target) <= MAX_TARGET_BYTES


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Drop one failure only: Gunicorn's own 414 to a request line really over its limit.

    Some phases add query parameters after `filter_case` has run (seen once: extra, undeclared ones on a
    route with one parameter), so a line over the limit can still go out; Gunicorn answers it before
    Flask runs. Any other failure, and a 414 to a shorter line, is kept.
    """
    url = urlsplit(response.request.url)
    target = url.path + (f"?{url.query}" if url.query else "")
    line = f"{response.request.method} {target} HTTP/1.1"
    return not (response.status_code == 414 and len(line.encode()) > GUNICORN_LIMIT_REQUEST_LINE)
