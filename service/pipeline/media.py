"""The media types the service declares and sends, named once, and the choice among them by Accept."""

from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

HTML = "text/html"  # Flask's mimetype for a str body, and redirect()'s small link page
JSON = "application/json"
TEXT = "text/plain"
PROBLEM_JSON = "application/problem+json"  # RFC 9457: the one error shape (service/pipeline/errors.py)


def best_of(accept: str, offers: tuple[str, ...]) -> str | None:
    """Werkzeug's best_match of `offers` for an Accept header's raw value: request.accept_mimetypes'
    answer, parsed once per distinct value of up to 200 characters (browsers and clients send the same
    one on every request). Parsing Accept on every request showed in /status/200's profile
    (docs/performance.md); the cache holds 256 values of at most 200 characters."""
    if len(accept) > 200:
        return _best_of.__wrapped__(accept, offers)
    return _best_of(accept, offers)


@lru_cache(maxsize=256)
def _best_of(accept: str, offers: tuple[str, ...]) -> str | None:
    return parse_accept_header(accept, MIMEAccept).best_match(offers)
