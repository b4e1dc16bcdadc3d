"""Assertions shared by the contract tests: written from RFC 9110 / RFC 9457, not from the service's code."""

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
    return body


def allowed_methods(response: httpx.Response) -> set[str]:
    """The Allow header as a set: RFC 9110 gives its members no order (Werkzeug's varies per process)."""
    return {method.strip() for method in response.headers["allow"].split(",") if method.strip()}
