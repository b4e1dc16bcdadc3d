"""Assertions shared by the contract tests: written from RFC 9110 / RFC 9457, not from the service's code."""

import socket
import ssl
from typing import Any

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
