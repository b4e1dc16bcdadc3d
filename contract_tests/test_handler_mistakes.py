"""Three error-handler mistakes, wrong beside right, as they really go on the wire (Flask 3.1).

Each wrong half answers wrong on purpose: a 200 for an error, a 500 for a 404, a 404 body the
blueprint's own handler never wrote. The right half beside it answers what the lesson says.
"""

import httpx
import pytest
from helpers import assert_problem, media_type, wrong_halves

P = "/demos/handler-mistakes"
NOT_FOUND = 404


def test_handler_without_status_answers_200_for_an_error(client: httpx.Client) -> None:
    response = client.post(f"{P}/no-status/wrong")
    assert response.status_code == 200  # the mistake: the error handler returned no status
    assert response.json() == {"error": "Tea is out of stock."}


def test_handler_with_status_answers_409(client: httpx.Client) -> None:
    response = client.post(f"{P}/no-status/right")
    assert response.status_code == 409
    assert media_type(response) == "application/json"
    assert response.json() == {"error": "Tea is out of stock."}


def test_catch_all_handler_turns_abort_404_into_500(client: httpx.Client) -> None:
    response = client.get(f"{P}/catch-all/wrong")
    assert response.status_code == 500
    # str() of the caught NotFound: the 404 it should have been shows up in the body of a 500.
    assert response.json() == {"error": "404 Not Found: No item here."}
    assert client.get("/healthz").status_code == 200


def test_catch_all_handler_that_passes_http_exceptions_keeps_404(client: httpx.Client) -> None:
    response = client.get(f"{P}/catch-all/right")
    assert response.status_code == NOT_FOUND
    assert media_type(response) == "text/html"  # Werkzeug's own page: the exception returned as it is
    assert "No item here." in response.text


# The body the lesson's blueprints mean to send for a page they do not have.
BLUEPRINT_404 = {"error": "No such page in this blueprint.", "pages": ["1"]}


@pytest.mark.parametrize("half", ["wrong", "right"])
def test_the_known_page_answers_200(client: httpx.Client, half: str) -> None:
    response = client.get(f"{P}/blueprint-404/{half}/1")
    assert response.status_code == 200
    assert response.json() == {"page": "1"}


@pytest.mark.parametrize("page", ["2", "third", "a/b"])
def test_blueprint_404_handler_never_runs_for_an_unknown_url(client: httpx.Client, page: str) -> None:
    response = client.get(f"{P}/blueprint-404/wrong/{page}")
    body = assert_problem(response, NOT_FOUND)  # the app's handler answered, not the blueprint's
    assert "pages" not in body


@pytest.mark.parametrize("page", ["2", "third", "%0A"])
def test_catch_all_route_lets_the_blueprint_answer_its_404(client: httpx.Client, page: str) -> None:
    response = client.get(f"{P}/blueprint-404/right/{page}")
    assert response.status_code == NOT_FOUND
    assert media_type(response) == "application/json"
    assert response.json() == BLUEPRINT_404


def test_other_404s_keep_the_app_problem_json(client: httpx.Client) -> None:
    # The lesson's handlers are scoped to its blueprints: the rest of the service is unchanged.
    assert_problem(client.get(f"{P}/no-such-lesson"), NOT_FOUND)
    assert_problem(client.get("/demos/success/items/not-hex"), NOT_FOUND)


def test_every_wrong_half_is_marked_as_a_deliberate_mistake(client: httpx.Client) -> None:
    wrong = wrong_halves(client, P)
    assert len(wrong) == 3
    for path, summary in wrong.items():
        assert summary.startswith("Deliberate mistake:"), path
