"""The one error shape, RFC 9457 problem+json, as a plain dict: no Flask, so the worker's 408 uses it too."""

from http import HTTPStatus
from typing import Any


def problem(status: int, detail: str | None = None, **extensions: Any) -> dict[str, Any]:
    """The problem-details body for a status: RFC 9457 members first, then the extensions given (a
    request_id among them: service/pipeline/errors.py adds the current request's)."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Unknown Status"
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extensions)
    return body
