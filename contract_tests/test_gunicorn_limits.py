"""What Gunicorn answers before Flask sees a request: the limits in front of the OpenAPI contract."""

import httpx
import pytest
from helpers import media_type

# Gunicorn's default limit_request_line is 4094 bytes ("GET " + target + " HTTP/1.1").
LINES = [
    pytest.param(4000, 404, id="under-the-limit-reaches-flask"),
    pytest.param(5000, 414, id="over-the-limit-gunicorn-414"),
]


@pytest.mark.parametrize(("length", "status"), LINES)
def test_request_line_limit(client: httpx.Client, length: int, status: int) -> None:
    response = client.get("/" + "x" * length)
    assert response.status_code == status
    if status == 414:
        # Gunicorn's own page: HTML, not problem+json, and none of the app's headers; it closes the
        # connection. No route can answer it, so no operation documents it (Schemathesis stays under it).
        assert media_type(response) == "text/html"
        assert "Request Line is too large" in response.text
        assert "x-content-type-options" not in response.headers
        assert response.headers["connection"] == "close"
    else:
        assert media_type(response) == "application/problem+json"
        assert response.json()["status"] == 404
