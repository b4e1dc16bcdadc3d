"""/demos/responses: build a Response object, then give it its status (a reason phrase, cookies...)."""

from http import HTTPStatus

from flask import Blueprint, Response, make_response

from service.contract.reply import Reply, documented, header
from service.pipeline.media import JSON, TEXT

bp = Blueprint("responses", __name__, url_prefix="/demos/responses")


@bp.get("/make-response")
@documented(Reply(202, JSON, headers=[header("Cache-Control", "no-store")]))
def make_response_status() -> Response:
    """202 Accepted: make_response(body), then set status_code — headers and cookies can follow.

    curl -i http://127.0.0.1:8000/demos/responses/make-response
    """
    response = make_response({"queued": True})
    response.status_code = HTTPStatus.ACCEPTED
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/response-object")
@documented(Reply(202, TEXT))
def response_object() -> Response:
    """202 Accepted: a Response(...) built directly, with status= and mimetype=.

    curl -i http://127.0.0.1:8000/demos/responses/response-object
    """
    return Response("queued\n", status=HTTPStatus.ACCEPTED, mimetype=TEXT)


@bp.get("/custom-reason")
@documented(Reply(299, TEXT))
def custom_reason() -> Response:
    """299 with a custom reason phrase: response.status = "299 Custom Reason".

    A str status is sent as written; Gunicorn puts "HTTP/1.1 299 Custom Reason" on the wire.
    299 is an unregistered code: clients treat an unknown 2xx as 200 (RFC 9110, section 15).
    Nothing should depend on a reason phrase; HTTP/2 and HTTP/3 do not even carry one.

    curl -i http://127.0.0.1:8000/demos/responses/custom-reason
    """
    response = Response("custom reason\n", mimetype=TEXT)
    response.status = "299 Custom Reason"
    return response


@bp.get("/reason-phrase")
@documented(Reply(404, TEXT))
def reason_phrase() -> Response:
    """404 Not Found with the phrase set explicitly: response.status = "404 Not Found" goes out as written.

    Werkzeug 3.1 writes its own phrases in upper case ("404 NOT FOUND") and is changing them to
    "404 Not Found"; a client or test that compares the phrase breaks on upgrade, so compare the
    number. Set a phrase yourself only where one really matters to you.

    curl -i http://127.0.0.1:8000/demos/responses/reason-phrase
    """
    response = Response("Not here\n", mimetype=TEXT)
    response.status = "404 Not Found"
    return response


@bp.get("/set-cookie")
@documented(Reply(200, TEXT, headers=[header("Set-Cookie", "one per cookie")]))
def set_cookie() -> Response:
    """200 with two cookies — make_response(), then set_cookie() once per cookie.

    A tuple's headers slot loses a cookie in two of three shapes (see /demos/tuples/cookies-dict).

    curl -i http://127.0.0.1:8000/demos/responses/set-cookie
    """
    response = make_response("Two cookies\n")
    response.mimetype = TEXT
    response.set_cookie("theme", "dark")
    response.set_cookie("lang", "en")
    return response
