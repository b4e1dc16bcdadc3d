"""/demos/client-errors: the 4xx and 503 a request earns: bad body, wrong type, no access, too soon."""

import hmac
from http import HTTPStatus
from typing import Any

from flask import Blueprint, Response, json, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    NotAcceptable,
    RequestEntityTooLarge,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
)

from service.contract.reply import Reply, documented, header
from service.pipeline.errors import problem
from service.pipeline.media import JSON, PROBLEM_JSON, TEXT

bp = Blueprint("client_errors", __name__, url_prefix="/demos/client-errors")

# The demo's body limit; the app-wide MAX_CONTENT_LENGTH (service/app.py) stays the ceiling elsewhere.
ORDER_LIMIT = 1024
# Fixed demo credentials, published on purpose: this is a teaching endpoint, not a secret.
USERS = {"demo": "demo-password", "admin": "admin-password"}
REALM = "flask-status-codes demos"
RETRY_AFTER_SECONDS = 30
_ORDER_SCHEMA = {
    "type": "object",
    "required": ["item", "quantity"],
    "properties": {
        "item": {"type": "string", "minLength": 1},
        "quantity": {"type": "integer", "minimum": 1, "maximum": 100},
    },
}
# What every view behind _user() may answer: a Basic challenge until the credentials are right.
UNAUTHORIZED = Reply(401, PROBLEM_JSON, headers=[header("WWW-Authenticate", "Basic realm=...")])
RETRY_AFTER = header("Retry-After", "seconds", schema_type="integer")


def _validate(order: Any) -> list[dict[str, str]]:
    """The problems with an order, one per field: {"field": ..., "message": ...}."""
    if not isinstance(order, dict):
        return [{"field": "", "message": "must be a JSON object"}]
    errors = []
    item = order.get("item")
    if not isinstance(item, str) or not item.strip():
        errors.append({"field": "item", "message": "required, a non-empty string"})
    quantity = order.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 100:
        errors.append({"field": "quantity", "message": "required, an integer from 1 to 100"})
    return errors


@bp.post("/orders")
@documented(
    Reply(201, JSON, headers=[header("Location", "the order (always /demos/client-errors/orders/1)")]),
    Reply(400, PROBLEM_JSON),
    Reply(413, PROBLEM_JSON),
    Reply(415, PROBLEM_JSON),
    Reply(422, PROBLEM_JSON),
    request_body={"required": True, "content": {JSON: {"schema": _ORDER_SCHEMA}}},
)
def create_order() -> tuple[dict[str, Any], int, dict[str, str]]:
    """201 Created for a valid order; 400, 413, 415 and 422 for the ways a JSON body goes wrong.

    request.get_json() raises 415 when Content-Type is not JSON (application/json or any +json type)
    and 400 when the body does not parse (Flask hides the parser's message outside debug mode, so the
    view says "The request body is not valid JSON."). Over this view's limit of 1024 bytes
    (request.max_content_length, Flask 3.1) -> 413, with Content-Length or chunked. Valid JSON with
    bad values -> 422 with an `errors` list naming each field. The demo stores nothing, so every 201's
    Location is the same /demos/client-errors/orders/1.

    curl -i -H 'Content-Type: application/json' -d '{"item": "tea", "quantity": 0}' http://127.0.0.1:8000/demos/client-errors/orders
    """
    # One byte more than allowed: Werkzeug cuts a chunked body (no Content-Length) at the limit without
    # complaint, so an over-long one would arrive truncated (a 400, or worse, a valid prefix). Reading
    # one byte past the limit shows it was too long. A declared Content-Length over it is refused unread.
    request.max_content_length = ORDER_LIMIT + 1
    if len(request.get_data(cache=True)) > ORDER_LIMIT:
        raise RequestEntityTooLarge(f"The body may be at most {ORDER_LIMIT} bytes.")
    try:
        order = request.get_json()
    except BadRequest as exc:
        # Outside debug mode Flask replaces the parser's message with a generic one; say what is wrong.
        raise BadRequest("The request body is not valid JSON.") from exc
    errors = _validate(order)
    if errors:
        # Returned, not raised: the `errors` member (an RFC 9457 extension) is part of this body, and the
        # app's HTTPException handler would replace the body with the standard members only.
        body = problem(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "The JSON is well formed but some fields are invalid.",
            errors=errors,
        )
        return body, HTTPStatus.UNPROCESSABLE_ENTITY, {"Content-Type": PROBLEM_JSON}
    created = {"item": order["item"], "quantity": order["quantity"]}
    return created, HTTPStatus.CREATED, {"Location": "/demos/client-errors/orders/1"}


