"""What every answer passes through: install(app, ...) puts the request/response hooks in place, in order."""

from collections.abc import Callable, Iterable

from flask import Flask, Request, Response, request

from service.pipeline import cors, errors, host, replica_header, request_id, security_headers
from service.settings import Settings


def install(app: Flask, settings: Settings, catalogue: Iterable[cors.Entry]) -> frozenset[str]:
    """Install the hooks in the order a request meets them; returns the CORS scope (its rules).

    Call after every blueprint is registered: the CORS scope is the routes of the catalogue's entries.
    What happens outside Flask is in service/server/: Gunicorn parses the request (the worker answers a
    head that never completes with 408), and after the response is sent the access logger writes its
    line and counts the request for the metrics (accesslog.py, metrics.py).
    """
    scoped = cors.scope(app, catalogue)
    # An exception anywhere below (a view's abort() included) becomes the one problem+json answer,
    # which then goes through the after-steps like any other.
    errors.register(app)
    before: list[Callable[[Request], Response | None]] = [
        # 1. An HTTP/1.1 request without Host: 400 before anything else looks at it.
        host.require_host,
        # 2. A CORS preflight to a scoped route: 204 with the route's methods; the view never runs.
        cors.preflight_hook(app, scoped),
    ]
    # 3. The view (a blueprint's own after_request, such as the index's Vary, runs right after it).
    after: list[Callable[[Request, Response], Response] | None] = [
        # 4. CORS: any origin may read the answer of a scoped route (or of a /status/ or /demos/ miss).
        cors.origin_hook(scoped),
        # 5. nosniff on everything, a closed Content-Security-Policy on HTML.
        security_headers.add,
        # 6. X-Request-ID, and the route template and id in the environ for the access log.
        request_id.note_route_and_id,
        # 7. X-Instance naming the replica, when INSTANCE_HEADER=1.
        replica_header.hook(settings.replica_header),
    ]
    # One Flask hook for each list, running its steps in the order listed, each handed the request
    # itself: Flask wraps every hook it calls (ensure_sync, a coroutine check), and every use of the
    # `request` proxy looks the request up again; both cost /status/200 more than some of the steps
    # themselves (docs/performance.md, issue 24's pass).
    app.before_request(_first_answer(before))
    app.after_request(_each_in_turn([step for step in after if step is not None]))
    return scoped


def _first_answer(steps: list[Callable[[Request], Response | None]]) -> Callable[[], Response | None]:
    def before_request() -> Response | None:
        current: Request = request._get_current_object()  # type: ignore[attr-defined]
        for step in steps:
            answer = step(current)
            if answer is not None:  # an answer ends the request here, as a Flask before_request does
                return answer
        return None

    return before_request


def _each_in_turn(steps: list[Callable[[Request, Response], Response]]) -> Callable[[Response], Response]:
    def after_request(response: Response) -> Response:
        current: Request = request._get_current_object()  # type: ignore[attr-defined]
        for step in steps:
            response = step(current, response)
        return response

    return after_request
