"""What every answer passes through: install(app, ...) puts the request/response hooks in place, in order.

The steps are listed once (Steps) and run two ways: as Flask's before_request and after_request hooks
for every route, and by Steps.around(), without Flask's dispatch, for a caller that already knows its
route: the /status target's direct path (service/tester/status.py).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

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
    # The headers the steps after the view may add, as they name them: no lesson's code sets them, so the
    # explorer's Run (a lesson's view alone) lacks them, and its page says which (service/explorer/).
    adds = (
        cors.ANY_ORIGIN[0],
        cors.EXPOSE[0],
        security_headers.NOSNIFF[0],
        security_headers.CSP,
        request_id.HEADER,
        *([replica_header.HEADER] if settings.replica_header else []),
    )
    steps = Steps(tuple(before), tuple(step for step in after if step is not None), adds)
    app.extensions["pipeline"] = steps
    # One Flask hook for each list, running its steps in the order listed, each handed the request
    # itself: Flask wraps every hook it calls (ensure_sync, a coroutine check), and every use of the
    # `request` proxy looks the request up again; both cost /status/200 more than some of the steps
    # themselves (docs/performance.md, issue 24's pass).
    app.before_request(_first_answer(steps))
    app.after_request(_each_in_turn(steps))
    return scoped


@dataclass(frozen=True)
class Steps:
    """The pipeline's steps in order: before the view (the first answer ends the request), after it; and
    the names of the headers those after it may add."""

    before: tuple[Callable[[Request], Response | None], ...]
    after: tuple[Callable[[Request, Response], Response], ...]
    adds: tuple[str, ...] = ()

    def first_answer(self, current: Request) -> Response | None:
        for step in self.before:
            answer = step(current)
            if answer is not None:  # an answer ends the request here, as a Flask before_request does
                return answer
        return None

    def each_in_turn(self, current: Request, response: Response) -> Response:
        for step in self.after:
            response = step(current, response)
        return response

    def around(self, current: Request, view: Callable[[], Response]) -> Response:
        """What Flask's hooks do around a view, for a request whose route is known without Flask's
        routing (current.url_rule and view_args set); an exception leaves it to the caller."""
        return self.each_in_turn(current, self.first_answer(current) or view())


def _first_answer(steps: Steps) -> Callable[[], Response | None]:
    def before_request() -> Response | None:
        return steps.first_answer(request._get_current_object())  # type: ignore[attr-defined]

    return before_request


def _each_in_turn(steps: Steps) -> Callable[[Response], Response]:
    def after_request(response: Response) -> Response:
        return steps.each_in_turn(request._get_current_object(), response)  # type: ignore[attr-defined]

    return after_request
