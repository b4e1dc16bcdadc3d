"""httpx over HTTP/1.1, or cleartext HTTP/2 with `--http2` (prior knowledge, httpx[http2]).

`python httpx_client.py [--http2] BASE_URL ROW...`: one Client per row; a pair's second request goes
out on the same Client, and the local port of its connection says whether it was reused.
"""

import sys

import h2
import httpx
from common import TIMEOUT, Client, Observation, Row, answer, auth_sent, error_kind, main, pause

HTTP2 = "--http2" in sys.argv
if HTTP2:
    sys.argv.remove("--http2")


def _client() -> httpx.Client:
    return httpx.Client(http1=not HTTP2, http2=HTTP2, timeout=TIMEOUT)


def _send(client: httpx.Client, row: Row, url: str) -> httpx.Response:
    response = client.request(
        row["method"],
        url,
        content=row.get("body"),
        headers=row.get("headers"),
        auth=tuple(row["auth"]) if row.get("auth") else None,
        follow_redirects=row.get("follow", False),
    )
    if response.http_version != ("HTTP/2" if HTTP2 else "HTTP/1.1"):
        raise RuntimeError(f"answered over {response.http_version}")  # never measure the wrong protocol
    return response


def _observe(row: Row, response: httpx.Response) -> Observation:
    found = answer(
        row,
        response.status_code,
        dict(response.headers.items()),
        response.content,
        reason=response.reason_phrase,
        ok=response.is_success,
        hops=len(response.history),
    )
    if row.get("auth"):
        found["auth"] = auth_sent([r.request.headers for r in (*response.history, response)])
    return found


def _local_port(response: httpx.Response) -> int:
    stream = response.extensions["network_stream"]
    return int(stream.get_extra_info("client_addr")[1])


def fetch(row: Row, url: str) -> Observation:
    with _client() as client:
        return _observe(row, _send(client, row, url))


def pair(row: Row, url: str, then: str) -> Observation:
    with _client() as client:
        first = _send(client, row, url)
        found = _observe(row, first)
        try:
            port: int | None = _local_port(first)
        except OSError:
            port = None  # httpx saw the server close it as it read the answer: no address left to ask
        pause(row)
        try:
            following = client.get(then)
            found["next"] = following.status_code
            found["reused"] = _local_port(following) == port
        except httpx.HTTPError as exc:
            found["next_error"] = error_kind(exc)
        return found


def retry(row: Row, url: str) -> Observation:
    # httpx has no retry policy for statuses (its transport's `retries` only re-tries a failed connect).
    with httpx.Client(
        transport=httpx.HTTPTransport(retries=3, http1=not HTTP2, http2=HTTP2), timeout=TIMEOUT
    ) as client:
        found = _observe(row, _send(client, row, url))
        found["attempts"] = 1
        return found


if __name__ == "__main__":
    version = f"{httpx.__version__} (h2 {h2.__version__})" if HTTP2 else httpx.__version__
    main(Client("httpx h2c" if HTTP2 else "httpx", version, fetch, pair, retry))
