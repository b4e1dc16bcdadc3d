"""Pitfalls, wrong way and right way, as they really go on the wire (Flask 3.1 / Werkzeug 3.1, Gunicorn).

The wrong-way 500s are deliberate; each test also checks that the service keeps serving afterwards.
Every wrong half really sends a wrong status or breaks the response (a 500, or no final response).
"""

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from contract_coverage import RECORDER
from helpers import assert_problem, raw_exchange, raw_get

P = "/demos/pitfalls"
HTML = "text/html; charset=utf-8"  # Flask's default for a str body
TEXT = "text/plain; charset=utf-8"
INTERNAL_SERVER_ERROR = 500

# Werkzeug builds a status line that is not "<3 digits> ..." ("0 NOT FOUND", "1 UNKNOWN"); Gunicorn's
# start_response refuses it and Gunicorn writes its own 500 page, which the app never sees.
GUNICORN_500 = [
    pytest.param(f"{P}/reason-only/wrong", id="reason-phrase-without-number"),
    pytest.param(f"{P}/bool-status/wrong", id="true-as-status"),
]
# Flask itself fails (in the view or while building the response); the app's handler answers.
FLASK_500 = [
    pytest.param(f"{P}/float-status/wrong", id="float-status"),
    pytest.param(f"{P}/bytes-status/wrong", id="bytes-status"),
    pytest.param(f"{P}/four-tuple/wrong", id="four-item-tuple"),
    pytest.param(f"{P}/abort-402/wrong", id="abort-402-lookup-error"),
]


def assert_still_serving(client: httpx.Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("path", GUNICORN_500)
def test_gunicorn_answers_its_own_500(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == INTERNAL_SERVER_ERROR
    # Gunicorn's page: bare text/html (no charset), not problem+json, and none of the app's headers.
    assert response.headers["content-type"] == "text/html"
    assert "<title>Internal Server Error</title>" in response.text
    assert "x-content-type-options" not in response.headers
    assert response.headers["connection"] == "close"
    assert_still_serving(client)


@pytest.mark.parametrize("path", FLASK_500)
def test_flask_500_goes_through_the_app_handler(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    body = assert_problem(response, INTERNAL_SERVER_ERROR)
    assert set(body) <= {"type", "title", "status", "detail", "request_id"}
    for leak in ("Traceback", "LookupError", "TypeError", "AttributeError"):
        assert leak not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["connection"] == "keep-alive"
    assert_still_serving(client)


RIGHT = [
    pytest.param(f"{P}/reason-only/right", 404, HTML, "Not here", id="reason-only-right"),
    pytest.param(f"{P}/float-status/right", 404, HTML, "Not here", id="float-status-right"),
    pytest.param(f"{P}/bytes-status/right", 404, HTML, "Not here", id="bytes-status-right"),
    pytest.param(f"{P}/bool-status/right", 200, HTML, "Found it", id="bool-status-right-200"),
    pytest.param(f"{P}/bool-status/right?found=no", 404, HTML, "Not here", id="bool-status-right-404"),
    pytest.param(f"{P}/four-tuple/right", 200, TEXT, "plain text", id="four-tuple-right"),
    pytest.param(f"{P}/final-1xx/right", 200, HTML, "Final answer", id="final-1xx-right"),
]


@pytest.mark.parametrize(("path", "status", "content_type", "body"), RIGHT)
def test_right_way(client: httpx.Client, path: str, status: int, content_type: str, body: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == content_type
    assert response.text == body


def test_four_tuple_right_keeps_the_extra_header(client: httpx.Client) -> None:
    assert client.get(f"{P}/four-tuple/right").headers["x-demo"] == "four-tuple"


def test_abort_402_right_is_problem_json(client: httpx.Client) -> None:
    body = assert_problem(client.get(f"{P}/abort-402/right"), 402)
    assert body["detail"] == "This demo content needs a subscription."


def head_and_rest(raw: bytes) -> tuple[list[str], bytes]:
    head, _, rest = raw.partition(b"\r\n\r\n")
    return head.decode("latin-1").split("\r\n"), rest


def record(path: str, status: int) -> None:
    """Count a status seen on a raw socket for contract coverage, as the httpx clients do."""
    RECORDER.seen.add(("GET", path, status))


def test_final_1xx_wrong_sends_no_final_response(client: httpx.Client, base_url: str) -> None:
    path = f"{P}/final-1xx/wrong"
    raw = raw_exchange(base_url, raw_get(base_url, path))  # Connection: close, read to EOF
    lines, rest = head_and_rest(raw)
    assert lines[0].startswith("HTTP/1.1 103 ")
    record(path, 103)
    assert "X-Content-Type-Options: nosniff" in lines  # the app's own headers, on an interim response
    assert rest == b""  # nothing after the 103's head: no final response, then EOF
    assert raw.count(b"HTTP/1.1 ") == 1
    assert_still_serving(client)


def test_final_1xx_wrong_breaks_httpx(make_client: Callable[..., httpx.Client]) -> None:
    # A 1xx, then the connection closes: httpx has no final response to return.
    with pytest.raises(httpx.RemoteProtocolError):
        make_client().get(f"{P}/final-1xx/wrong", headers={"Connection": "close"})


def test_final_1xx_wrong_on_keep_alive_next_answer_looks_final(base_url: str) -> None:
    # The connection stays open after the 103; the next response on it is the one a client would
    # take as the final answer to the first request.
    path = f"{P}/final-1xx/wrong"
    raw = raw_exchange(base_url, raw_get(base_url, path, close=False), raw_get(base_url, "/healthz"))
    lines, rest = head_and_rest(raw)
    assert lines[0].startswith("HTTP/1.1 103 ")
    assert "connection: keep-alive" in (line.lower() for line in lines)
    record(path, 103)
    next_lines, next_body = head_and_rest(rest)
    assert next_lines[0].startswith("HTTP/1.1 200 ")
    assert next_body == b'{"status":"ok"}\n'


def test_final_1xx_right_sends_early_hints_then_the_final_response(base_url: str) -> None:
    raw = raw_exchange(base_url, raw_get(base_url, f"{P}/final-1xx/right"))
    hints, rest = head_and_rest(raw)
    assert hints[0].startswith("HTTP/1.1 103 ")
    assert "Link: </healthz>; rel=preload; as=fetch" in hints
    final, body = head_and_rest(rest)
    assert final[0].startswith("HTTP/1.1 200 ")
    assert body == b"Final answer"


def test_every_wrong_way_is_marked_as_a_deliberate_pitfall(client: httpx.Client) -> None:
    # Schemathesis and readers tell the deliberate 500s apart by this summary prefix.
    spec: dict[str, Any] = client.get("/openapi.json").json()
    wrong = {
        path: item["get"]["summary"]
        for path, item in spec["paths"].items()
        if path.startswith(P + "/") and "/wrong" in path
    }
    assert len(wrong) == 7
    for path, summary in wrong.items():
        assert summary.startswith("Deliberate pitfall:"), path
    # Only pairs live here, and no wrong half documents a right answer: a 500 or an interim 103 only.
    pitfalls = {path for path in spec["paths"] if path.startswith(P + "/")}
    assert pitfalls == set(wrong) | {path.removesuffix("/wrong") + "/right" for path in wrong}
    for path in wrong:
        assert set(spec["paths"][path]["get"]["responses"]) <= {"500", "103"}, path
    server_errors = {
        path for path, item in spec["paths"].items() for op in item.values() if "500" in op["responses"]
    }
    assert {p for p in server_errors if p.startswith(P + "/")} <= set(wrong)
