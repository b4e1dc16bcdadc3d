"""The attempt log: what a client did across its retries, read back from GET /sequences/<key>.

Every /status request that takes a step of a sequence (?sequence=<key>) is recorded under its key by
record(), in the sequence store beside the key's count (service/tester/sequences.py: SQLite shared by
the workers, or STATE_URL's Redis shared by the replicas), stamped with the store's clock. Bounded as
the counts are: the first MAX_ATTEMPTS (100) steps of a series are recorded, later ones only counted;
the log is forgotten with its key (idle for SEQUENCE_TTL, or DELETE /sequences/<key>), and it holds no
new key of its own, so SEQUENCE_MAX_KEYS caps it too. An entry holds no body and no credential: of
Authorization and Cookie only whether they were sent; the Idempotency-Key's value is kept, cut to
IDEMPOTENCY_KEY_KEPT characters.

GET /sequences/<key> answers each attempt with what the server saw and what a retry should have done:
the Retry-After the previous answer asked for (in seconds, an HTTP-date too, measured from that answer's
time), whether the gap honoured it, whether the request came on the previous one's connection (a
connection id the worker puts in the environ; null where no worker says, under `flask run`), and a
summary a tester can assert on.
"""

import json
import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any

from flask import Blueprint, Response, abort, request
from werkzeug.exceptions import ServiceUnavailable

from service.contract.reply import Reply, documented, header
from service.pipeline.media import JSON, PROBLEM_JSON
from service.pipeline.request_id import request_id
from service.seam import CONNECTION
from service.tester import faults, sequences
from service.tester.status_input import SEQUENCE_KEY

bp = Blueprint("attempts", __name__, url_prefix="/sequences")
logger = logging.getLogger(__name__)

IDEMPOTENCY_KEY_KEPT = 128
# RFC 9110 §9.2.2: the idempotent methods (the safe ones, PUT and DELETE); a retry of any other method
# may act twice unless the client sent an Idempotency-Key.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
_KEY = re.compile(SEQUENCE_KEY)
# Gunicorn says HTTP/2.0; RFC 9113 (and every client) says HTTP/2.
PROTOCOLS = {"HTTP/2.0": "HTTP/2"}
STORE_RETRY_AFTER = 5  # seconds, as /status's own 503 from a store that is down

PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "key",
        "in": "path",
        "required": True,
        "description": "the ?sequence= key the requests carried (1-64 of A-Z a-z 0-9 . _ -)",
        "schema": {"type": "string", "pattern": f"^{SEQUENCE_KEY}$"},
    }
]
NO_STORE = header("Cache-Control", "no-store: the log grows with every request of the series")
DOWN = Reply(503, PROBLEM_JSON, [header("Retry-After", "seconds: the store (Redis) cannot be reached")])


def record(key: str, n: int, status: int, headers: list[tuple[str, str]], fault: str | None) -> None:
    """Record the n-th request of `key`'s series, answered `status` with `headers` (their Retry-After)."""
    if fault is not None:
        faults.check(fault)  # its 400 or 501 comes first: the log never says a refused fault was answered
    environ = request.environ
    idempotency_key = environ.get("HTTP_IDEMPOTENCY_KEY")
    entry = {
        "method": request.method,
        "status": status,
        "fault": fault,
        "retry_after_sent": next((value for name, value in headers if name == "Retry-After"), None),
        "idempotency_key": None if idempotency_key is None else idempotency_key[:IDEMPOTENCY_KEY_KEPT],
        "authorization": "HTTP_AUTHORIZATION" in environ,
        "cookie": "HTTP_COOKIE" in environ,
        "protocol": PROTOCOLS.get(environ.get("SERVER_PROTOCOL", ""), environ.get("SERVER_PROTOCOL")),
        "request_id": request_id(),
        "connection": environ.get(CONNECTION),
    }
    try:
        sequences.store().record(key, n, json.dumps(entry, separators=(",", ":")))
    except sequences.StoreDown as down:
        # The step was taken and the answer is decided: the client gets it, the log misses one n.
        logger.warning("attempt %s of sequence %r not recorded: %s", n, key, down)


