"""/demos/aborts: abort(code), abort(code, description) and abort(response), as they reach the client."""

import httpx
import pytest
from helpers import assert_problem

# Status, headers and bodies must be the same over HTTP/1.1 and HTTP/2 (conftest.py).
pytestmark = pytest.mark.both_protocols

# Werkzeug's default description for 403, measured: abort(403) without a description sends it.
FORBIDDEN_DEFAULT = (
    "You don't have the permission to access the requested resource. "
    "It is either read-protected or not readable by the server."
)

CASES = [
    pytest.param("/demos/aborts/code", 403, FORBIDDEN_DEFAULT, id="abort-code"),
    pytest.param(
        "/demos/aborts/code-description",
        403,
        "Only the owner may read this demo resource.",
        id="abort-code-description",
    ),
]


@pytest.mark.parametrize(("path", "status", "detail"), CASES)
def test_abort_becomes_problem_json(client: httpx.Client, path: str, status: int, detail: str) -> None:
    body = assert_problem(client.get(path), status)
    assert body["detail"] == detail
    assert set(body) == {"type", "title", "status", "detail", "request_id"}


def test_abort_with_a_response_passes_it_through_untouched(client: httpx.Client) -> None:
    # The app's HTTPException handler writes only type/title/status/detail; the `errors` member and
    # the X-Prepared header survive, so that handler never saw this response.
    response = client.get("/demos/aborts/response")
    body = assert_problem(response, 422)
    assert body["detail"] == "The payload is invalid."
    assert body["errors"] == [{"field": "name", "message": "required"}]
    assert response.headers["x-prepared"] == "yes"
