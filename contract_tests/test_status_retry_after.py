"""/status?retry_after=: a Retry-After of the client's choosing on 3xx, 429 and 503; RateLimit on 429."""

import httpx
import pytest
from helpers import assert_problem

pytestmark = pytest.mark.both_protocols

DATE = "Sun, 06 Nov 1994 08:49:37 GMT"  # RFC 9110 §5.6.7's own example


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308, 304, 429, 503])
@pytest.mark.parametrize("value", ["0", "120", "86400", DATE])
def test_retry_after_is_sent_as_given(client: httpx.Client, code: int, value: str) -> None:
    response = client.get(f"/status/{code}", params={"retry_after": value})
    assert (response.status_code, response.headers["retry-after"]) == (code, value)


@pytest.mark.parametrize("code", [429, 503])
def test_the_default_stays_one_second(client: httpx.Client, code: int) -> None:
    assert client.get(f"/status/{code}").headers["retry-after"] == "1"


def test_a_list_sends_it_only_where_it_means_something(client: httpx.Client) -> None:
    # 200 and 503 weighted so that each is drawn: the 200s carry no Retry-After.
    seen = {}
    for _ in range(40):
        response = client.get("/status/200,503?retry_after=9")
        seen[response.status_code] = response.headers.get("retry-after")
    assert seen == {200: None, 503: "9"}


def test_429_carries_the_ietf_ratelimit_fields(client: httpx.Client) -> None:
    # draft-ietf-httpapi-ratelimit-headers: a policy (q: quota, w: window), and the quota left (r) and
    # the seconds until it resets (t), here the Retry-After.
    response = client.get("/status/429?retry_after=30")
    assert response.headers["ratelimit-policy"] == '"status";q=60;w=60'
    assert response.headers["ratelimit"] == '"status";r=0;t=30'


@pytest.mark.parametrize(
    "value", ["86401", "-1", "1.5", "1e3", "soon", "Sun, 06 Nov 1994 08:49:37 UTC", "06 Nov 1994"]
)
def test_a_bad_value_is_400_naming_its_bounds(client: httpx.Client, value: str) -> None:
    body = assert_problem(client.get("/status/503", params={"retry_after": value}), 400)
    assert "retry_after" in body["detail"]
    assert "86400" in body["detail"]


def test_a_list_without_a_status_that_takes_it_is_400(client: httpx.Client) -> None:
    body = assert_problem(client.get("/status/200,404?retry_after=5"), 400)
    assert "3xx, 429 and 503" in body["detail"]
