"""POST /wire: the service's own answer as it left the server — every 1xx, the status line, every header —
and nothing else: no other host, no path that is not the service's, no recursion, bounded in size and time.
"""

import re
from typing import Any

import httpx
import pytest
from helpers import assert_problem

STATUS_LINE = re.compile(r"^HTTP/1\.1 (\d{3}) \S")  # a reason phrase follows; its wording is not pinned


def wire(client: httpx.Client, **request: Any) -> dict[str, Any]:
    response = client.post("/wire", json=request)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def headers(head: dict[str, Any], name: str) -> list[str]:
    return [value for field, value in head["headers"] if field.lower() == name]


def test_early_hints_shows_the_103_then_the_200(client: httpx.Client) -> None:
    answer = wire(client, url="/demos/early-hints/preload")
    first, final = answer["responses"]
    assert STATUS_LINE.match(first["line"])
    assert first["status"] == 103
    assert headers(first, "link") == ["</healthz>; rel=preload; as=fetch"]
    assert final["status"] == 200
    assert STATUS_LINE.match(final["line"])
    assert answer["complete"] is True
    assert answer["body"] == "103 Early Hints sent before this answer\n"


def test_every_set_cookie_is_shown(client: httpx.Client) -> None:
    (final,) = wire(client, url="/demos/responses/set-cookie")["responses"]
    cookies = headers(final, "set-cookie")
    assert len(cookies) == 2
    assert {c.split(";")[0] for c in cookies} == {"theme=dark", "lang=en"}


def test_a_redirect_shows_its_status_and_location(client: httpx.Client) -> None:
    answer = wire(
        client,
        url="/demos/redirects/307",
        method="POST",
        body="hello",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    (final,) = answer["responses"]
    assert final["status"] == 307
    assert headers(final, "location") == ["/demos/redirects/target"]
    assert answer["request"].startswith("POST /demos/redirects/307 HTTP/1.1\r\n")
    assert answer["request"].endswith("\r\n\r\nhello")


def test_a_final_1xx_shows_one_head_and_no_final_response(client: httpx.Client) -> None:
    answer = wire(client, url="/demos/pitfalls/final-1xx/wrong")
    assert [head["status"] for head in answer["responses"]] == [103]
    assert answer["body"] == ""


@pytest.mark.parametrize(
    ("url", "status"),
    [
        pytest.param("/status/418", 418, id="status-target"),
        pytest.param("/demos/handler-mistakes/blueprint-404/wrong/3", 404, id="unknown-page-under-demos"),
        pytest.param("/healthz", 200, id="health"),
    ],
)
def test_own_routes_answer_with_their_status_line(client: httpx.Client, url: str, status: int) -> None:
    (final,) = wire(client, url=url)["responses"]
    assert final["status"] == status
    assert STATUS_LINE.match(final["line"])


@pytest.mark.parametrize("fault", ["reset", "truncate", "empty"])
def test_a_broken_answer_is_shown_as_far_as_it_came(client: httpx.Client, fault: str) -> None:
    # The target breaks the connection on purpose; the wire reports what arrived, and says it did not end.
    answer = wire(client, url=f"/status/503?fault={fault}")
    assert [head["status"] for head in answer["responses"]] == ([] if fault in {"reset", "empty"} else [503])
    if fault != "empty":  # an empty answer is a clean close with nothing at all: it did end
        assert answer["complete"] is False


def test_lesson_headers_are_sent_on(client: httpx.Client) -> None:
    answer = wire(client, url="/demos/client-errors/negotiate", headers={"Accept": "image/png"})
    assert "\r\nAccept: image/png\r\n" in answer["request"]
    assert answer["responses"][0]["status"] == 406


def test_only_the_servers_own_address_is_asked_whatever_host_says(client: httpx.Client) -> None:
    # The Host header names another machine; the answer still comes from this service (its /healthz body).
    response = client.post("/wire", json={"url": "/healthz"}, headers={"Host": "example.invalid"})
    assert response.status_code == 200
    assert response.json()["body"] == '{"status":"ok"}\n'


def test_a_long_answer_is_cut_at_64_kb(client: httpx.Client) -> None:
    answer = wire(client, url="/status/200?header=X-Pad:" + "a" * 100)
    assert answer["complete"] is True
    big = wire(client, url="/", headers={"Accept": "text/html"})
    assert big["body_bytes"] <= 64 * 1024
    assert big["complete"] is False  # the page is larger than what the wire keeps


REFUSED = [
    pytest.param({"url": "http://example.invalid/"}, id="absolute-url"),
    pytest.param({"url": "//example.invalid/x"}, id="scheme-relative"),
    pytest.param({"url": "/wire"}, id="itself"),
    pytest.param({"url": "/nowhere"}, id="no-route"),
    pytest.param({"url": "/static/explorer.css"}, id="static-files"),
    pytest.param({"url": "/healthz HTTP/1.1\r\nX: y"}, id="request-splitting"),
    pytest.param({"url": "/healthz", "headers": {"Host": "example.invalid"}}, id="host-header"),
    pytest.param({"url": "/healthz", "headers": {"X-Anything": "1"}}, id="other-header"),
    pytest.param({"url": "/healthz", "headers": {"Accept": "a\r\nX: y"}}, id="header-splitting"),
    pytest.param({"url": "/healthz", "headers": []}, id="headers-not-an-object"),
    pytest.param({"url": "/healthz", "method": "TRACE"}, id="other-method"),
    pytest.param({"url": "/healthz", "body": 0}, id="body-not-a-string"),
    pytest.param({"url": "/healthz", "proxy": "x"}, id="unknown-member"),
    pytest.param(["/healthz"], id="not-an-object"),
    pytest.param({}, id="no-url"),
]


@pytest.mark.parametrize("request_body", REFUSED)
def test_anything_but_an_own_route_is_400(client: httpx.Client, request_body: Any) -> None:
    assert_problem(client.post("/wire", json=request_body), 400)


def test_a_body_over_8_kb_is_413(client: httpx.Client) -> None:
    assert_problem(client.post("/wire", json={"url": "/healthz", "method": "POST", "body": "é" * 5000}), 413)
    assert_problem(client.post("/wire", json={"url": "/healthz", "body": "a" * 40_000}), 413)


def test_not_json_is_415(client: httpx.Client) -> None:
    assert_problem(client.post("/wire", content=b"url=/healthz", headers={"Content-Type": "text/plain"}), 415)


def test_the_wire_is_not_readable_from_other_origins(client: httpx.Client) -> None:
    response = client.post("/wire", json={"url": "/healthz"}, headers={"Origin": "http://example.invalid"})
    assert "access-control-allow-origin" not in response.headers
