"""GET /sequences/<key>: the attempt log of a sequence, over HTTP/1.1 and HTTP/2.

Expectations come from the issue's definition of the log and from the requests the test itself sent:
their methods, headers, X-Request-IDs, the connection they went on and the pauses it made between them
(a gap can only be longer than the pause, never shorter: the log stamps each request on arrival).
RFC 9110 §9.2.2 says which methods are idempotent; RFC 3339 how `at` is written.
"""

import re
import time
import uuid
from collections.abc import Callable
from email.utils import formatdate
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from helpers import assert_problem, media_type

pytestmark = pytest.mark.both_protocols

RFC3339_MS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
# The 100 attempts a key keeps (the bound).
KEPT = 100


def key() -> str:
    return f"log-{uuid.uuid4().hex}"


def log_of(client: httpx.Client, name: str) -> dict[str, Any]:
    response = client.get(f"/sequences/{name}")
    assert response.status_code == 200
    assert media_type(response) == "application/json"
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, Any] = response.json()
    assert body["key"] == name
    return body


def test_each_attempt_is_logged_in_order_with_what_the_server_saw(
    client: httpx.Client, protocol: str
) -> None:
    name = key()
    sent = [
        client.request(method, f"/status/503:2,200?sequence={name}") for method in ("GET", "PUT", "DELETE")
    ]
    body = log_of(client, name)
    rows = body["attempts"]
    assert [(r["n"], r["method"], r["status"]) for r in rows] == [
        (1, "GET", 503),
        (2, "PUT", 503),
        (3, "DELETE", 200),
    ]
    assert [r["request_id"] for r in rows] == [answer.headers["x-request-id"] for answer in sent]
    assert {r["protocol"] for r in rows} == {protocol}
    assert all(RFC3339_MS.fullmatch(r["at"]) for r in rows)
    assert rows[0]["since_previous_s"] is None
    assert all(r["since_previous_s"] >= 0 for r in rows[1:])
    assert [r["retry_after_sent"] for r in rows] == ["1", "1", None]
    # One client, one kept-alive connection (one HTTP/2 connection): each request on the previous one's.
    assert [r["same_connection_as_previous"] for r in rows] == [None, True, True]
    assert body["summary"]["attempts"] == 3
    assert body["summary"]["recorded"] == 3


def test_a_new_connection_is_told_apart(make_client: Callable[..., httpx.Client], protocol: str) -> None:
    name = key()
    for _ in range(2):
        with make_client(protocol=protocol) as fresh:
            fresh.get(f"/status/200?sequence={name}")
    with make_client(protocol=protocol) as reader:
        rows = log_of(reader, name)["attempts"]
    assert rows[1]["same_connection_as_previous"] is False


WAITS = [
    # (the wait the test makes, the Retry-After asked, honoured?)
    (1.1, "1", True),
    (0.0, "1", False),
    (0.0, "0", True),
]


@pytest.mark.parametrize(("pause", "retry_after", "honoured"), WAITS)
def test_a_retry_is_judged_against_the_retry_after_it_was_given(
    client: httpx.Client, pause: float, retry_after: str, honoured: bool
) -> None:
    name = key()
    client.get(f"/status/503,200?sequence={name}&retry_after={retry_after}")
    time.sleep(pause)
    client.get(f"/status/503,200?sequence={name}&retry_after={retry_after}")
    body = log_of(client, name)
    second = body["attempts"][1]
    assert second["retry_after_s"] == float(retry_after)
    assert second["honoured_retry_after"] is honoured
    assert second["since_previous_s"] >= pause
    assert body["summary"]["retry_after_asked"] == 1
    assert body["summary"]["retry_after_honoured"] == int(honoured)
    assert body["summary"]["gaps_s"] == [second["since_previous_s"]]
    assert body["summary"]["longest_gap_s"] == second["since_previous_s"]


def test_an_http_date_is_read_as_seconds_from_its_answer(client: httpx.Client) -> None:
    name = key()
    date = quote(formatdate(time.time() + 30, usegmt=True))
    for _ in range(2):
        client.get(f"/status/503,200?sequence={name}&retry_after={date}")
    second = log_of(client, name)["attempts"][1]
    # The date has whole seconds: 29 to 31 s from the first answer, and the retry came at once.
    assert 28.9 <= second["retry_after_s"] <= 31.0
    assert second["honoured_retry_after"] is False


def test_an_answer_without_retry_after_asks_for_nothing(client: httpx.Client) -> None:
    name = key()
    for _ in range(2):
        client.get(f"/status/500,200?sequence={name}")
    second = log_of(client, name)["attempts"][1]
    assert (second["retry_after_s"], second["honoured_retry_after"]) == (None, None)


