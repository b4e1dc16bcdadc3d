"""create_app(): settings, the catalogue's blueprints, the pipeline, the contract — the map of the service.

The route table, readable in one place: `python -c "from service.app import create_app;
print(create_app().url_map)"`, or /openapi.json, where every route appears with every status it answers.
"""

from collections.abc import Mapping
from typing import Any

from flask import Flask

from service import pipeline
from service.catalogue import CATALOGUE
from service.contract import openapi, preflights
from service.explorer import STATIC, assets
from service.settings import Settings
from service.tester import replay, sequences, status


def create_app(settings: Settings | None = None, config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; Gunicorn calls this (see server/gunicorn.conf.py): no module-global app.

    settings: the service's settings (service/settings.py). Under Gunicorn the worker hands over the ones
    gunicorn.conf.py read in the master; without them (`flask run`, tests) they are read here, from the
    environment. A unit test passes its own: create_app(Settings(status_max_delay=1)).
    config: Flask settings that override the defaults below, e.g.
    create_app(config={"MAX_CONTENT_LENGTH": 10}).
    """
    settings = settings if settings is not None else Settings.from_environment()
    # The explorer's stylesheet and script, at /static/ (the endpoint Flask calls "static").
    app = Flask(__name__, static_folder=STATIC)
    app.config.update(
        # Never serve the interactive debugger or tracebacks, whatever the environment says.
        DEBUG=False,
        PROPAGATE_EXCEPTIONS=False,
        # A ceiling on every request body (413 above it); a view may lower it with request.max_content_length.
        MAX_CONTENT_LENGTH=1024 * 1024,
        # The static folder holds only the explorer's files, always linked by content hash (?v=...):
        # a changed file gets a new URL, so browsers may keep each one for a year.
        SEND_FILE_MAX_AGE_DEFAULT=365 * 24 * 3600,
    )
    if config:
        app.config.update(config)
    # The explorer's two files, gzipped for the browsers that accept it (Flask's own view sends them as is).
    app.view_functions["static"] = assets.serve
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep problem fields in RFC 9457 order
    app.extensions["settings"] = settings
    app.extensions["catalogue"] = CATALOGUE
    # /status?sequence='s store: a no-op under Gunicorn, whose master chose it before forking.
    sequences.choose(settings.state_url, sequences.Limits(settings.sequence_ttl, settings.sequence_max_keys))

    # The routes: every blueprint of the catalogue, lessons first (service/catalogue.py).
    for entry in CATALOGUE:
        app.register_blueprint(entry.blueprint)

    # What every answer passes through, in order (service/pipeline/__init__.py).
    scoped = pipeline.install(app, settings, CATALOGUE)

    # The contract: every route is checked now (raises if one has no @documented(...)); the document is
    # built once, on first use (openapi.spec), after every route exists.
    openapi.check(app, CATALOGUE)
    app.extensions["openapi_builder"] = lambda: preflights.document(
        openapi.build(app, CATALOGUE, settings), scoped
    )
    # Outside Flask: an identical /status request answered again from the first answer (replay.py), and
    # any other whose answer the request alone decides answered without Flask's dispatch (status.Direct).
    decide = status.replay_decision(settings.status_max_delay)
    app.wsgi_app = replay.Replay(status.Direct(app, app.wsgi_app), decide)  # type: ignore[method-assign]
    return app
