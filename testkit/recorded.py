"""A request recorded from a peer (contract_tests/go_httpbin_routes.json), sent again the same way.

scripts/record_go_httpbin.py sends each request to go-httpbin with these two functions and
contract_tests/test_go_httpbin_routes.py sends it here with them, so both sides get the same bytes
(httpx's own default headers included). Needs httpx.
"""

from typing import Any

import httpx


def send(client: httpx.Client, request: dict[str, Any]) -> int:
    """The status the server answered. Each request stands alone: the cookies an earlier answer set
    are forgotten first (the request's own Cookie header is all it sends). A 101 (a WebSocket handshake
    accepted) is not read past: the connection is dropped, which ends the session on either server."""
    client.cookies.clear()
    with client.stream(
        request["method"], request["path"], headers=request["headers"], content=request["body"].encode()
    ) as response:
        if response.status_code != 101:
            response.read()
        return response.status_code


def name(request: dict[str, Any]) -> str:
    """How docs/status-target.md names a request: `METHOD /path?query Header: value ...` (no body)."""
    headers = "".join(f" {field}: {value}" for field, value in request["headers"].items())
    return f"{request['method']} {request['path']}{headers}"
