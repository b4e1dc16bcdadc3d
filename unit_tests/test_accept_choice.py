"""best_of (service/pipeline/media.py) picks what Werkzeug's request.accept_mimetypes.best_match picks."""

import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from service.pipeline.media import JSON, TEXT, best_of

ACCEPTS = [
    "",
    "*/*",
    "application/json",
    "text/plain",
    "application/json;q=0.5, text/plain",
    "text/*;q=0.9, application/json;q=0.91",
    "image/png",
    "application/*",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "application/json;q=0",
    "garbage;;;q=x",
    "text/plain;q=0.5, " * 60 + "application/json",  # past the cache's 200 characters
]


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("offers", [(TEXT, JSON), (JSON, TEXT)])
def test_best_of_is_werkzeugs_choice(accept: str, offers: tuple[str, str]) -> None:
    expected = parse_accept_header(accept, MIMEAccept).best_match(offers)
    assert best_of(accept, offers) == expected
    assert best_of(accept, offers) == expected  # the cached answer too
