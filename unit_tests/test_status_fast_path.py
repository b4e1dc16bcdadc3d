"""/status without a query string (its decision cached, status.py's _plain) and with one: the same bytes.

?reason= set to the status's own phrase changes nothing else, so the two answers must match header for
header, in order, and body for body, though only the second parses options.
"""

from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from service.app import create_app
from service.tester.status import describe


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return create_app().test_client()


def _answer(
    client: FlaskClient, method: str, url: str, accept: str
) -> tuple[str, list[tuple[str, str]], bytes]:
    response = client.open(url, method=method, headers={"Accept": accept})
    headers = [(name, value) for name, value in response.headers if name != "X-Request-ID"]
    return response.status, headers, response.get_data()


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "OPTIONS"])
@pytest.mark.parametrize("accept", ["*/*", "application/json"])
def test_cached_answer_equals_the_built_one(client: FlaskClient, method: str, accept: str) -> None:
    for code in range(200, 600):
        phrase = quote(describe(code)[0])
        cached = _answer(client, method, f"/status/{code}", accept)
        built = _answer(client, method, f"/status/{code}?reason={phrase}", accept)
        assert cached == built, code
