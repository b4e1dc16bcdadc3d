"""What every Python client script shares: argv, the plan, one JSON observation line per row.

A client script calls `run(Client(...))` with three functions (fetch, pair, retry); this module reads
client_tests/plan.json, runs each row named on the command line against the base URL, and prints one
JSON line per row: the fields the client measured, or `error`, the *kind* of failure (exception class
names, never a message carrying an address or a port). The fields are those client_tests/matrix.py
knows (status, reason, ok, method, body, hops, interim, next, reused, attempts, waited, length, bytes,
shown, auth), and the row's ?sequence= key, whose attempt log matrix.py reads. Nothing here imports
the service: the clients know only the base URL.
"""

import json
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PLAN = Path(__file__).resolve().parent.parent / "plan.json"
# Every request of every client is bounded by this many seconds (connect and read).
TIMEOUT = 10.0

Row = dict[str, Any]
Observation = dict[str, Any]


@dataclass
class Client:
    """One client as a script: its name and version, and how it runs each kind of row."""

    name: str
    version: str
    fetch: Callable[[Row, str], Observation]
    pair: Callable[[Row, str, str], Observation]
    retry: Callable[[Row, str], Observation]


def rows() -> dict[str, Row]:
    plan: dict[str, Any] = json.loads(PLAN.read_text())
    return {row["name"]: row for row in plan["rows"]}


def path_of(row: Row, key: str) -> str:
    """The row's path, with {key} made into the ?sequence= key given."""
    return str(row["path"]).replace("{key}", key)


def pause(row: Row) -> None:
    """A pair's `pause`: seconds between the answer and the next request (a connection idle that long)."""
    time.sleep(float(row.get("pause", 0)))


def error_kind(exc: BaseException) -> str:
    """`Outer (Innermost)` class names of an exception chain: what went wrong, without any address."""
    inner = exc
    seen = 0
    while seen < 10:
        nested = inner.__cause__ or inner.__context__
        # requests and urllib3 carry the cause as an argument rather than as __cause__.
        if nested is None:
            nested = next((arg for arg in inner.args if isinstance(arg, BaseException)), None)
        if nested is None:
            break
        inner, seen = nested, seen + 1
    outer, innermost = type(exc).__name__, type(inner).__name__
    return outer if inner is exc or innermost == outer else f"{outer} ({innermost})"


def echo(body: bytes) -> Observation:
    """The method and body /anything says it received, where the answer is its JSON echo."""
    try:
        seen = json.loads(body)
    except ValueError:
        return {}
    if not isinstance(seen, dict) or "method" not in seen:
        return {}
    # httpbin's shape: a body sent as a form (curl's default type) is in `form`, not in `data`.
    sent = seen.get("body") or seen.get("data") or ("ping" if "ping" in (seen.get("form") or {}) else "")
    return {"method": seen["method"], "body": sent == "ping" if sent else False}


def auth_sent(requests: list[Any]) -> str:
    """How credentials went out, from the headers of each request sent: at once, after a challenge, never."""
    carried = ["Authorization" in headers for headers in requests]
    if carried and carried[0]:
        return "at once"
    return "after the challenge" if any(carried) else "not sent"


def answer(row: Row, status: int, headers: dict[str, str], body: bytes, **more: Any) -> Observation:
    """The fields every fetch reports from a final answer (headers with lower-case names)."""
    found: Observation = {"status": status, "bytes": len(body), **echo(body), **more}
    if "content-length" in headers:
        found["length"] = int(headers["content-length"])
    show = row.get("show")
    if show:
        found["shown"] = headers.get(show.lower())
    return found


def main(client: Client) -> None:
    """`script BASE_URL ROW...`: the version line, then one observation line per row."""
    base_url, names = sys.argv[1].rstrip("/"), sys.argv[2:]
    plan = rows()
    print(json.dumps({"client": client.name, "version": client.version}), flush=True)
    for name in names:
        row = plan[name]
        key = "matrix-" + secrets.token_hex(6)  # a ?sequence= key no other run uses
        url = base_url + path_of(row, key)
        started = time.monotonic()
        try:
            if row["kind"] == "pair":
                found = client.pair(row, url, base_url + row["then"])
            elif row["kind"] == "retry":
                found = client.retry(row, url)
            else:
                found = client.fetch(row, url)
        except Exception as exc:
            found = {"error": error_kind(exc)}
        found.setdefault("waited", round(time.monotonic() - started, 3))
        if "{key}" in row["path"]:
            found["sequence"] = key  # matrix.py reads its attempt log (GET /sequences/<key>)
        print(json.dumps({"row": name, **found}), flush=True)
