"""create_app(): configuration, blueprints and error handlers — the map of the service."""

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, abort, request

from service import cors, errors, health, index, instance, openapi, requestid, status, wire
from service.demos import (
    aborts,
    automatic,
    client_errors,
    conditional,
    early_hints,
    handler_mistakes,
    handlers,
    pitfalls,
    redirects,
    responses,
    streaming,
    success,
    tuples,
    tutorial,
    view_mistakes,
)
from service.media import HTML

# Nothing may load or run; a view that needs more (its own stylesheet, say) sets a wider policy itself.
CSP_FOR_HTML = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; Gunicorn calls this (see gunicorn.conf.py), so there is no module-global app.

    config: Flask settings that override the defaults below, e.g. create_app({"MAX_CONTENT_LENGTH": 10})
    in a unit test: no environment juggling.
    """
    app = Flask(__name__)
    app.config.update(
        # Never serve the interactive debugger or tracebacks, whatever the environment says.
        DEBUG=False,
        PROPAGATE_EXCEPTIONS=False,
        # A ceiling on every request body (413 above it); a view may lower it with request.max_content_length.
        MAX_CONTENT_LENGTH=1024 * 1024,
        # service/static/ holds only the explorer's files, always linked by content hash (?v=...):
        # a changed file gets a new URL, so browsers may keep each one for a year.
        SEND_FILE_MAX_AGE_DEFAULT=365 * 24 * 3600,
    )
    if config:
        app.config.update(config)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep problem fields in RFC 9457 order

    errors.register(app)
    instance.register(app)
    requestid.register(app)
    # Each blueprint is named after its module, and a demo module's URL prefix is /demos/<module>.
    for blueprint in (
        health.bp,
        tutorial.bp,
        handlers.bp,
        tuples.bp,
        responses.bp,
        aborts.bp,
        redirects.bp,
        success.bp,
        streaming.bp,
        pitfalls.bp,
        handler_mistakes.bp,
        view_mistakes.bp,
        early_hints.bp,
        conditional.bp,
        automatic.bp,
        client_errors.bp,
        openapi.bp,
        status.bp,
        wire.bp,
        index.bp,
    ):
        app.register_blueprint(blueprint)

    @app.before_request
    def require_host() -> None:
        # RFC 9112 §3.2: an HTTP/1.1 request without Host MUST get 400; Gunicorn passes it through.
        environ = request.environ
        if environ.get("SERVER_PROTOCOL") == "HTTP/1.1" and not environ.get("HTTP_HOST"):
            abort(HTTPStatus.BAD_REQUEST, "An HTTP/1.1 request must carry a Host header (RFC 9112 §3.2).")

    @app.after_request
    def security_headers(response: Response) -> Response:
        # Browsers must never guess a type: a plain-text body that looks like HTML stays text.
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if response.mimetype == HTML:
            # HTML here is text, never an app: no scripts, plugins, frames or forms, whatever it contains.
            response.headers.setdefault("Content-Security-Policy", CSP_FOR_HTML)
        return response

    # After every route exists: CORS scopes itself by the routes' modules.
    cors.register(app)
    # Built once, after every route exists; raises if a route has no @documented(...).
    app.extensions["openapi"] = cors.document(openapi.build(app), app)
    return app
