"""REDIRECT_ALLOWED_HOSTS: /redirect-to sends a client to a listed host (any port), and to no other.

In-process: the contract suite's container runs without the setting, so it pins the refusal (403);
here the app is built with hosts listed, as an operator would start it.
"""

import pytest

from service.app import create_app
from service.settings import Settings


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("https://example.test/x", 302),
        ("http://example.test:8443/x?y=1", 302),
        ("https://EXAMPLE.test/", 302),
        ("https://httpbin.test/get", 302),
        ("https://sub.example.test/", 403),
        ("https://example.test.evil/", 403),
        ("https://evil.test/", 403),
        ("//example.test/", 400),
    ],
)
def test_listed_hosts_only(url: str, status: int) -> None:
    app = create_app(Settings(redirect_hosts=("example.test", "httpbin.test")))
    response = app.test_client().get("/redirect-to", query_string={"url": url})
    assert response.status_code == status
    # Werkzeug writes the host of an absolute Location in lower case (host names are case-insensitive).
    location = response.headers.get("Location")
    assert (location.lower() if location else None) == (url.lower() if status == 302 else None)
