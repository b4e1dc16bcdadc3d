"""View mistakes, wrong beside right, as they really go on the wire (Flask 3.1): jsonify's status,
a broad except that swallows abort(), a decorator that reads the wrong status, a view returning None.
"""

import httpx
from helpers import assert_problem, media_type, wrong_halves

P = "/demos/view-mistakes"
ERROR = {"error": "The quantity must be at least 1."}


def test_jsonify_status_keyword_is_a_body_member_and_the_answer_is_200(client: httpx.Client) -> None:
    response = client.post(f"{P}/jsonify-status/wrong")
    assert response.status_code == 200
    assert response.json() == {**ERROR, "status": 400}


def test_jsonify_then_status_in_the_tuple_answers_400(client: httpx.Client) -> None:
    response = client.post(f"{P}/jsonify-status/right")
    assert response.status_code == 400
    assert media_type(response) == "application/json"
    assert response.json() == ERROR


def test_the_tuples_lesson_teaches_jsonify_with_a_status(client: httpx.Client) -> None:
    response = client.get("/demos/tuples/jsonify-status")
    assert response.status_code == 400
    assert media_type(response) == "application/json"
    assert response.json() == ERROR


def test_broad_except_swallows_abort_and_answers_500(client: httpx.Client) -> None:
    response = client.get(f"{P}/swallowed-abort/wrong")
    assert response.status_code == 500
    assert response.json() == {"error": "Could not load the item."}
    assert client.get("/healthz").status_code == 200


def test_reraised_http_exception_keeps_the_404(client: httpx.Client) -> None:
    body = assert_problem(client.get(f"{P}/swallowed-abort/right"), 404)
    assert body["detail"] == "No such item."


def test_decorator_reads_jsonify_200_while_the_tuple_sends_202(client: httpx.Client) -> None:
    response = client.post(f"{P}/decorator-status/wrong")
    assert response.status_code == 202
    assert response.headers["x-seen-status"] == "200"  # what the decorator believed went out
    assert response.json() == {"state": "accepted"}


def test_decorator_after_make_response_reads_202(client: httpx.Client) -> None:
    response = client.post(f"{P}/decorator-status/right")
    assert response.status_code == 202
    assert response.headers["x-seen-status"] == "202"
    assert response.json() == {"state": "accepted"}


def test_view_returning_none_is_a_500(client: httpx.Client) -> None:
    response = client.delete(f"{P}/returns-none/wrong")
    body = assert_problem(response, 500)
    for leak in ("TypeError", "did not return", "Traceback"):
        assert leak not in response.text
    assert set(body) <= {"type", "title", "status", "detail", "request_id"}
    assert client.get("/healthz").status_code == 200


def test_view_returning_an_empty_204_is_right(client: httpx.Client) -> None:
    response = client.delete(f"{P}/returns-none/right")
    assert response.status_code == 204
    assert response.content == b""


def test_every_wrong_half_is_marked_as_a_deliberate_mistake(client: httpx.Client) -> None:
    wrong = wrong_halves(client, P)
    assert len(wrong) == 4
    for path, summary in wrong.items():
        assert summary.startswith("Deliberate mistake:"), path
