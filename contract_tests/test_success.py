"""/demos/success: 201 with a Location that is served, 202 with a status monitor, 204 with nothing."""

import re

import httpx
import pytest
from helpers import assert_problem, media_type

# Status, headers and bodies must be the same over HTTP/1.1 and HTTP/2 (conftest.py).
pytestmark = pytest.mark.both_protocols

JSON = "application/json"
ITEM = re.compile(r"/demos/success/items/[0-9a-f]{32}")
JOB = re.compile(r"/demos/success/jobs/[0-9a-f]{32}")
SOME_ID = "0123456789abcdef0123456789abcdef"


def test_created_has_a_location_that_is_served(client: httpx.Client) -> None:
    created = client.post("/demos/success/items")
    assert created.status_code == 201
    assert media_type(created) == JSON
    location = created.headers["location"]
    assert ITEM.fullmatch(location)
    item_id = location.rsplit("/", 1)[1]
    assert created.json() == {"id": item_id, "href": location}
    fetched = client.get(location)
    assert fetched.status_code == 200
    assert media_type(fetched) == JSON
    assert fetched.json() == {"id": item_id}


def test_accepted_points_to_a_status_monitor(client: httpx.Client) -> None:
    accepted = client.post("/demos/success/jobs")
    assert accepted.status_code == 202
    assert media_type(accepted) == JSON
    monitor = accepted.headers["location"]
    assert JOB.fullmatch(monitor)
    job_id = monitor.rsplit("/", 1)[1]
    assert accepted.json() == {"id": job_id, "state": "accepted", "monitor": monitor}
    status = client.get(monitor)
    assert status.status_code == 200
    assert media_type(status) == JSON
    assert status.json() == {"id": job_id, "state": "done"}


def test_no_content_has_no_body_and_no_content_headers(client: httpx.Client) -> None:
    response = client.delete(f"/demos/success/items/{SOME_ID}")
    assert response.status_code == 204
    assert response.content == b""
    # RFC 9110: no Content-Length in a 204; with no body there is nothing to type, either.
    for header in ("content-type", "content-length", "transfer-encoding"):
        assert header not in response.headers


def test_short_204_still_sends_a_content_type(client: httpx.Client) -> None:
    # Measured: Flask types even an empty body; only the explicit removal above gets rid of it.
    response = client.get("/demos/success/no-content-default")
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "content-length" not in response.headers
    assert "transfer-encoding" not in response.headers


NOT_FOUND = [
    pytest.param("GET", "/demos/success/items/xyz", id="item-bad-id"),
    pytest.param("GET", f"/demos/success/items/{SOME_ID.upper()}", id="item-upper-case-id"),
    pytest.param("DELETE", "/demos/success/items/xyz", id="delete-bad-id"),
    pytest.param("GET", "/demos/success/jobs/1", id="job-bad-id"),
]


@pytest.mark.parametrize(("method", "path"), NOT_FOUND)
def test_malformed_id_is_404(client: httpx.Client, method: str, path: str) -> None:
    body = assert_problem(client.request(method, path), 404)
    assert body["detail"] == "Ids are 32 lower-case hex digits."
