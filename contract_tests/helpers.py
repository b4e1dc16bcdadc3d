"""Assertions shared by the contract tests: written from RFC 9110 / RFC 9457, not from the service's code."""

import re
import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import Any

import h2.config
import h2.connection
import h2.events
import httpx

PROBLEM_JSON = "application/problem+json"


def media_type(response: httpx.Response) -> str:
    """The Content-Type without parameters, lower-cased ('' when absent)."""
    return str(response.headers.get("content-type", "")).split(";")[0].strip().lower()


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem+json body whose `status` member matches the status line."""
    assert response.status_code == status
    assert media_type(response) == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert body.get("type", "about:blank") == "about:blank"
    # Every problem quotes its request's id (an extension member), the one X-Request-ID carries.
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def allowed_methods(response: httpx.Response) -> set[str]:
    """The Allow header as a set: RFC 9110 gives its members no order (Werkzeug's varies per process)."""
    return {method.strip() for method in response.headers["allow"].split(",") if method.strip()}


def raw_exchange(base_url: str, *requests: bytes, until: bytes = b"\r\n\r\n", timeout: float = 10.0) -> bytes:
    """Send raw HTTP/1.1 requests on one connection and return every byte that came back.

    For what httpx can't show (a 1xx with no final response). Each request but the last is sent once
    the answer so far holds `until` (by default the end of a head); after the last, bytes are read
    until the server closes. Every read is bounded by `timeout`, so a silent server fails the test
    (socket.timeout) instead of hanging it.
    """
    url = httpx.URL(base_url)
    port = url.port or (443 if url.scheme == "https" else 80)
    sock = socket.create_connection((url.host, port), timeout=timeout)
    if url.scheme == "https":
        sock = ssl.create_default_context().wrap_socket(sock, server_hostname=url.host)
    received = b""
    with sock:
        for index, request in enumerate(requests):
            sock.sendall(request)
            start, last = len(received), index == len(requests) - 1
            while last or until not in received[start:]:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
    return received


def raw_get(base_url: str, path: str, *, close: bool = True) -> bytes:
    """The bytes of a minimal GET request for path (with Connection: close unless close=False)."""
    host = httpx.URL(base_url).netloc.decode("ascii")
    connection = "Connection: close\r\n" if close else ""
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{connection}\r\n".encode("ascii")


@dataclass
class H2Answer:
    """What came back on one HTTP/2 stream: every header block in order (1xx first), then the body."""

    blocks: list[list[tuple[str, str]]] = field(default_factory=list)
    body: bytes = b""
    ended: bool = False
    reset: int | None = None  # the RST_STREAM error code, if the server reset the stream
    dropped: bool = False  # the server closed or reset the connection before the stream ended
    goaway: tuple[int, int] | None = None  # a GOAWAY's (error code, last stream id)
    first_block_after: float | None = None  # seconds from the request to the first header block
    over_after: float = 0.0  # seconds from the request to the end of the exchange

    def status(self, block: int) -> int:
        return int(dict(self.blocks[block])[":status"])


def h2_exchange(base_url: str, path: str, *, timeout: float = 10.0, until_closed: bool = False) -> H2Answer:
    """GET path over cleartext HTTP/2 (prior knowledge) with the h2 library, and return every header block.

    For what httpx can't show: it hides 1xx responses, and it fills in a reason phrase HTTP/2 never
    carried. Reads until the stream ends or the server closes (until_closed: until the server closes,
    a GOAWAY after the stream included), bounded by `timeout` overall.
    """
    url = httpx.URL(base_url)
    connection = h2.connection.H2Connection(
        h2.config.H2Configuration(client_side=True, header_encoding="utf-8")
    )
    connection.initiate_connection()
    request = [
        (":method", "GET"),
        (":scheme", "http"),
        (":authority", url.netloc.decode("ascii")),
        (":path", path),
    ]
    connection.send_headers(1, request, end_stream=True)
    answer = H2Answer()
    start = time.monotonic()
    deadline = start + timeout
    with socket.create_connection((url.host, url.port or 80), timeout=timeout) as sock:
        sock.sendall(connection.data_to_send())
        while (until_closed or (not answer.ended and answer.reset is None)) and time.monotonic() < deadline:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                data = b""
            if not data:
                answer.dropped = True
                break
            if answer.goaway is not None:
                continue  # after GOAWAY only the close is awaited: h2 takes no more frames
            for event in connection.receive_data(data):
                if isinstance(event, h2.events.InformationalResponseReceived | h2.events.ResponseReceived):
                    answer.blocks.append([(str(name), str(value)) for name, value in event.headers or []])
                    if answer.first_block_after is None:
                        answer.first_block_after = time.monotonic() - start
                elif isinstance(event, h2.events.ConnectionTerminated):
                    answer.goaway = (int(event.error_code or 0), int(event.last_stream_id or 0))
                elif isinstance(event, h2.events.DataReceived) and event.data is not None:
                    answer.body += event.data
                    connection.acknowledge_received_data(event.flow_controlled_length or 0, 1)
                elif isinstance(event, h2.events.StreamEnded):
                    answer.ended = True
                elif isinstance(event, h2.events.StreamReset):
                    answer.reset = int(event.error_code or 0)
            try:
                sock.sendall(connection.data_to_send())
            except (BrokenPipeError, ConnectionResetError):
                answer.dropped = True
                break
    answer.over_after = time.monotonic() - start
    return answer


def wrong_halves(client: httpx.Client, prefix: str) -> dict[str, str]:
    """The summary of every documented operation under prefix whose path has a /wrong segment."""
    spec: dict[str, Any] = client.get("/openapi.json").json()
    return {
        path: operation["summary"]
        for path, item in spec["paths"].items()
        for operation in item.values()
        if path.startswith(prefix + "/") and "/wrong" in path and not operation.get("x-cors-preflight")
    }


def raw_wire(
    base_url: str, path: str, timeout: float = 10.0, *, close: bool = True
) -> tuple[bytes, list[float], str]:
    """Send one HTTP/1.1 GET (with Connection: close unless close=False); (every byte received, the
    arrival time of each chunk, how it ended: "closed" or "reset")."""
    url = httpx.URL(base_url)
    received, arrivals = b"", list[float]()
    start = time.monotonic()
    with socket.create_connection((url.host, url.port or 80), timeout=timeout) as sock:
        sock.sendall(raw_get(base_url, path, close=close))
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                return received, arrivals, "reset"
            if not chunk:
                return received, arrivals, "closed"
            received += chunk
            arrivals.append(time.monotonic() - start)


def head_and_body(raw: bytes) -> tuple[dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")[1:]
    return {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}, body


def fault_count(metrics_url: str, fault: str) -> float:
    found = re.search(rf'^http_faults_total\{{fault="{fault}"\}} (\S+)$', httpx.get(metrics_url).text, re.M)
    return float(found.group(1)) if found else 0.0
