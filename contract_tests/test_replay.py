"""Identical /status requests, identical answers (docs/status-target.md "Repeated requests").

A load test sends the same request over and over; the service may answer a repeat from its earlier
answer, so these tests pin what a repeat must still be: the same status, headers and body as the first,
a request id of its own (or the one it sent), and an answer that follows a changed header at once.
"""

import time

import httpx
import pytest

pytestmark = pytest.mark.both_protocols

REPEATS = 6  # spread over the workers (two by default), so each sees a first request and repeats
PER_REQUEST = {"date", "x-request-id"}


def answer(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = [(name, value) for name, value in response.headers.multi_items() if name not in PER_REQUEST]
    return response.status_code, headers, response.content


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("code", [200, 201, 204, 302, 304, 401, 404, 418, 429, 503])
def test_repeats_get_the_first_answer_with_their_own_request_id(
    client: httpx.Client, method: str, code: int
) -> None:
    responses = [client.request(method, f"/status/{code}") for _ in range(REPEATS)]
    first = answer(responses[0])
    assert first[0] == code
    assert all(answer(response) == first for response in responses[1:])
    ids = {response.headers["x-request-id"] for response in responses}
    assert len(ids) == REPEATS


def test_a_repeat_echoes_the_request_id_it_sent(client: httpx.Client) -> None:
    for n in range(REPEATS):
        response = client.get("/status/418", headers={"X-Request-ID": f"repeat-{n}"})
        assert response.status_code == 418
        assert response.headers["x-request-id"] == f"repeat-{n}"


@pytest.mark.parametrize(
    ("headers", "expect"),
    [
        ({"Accept": "application/json"}, {"content-type": "application/json"}),
        ({"Accept": "text/plain"}, {"content-type": "text/plain; charset=utf-8"}),
    ],
)
def test_a_changed_header_changes_the_answer_at_once(
    client: httpx.Client, headers: dict[str, str], expect: dict[str, str]
) -> None:
    plain = [client.get("/status/409") for _ in range(REPEATS)]
    for _ in range(REPEATS):
        changed = client.get("/status/409", headers=headers)
        assert changed.status_code == 409
        for name, value in expect.items():
            assert changed.headers[name] == value
    back = client.get("/status/409")
    assert answer(back) == answer(plain[0])


def test_a_preflight_after_repeated_plain_options_is_a_preflight(client: httpx.Client) -> None:
    plain = [client.options("/status/503") for _ in range(REPEATS)]
    assert {response.status_code for response in plain} == {503}
    preflight = {"Origin": "https://example.com", "Access-Control-Request-Method": "DELETE"}
    for _ in range(REPEATS):
        response = client.options("/status/503", headers=preflight)
        assert response.status_code == 204
        assert "DELETE" in response.headers["access-control-allow-methods"]
    assert client.options("/status/503").status_code == 503


def test_a_repeated_delay_still_waits(client: httpx.Client) -> None:
    first = client.get("/status/202?delay=0.3&reason=Taken")
    for _ in range(REPEATS - 1):
        began = time.monotonic()
        response = client.get("/status/202?delay=0.3&reason=Taken")
        assert time.monotonic() - began >= 0.3
        assert answer(response) == answer(first)