@bp.get("/negotiate")
@documented(
    Reply(200, JSON),
    Reply(200, TEXT),
    Reply(406, PROBLEM_JSON),
    parameters=[{"name": "Accept", "in": "header", "schema": {"type": "string"}}],
)
def negotiate() -> Response:
    """406 Not Acceptable when Accept names neither application/json nor text/plain.

    request.accept_mimetypes.best_match() picks the client's best-ranked offer (JSON for */* or no
    Accept); None means nothing fits. Vary: Accept tells caches the answer depends on that header.

    curl -i -H 'Accept: image/png' http://127.0.0.1:8000/demos/client-errors/negotiate
    """
    accept = request.accept_mimetypes
    # No Accept (or an empty one) means anything will do (RFC 9110 §12.5.1), but best_match() finds
    # no entry to match and returns None, which would be a 406: `provided` tells the cases apart.
    best = accept.best_match([JSON, TEXT]) if accept.provided else JSON
    if best is None:
        raise NotAcceptable("This resource is available as application/json or text/plain.")
    if best == JSON:
        response = Response(json.dumps({"greeting": "hello"}), mimetype=JSON)
    else:
        response = Response("hello\n", mimetype=TEXT)
    response.vary.add("Accept")
    return response


def _user() -> str:
    """The authenticated user's name; 401 with a Basic challenge when credentials are missing or wrong."""
    auth = request.authorization
    if auth is not None and auth.type == "basic" and auth.username in USERS:
        expected = USERS[auth.username].encode()
        if hmac.compare_digest(expected, (auth.password or "").encode()):
            return auth.username
    raise Unauthorized(
        "Send HTTP Basic credentials: demo / demo-password or admin / admin-password.",
        www_authenticate=WWWAuthenticate("basic", {"realm": REALM, "charset": "UTF-8"}),
    )


@bp.get("/private")
@documented(Reply(200, JSON), UNAUTHORIZED)
def private() -> dict[str, str]:
    """401 Unauthorized with WWW-Authenticate: Basic realm=... until valid demo credentials come.

    Demo users: demo / demo-password and admin / admin-password. Werkzeug parses Authorization.

    curl -i -u demo:demo-password http://127.0.0.1:8000/demos/client-errors/private
    """
    return {"user": _user()}


@bp.get("/admin")
@documented(Reply(200, JSON), UNAUTHORIZED, Reply(403, PROBLEM_JSON))
def admin() -> dict[str, str]:
    """403 Forbidden for an authenticated user without the right: who you are is known, and it is not enough.

    No or wrong credentials -> 401 (authenticate, then retry); demo -> 403 (retrying will not help);
    admin / admin-password -> 200.

    curl -i -u demo:demo-password http://127.0.0.1:8000/demos/client-errors/admin
    """
    user = _user()
    if user != "admin":
        raise Forbidden(f"User '{user}' is authenticated but may not use this endpoint.")
    return {"user": user}


@bp.get("/rate-limited")
@documented(Reply(429, PROBLEM_JSON, headers=[RETRY_AFTER]))
def rate_limited() -> Response:
    """429 Too Many Requests with Retry-After — TooManyRequests(retry_after=...) sets the header.

    This demo always answers 429, as a client that exceeded its quota would see it.

    curl -i http://127.0.0.1:8000/demos/client-errors/rate-limited
    """
    raise TooManyRequests("The demo quota is used up; retry later.", retry_after=RETRY_AFTER_SECONDS)


@bp.get("/maintenance")
@documented(Reply(503, PROBLEM_JSON, headers=[RETRY_AFTER]))
def maintenance() -> Response:
    """503 Service Unavailable with Retry-After — ServiceUnavailable(retry_after=...) sets the header.

    This demo always answers 503, as a service down for maintenance would.

    curl -i http://127.0.0.1:8000/demos/client-errors/maintenance
    """
    raise ServiceUnavailable("Down for demo maintenance; retry later.", retry_after=RETRY_AFTER_SECONDS)