def _seconds(retry_after: str | None, at: float) -> float | None:
    """A Retry-After as seconds to wait from `at` (when it was sent); None if none or unreadable."""
    if retry_after is None:
        return None
    if retry_after.isdigit():
        return float(retry_after)
    try:
        return round(max(0.0, parsedate_to_datetime(retry_after).timestamp() - at), 3)
    except (TypeError, ValueError):
        return None


def _rfc3339(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def report(key: str, found: sequences.Log) -> dict[str, Any]:
    """The JSON GET /sequences/<key> answers: each attempt, and the summary."""
    attempts: list[dict[str, Any]] = []
    previous: tuple[float, dict[str, Any]] | None = None
    for n, at, text in found.attempts:
        entry = json.loads(text)
        gap = asked = honoured = same = None
        if previous is not None:
            gap = round(at - previous[0], 3)
            asked = _seconds(previous[1]["retry_after_sent"], previous[0])
            honoured = None if asked is None else at - previous[0] >= asked
            here, there = entry["connection"], previous[1]["connection"]
            same = None if here is None or there is None else here == there
        attempts.append(
            {
                "n": n,
                "at": _rfc3339(at),
                "since_previous_s": gap,
                "method": entry["method"],
                "status": entry["status"],
                "fault": entry["fault"],
                "retry_after_sent": entry["retry_after_sent"],
                "retry_after_s": asked,
                "honoured_retry_after": honoured,
                "idempotency_key": entry["idempotency_key"],
                "authorization": "present" if entry["authorization"] else "absent",
                "cookie": "present" if entry["cookie"] else "absent",
                "protocol": entry["protocol"],
                "request_id": entry["request_id"],
                "same_connection_as_previous": same,
            }
        )
        previous = at, entry
    gaps = [a["since_previous_s"] for a in attempts[1:]]
    asked_waits = [a for a in attempts if a["retry_after_s"] is not None]
    resent = [a for a in attempts[1:] if a["method"] not in IDEMPOTENT and a["idempotency_key"] is None]
    summary = {
        "attempts": found.steps,
        "recorded": len(attempts),
        "gaps_s": gaps,
        "longest_gap_s": max(gaps, default=None),
        "retry_after_asked": len(asked_waits),
        "retry_after_honoured": sum(1 for a in asked_waits if a["honoured_retry_after"]),
        "non_idempotent_resent_without_key": bool(resent),
    }
    return {"key": key, "attempts": attempts, "summary": summary}


def _key(key: str) -> str:
    if not _KEY.fullmatch(key):
        abort(
            HTTPStatus.BAD_REQUEST, "key must be a sequence key of 1 to 64 characters from A-Z a-z 0-9 . _ -"
        )
    return key


def _down(down: sequences.StoreDown) -> ServiceUnavailable:
    return ServiceUnavailable(f"{down} The attempt log cannot be read.", retry_after=STORE_RETRY_AFTER)


@bp.get("/<key>")
@documented(
    Reply(200, JSON, [NO_STORE]),
    Reply(400, PROBLEM_JSON),
    Reply(404, PROBLEM_JSON),
    DOWN,
    parameters=PARAMETERS,
)
def attempts(key: str) -> Response:
    """The attempts a client made with ?sequence=<key>: when, how, what it was told, and a summary.

    curl -s 'http://127.0.0.1:8000/sequences/k1'
    """
    try:
        found = sequences.store().log(_key(key))
    except sequences.StoreDown as down:
        raise _down(down) from None
    if found is None:
        abort(
            HTTPStatus.NOT_FOUND,
            f"no sequence {key!r}: none was asked for, it was idle for longer than the store keeps a key, "
            "or it was deleted",
        )
    response = Response(json.dumps(report(key, found)), mimetype=JSON)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.delete("/<key>")
@documented(Reply(204, None), Reply(400, PROBLEM_JSON), DOWN, parameters=PARAMETERS)
def forget(key: str) -> Response:
    """Forget the key: its count and its attempts (204, known or not); its next request is step 1.

    curl -i -X DELETE 'http://127.0.0.1:8000/sequences/k1'
    """
    try:
        sequences.store().forget(_key(key))
    except sequences.StoreDown as down:
        raise _down(down) from None
    return Response(status=HTTPStatus.NO_CONTENT)
