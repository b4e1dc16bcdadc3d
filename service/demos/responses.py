"""/demos/responses: build a Response object, then give it its status (and, if you like, a reason)."""

from http import HTTPStatus

from flask import Blueprint, Response, make_response

from service.openapi import documented

bp = Blueprint("demo_responses", __name__, url_prefix="/demos/responses")


@bp.get("/make-response")
@documented((202, "application/json"))
def make_response_status() -> Response:
    """202 Accepted: make_response(body), then set status_code — headers and cookies can follow.

    curl -i http://127.0.0.1:8000/demos/responses/make-response
    """
    response = make_response({"queued": True})
    response.status_code = HTTPStatus.ACCEPTED
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/response-object")
@documented((202, "text/plain"))
def response_object() -> Response:
    """202 Accepted: a Response(...) built directly, with status= and mimetype=.

    curl -i http://127.0.0.1:8000/demos/responses/response-object
    """
    return Response("queued\n", status=HTTPStatus.ACCEPTED, mimetype="text/plain")


@bp.get("/custom-reason")
@documented((299, "text/plain"))
def custom_reason() -> Response:
    """299 with a custom reason phrase: response.status = "299 Custom Reason".

    A str status is sent as written; Gunicorn puts "HTTP/1.1 299 Custom Reason" on the wire.
    299 is an unregistered code: clients treat an unknown 2xx as 200 (RFC 9110, section 15).
    Nothing should depend on a reason phrase; HTTP/2 and HTTP/3 do not even carry one.

    curl -i http://127.0.0.1:8000/demos/responses/custom-reason
    """
    response = Response("custom reason\n", mimetype="text/plain")
    response.status = "299 Custom Reason"
    return response
