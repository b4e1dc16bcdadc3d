"""Python requests (with urllib3's Retry where a row asks for retries), as an application would use it.

`python requests_client.py BASE_URL ROW...`: one Session per row, so a pair's two requests share a
pooled connection (urllib3's num_connections says whether the second needed a new one).
"""

import logging
from importlib.metadata import version

import requests
from common import TIMEOUT, Client, Observation, Row, answer, auth_sent, error_kind, main, pause
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


def _send(session: requests.Session, row: Row, url: str) -> requests.Response:
    return session.request(
        row["method"],
        url,
        data=row.get("body"),
        headers=row.get("headers"),
        auth=tuple(row["auth"]) if row.get("auth") else None,
        allow_redirects=row.get("follow", False),
        timeout=TIMEOUT,
    )


def _observe(row: Row, response: requests.Response) -> Observation:
    found = answer(
        row,
        response.status_code,
        {name.lower(): value for name, value in response.headers.items()},
        response.content,
        reason=response.reason,
        ok=response.ok,
        hops=len(response.history),
    )
    if row.get("auth"):
        found["auth"] = auth_sent([r.request.headers for r in (*response.history, response)])
    return found


def fetch(row: Row, url: str) -> Observation:
    with requests.Session() as session:
        return _observe(row, _send(session, row, url))


class _NewConnections(logging.Handler):
    """Counts urllib3's "Starting new HTTP connection" lines: the pool opened a connection."""

    count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("Starting new HTTP"):
            _NewConnections.count += 1


_pool_log = logging.getLogger("urllib3.connectionpool")
_pool_log.addHandler(_NewConnections())
_pool_log.setLevel(logging.DEBUG)
_pool_log.propagate = False


def pair(row: Row, url: str, then: str) -> Observation:
    with requests.Session() as session:
        found = _observe(row, _send(session, row, url))
        pause(row)
        before = _NewConnections.count
        try:
            following = session.get(then, timeout=TIMEOUT)
            found["next"] = following.status_code
        except requests.RequestException as exc:
            found["next_error"] = error_kind(exc)
        found["reused"] = _NewConnections.count == before
        return found


def retry(row: Row, url: str) -> Observation:
    # urllib3's documented policy: retry these statuses, honour Retry-After (on 413, 429, 503), no backoff.
    policy = Retry(total=3, status_forcelist=[429, 500, 502, 503, 504], backoff_factor=0)
    with requests.Session() as session:
        session.mount("http://", HTTPAdapter(max_retries=policy))
        response = _send(session, row, url)
        found = _observe(row, response)
        history = response.raw.retries.history if response.raw.retries else ()
        found["attempts"] = len(history) + 1
        return found


if __name__ == "__main__":
    main(Client("requests", f"{version('requests')} (urllib3 {version('urllib3')})", fetch, pair, retry))