RESENDS = [
    # (method, Idempotency-Key, re-sent without a key?)
    ("POST", None, True),
    ("POST", "order-7", False),
    ("PATCH", None, True),
    ("PUT", None, False),
    ("GET", None, False),
]


@pytest.mark.parametrize(("method", "idempotency_key", "resent"), RESENDS)
def test_a_non_idempotent_retry_without_a_key_is_flagged(
    client: httpx.Client, method: str, idempotency_key: str | None, resent: bool
) -> None:
    name = key()
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    for _ in range(2):
        client.request(method, f"/status/503,200?sequence={name}", headers=headers, content=b"{}")
    body = log_of(client, name)
    assert [r["idempotency_key"] for r in body["attempts"]] == [idempotency_key] * 2
    assert body["summary"]["non_idempotent_resent_without_key"] is resent


def test_one_request_alone_is_no_resend(client: httpx.Client) -> None:
    name = key()
    client.post(f"/status/503?sequence={name}")
    assert log_of(client, name)["summary"]["non_idempotent_resent_without_key"] is False


def test_credentials_and_bodies_are_never_recorded(client: httpx.Client) -> None:
    name = key()
    secret, cookie, body = f"s-{uuid.uuid4().hex}", f"c-{uuid.uuid4().hex}", f"b-{uuid.uuid4().hex}"
    client.post(
        f"/status/503,200?sequence={name}",
        headers={"Authorization": f"Bearer {secret}", "Cookie": f"session={cookie}"},
        content=body.encode(),
    )
    client.post(f"/status/503,200?sequence={name}")
    answer = client.get(f"/sequences/{name}")
    for private in (secret, cookie, body):
        assert private not in answer.text
    first, second = answer.json()["attempts"]
    assert (first["authorization"], first["cookie"]) == ("present", "present")
    assert (second["authorization"], second["cookie"]) == ("absent", "absent")


def test_a_fault_is_logged_with_its_attempt(client: httpx.Client) -> None:
    name = key()
    with pytest.raises(httpx.TransportError):
        client.get(f"/status/200?sequence={name}&fault=reset")
    rows = log_of(client, name)["attempts"]
    assert [(r["status"], r["fault"]) for r in rows] == [(200, "reset")]


def test_the_first_hundred_attempts_are_kept_and_every_one_counted(client: httpx.Client) -> None:
    name = key()
    for _ in range(KEPT + 3):
        client.head(f"/status/200?sequence={name}")
    body = log_of(client, name)
    assert (body["summary"]["attempts"], body["summary"]["recorded"]) == (KEPT + 3, KEPT)
    assert [r["n"] for r in body["attempts"]] == list(range(1, KEPT + 1))


def test_delete_forgets_the_key_and_its_series_starts_again(client: httpx.Client) -> None:
    name = key()
    assert client.get(f"/status/503,200?sequence={name}").status_code == 503
    forgotten = client.delete(f"/sequences/{name}")
    assert (forgotten.status_code, forgotten.content) == (204, b"")
    assert_problem(client.get(f"/sequences/{name}"), 404)
    assert client.get(f"/status/503,200?sequence={name}").status_code == 503  # step 1 again
    assert [r["n"] for r in log_of(client, name)["attempts"]] == [1]


def test_delete_of_an_unknown_key_is_204(client: httpx.Client) -> None:
    assert client.delete(f"/sequences/{key()}").status_code == 204


def test_an_unknown_key_is_404_problem(client: httpx.Client) -> None:
    body = assert_problem(client.get(f"/sequences/{key()}"), 404)
    assert "no sequence" in body["detail"]


def test_a_key_with_no_sequence_request_is_404(client: httpx.Client) -> None:
    # /status without ?sequence= keeps no log, whatever else it asks.
    name = key()
    client.get(f"/status/503?retry_after=1&header=X-Key:%20{name}")
    assert_problem(client.get(f"/sequences/{name}"), 404)


BAD_KEYS = ["a%20b", "k" * 65, "a:b", "%C3%A9"]


@pytest.mark.parametrize("bad", BAD_KEYS)
@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_a_key_no_sequence_could_have_is_400_naming_it(client: httpx.Client, method: str, bad: str) -> None:
    body = assert_problem(client.request(method, f"/sequences/{bad}"), 400)
    assert "key" in body["detail"]


def test_a_fault_refused_for_its_protocol_is_never_logged_as_answered(
    make_client: Callable[..., httpx.Client],
) -> None:
    name = key()
    client = make_client(protocol="HTTP/1.1")
    assert_problem(client.get(f"/status/200?sequence={name}&fault=goaway"), 400)
    body = log_of(client, name)
    assert body["attempts"] == []
    assert (body["summary"]["attempts"], body["summary"]["recorded"]) == (1, 0)
