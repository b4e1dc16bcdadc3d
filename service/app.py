"""create_app(): configuration, blueprints and error handlers — the map of the service."""

from http import HTTPStatus

from flask import Flask, Response, abort, request

from service import errors, health, index, openapi, status, tutorial
from service.demos import (
    aborts,
    automatic,
    conditional,
    early_hints,
    pitfalls,
    redirects,
    responses,
    streaming,
    success,
    tuples,
)
from service.demos import errors as demo_errors
from service.demos import requests as demo_requests

# Nothing may load or run; a view that needs more (its own stylesheet, say) sets a wider policy itself.
CSP_FOR_HTML = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def create_app() -> Flask:
    """Build the application; Gunicorn calls this (see gunicorn.conf.py), so there is no module-global app."""
    app = Flask(__name__)
    app.config.update(
        # Never serve the interactive debugger or tracebacks, whatever the environment says.
        DEBUG=False,
        PROPAGATE_EXCEPTIONS=False,
        # A ceiling on every request body (413 above it); a view may lower it with request.max_content_length.
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep problem fields in RFC 9457 order

    errors.register(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(tutorial.bp)
    app.register_blueprint(demo_errors.bp)
    app.register_blueprint(tuples.bp)
    app.register_blueprint(responses.bp)
    app.register_blueprint(aborts.bp)
    app.register_blueprint(redirects.bp)
    app.register_blueprint(success.bp)
    app.register_blueprint(streaming.bp)
    app.register_blueprint(pitfalls.bp)
    app.register_blueprint(early_hints.bp)
    app.register_blueprint(conditional.bp)
    app.register_blueprint(automatic.bp)
    app.register_blueprint(demo_requests.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(status.bp)
    app.register_blueprint(index.bp)

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
        if response.mimetype == "text/html":
            # HTML here is text, never an app: no scripts, plugins, frames or forms, whatever it contains.
            response.headers.setdefault("Content-Security-Policy", CSP_FOR_HTML)
        return response

    # Built once, after every route exists; raises if a route has no @documented(...).
    app.extensions["openapi"] = openapi.build(app)
    return app
