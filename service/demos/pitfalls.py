"""/demos/pitfalls: common ways to get a status wrong, each paired with the right way, as they really behave.

Every /wrong endpoint here is a deliberate pitfall: several answer 500 (or break the connection) on
purpose, and that is the behaviour the contract suite pins. The string status ('404') pair is the
tutorial's own /wrong and /right (service/tutorial.py).
"""

from http import HTTPStatus

from flask import Blueprint, Response, abort, make_response, redirect, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from service.openapi import documented

HTML = "text/html"  # Flask's mimetype for a str body
JSON = "application/json"
# Gunicorn writes this 500 page itself when the status line Werkzeug built is not "<3 digits> ...".
GUNICORN_500 = (500, HTML)

bp = Blueprint("pitfalls", __name__, url_prefix="/demos/pitfalls")


@bp.get("/reason-only/wrong")  # type: ignore[type-var]  # mypy rejects a str status: Flask's types say no
@documented(GUNICORN_500)
def reason_only_wrong() -> tuple[str, str]:
    """Deliberate pitfall: 500 from Gunicorn itself — a reason phrase with no number ("NOT FOUND").

    Werkzeug accepts the string and builds the status line "0 NOT FOUND"; Gunicorn's start_response
    rejects it and writes its own plain HTML "Internal Server Error" page. The app's error handler
    never sees it, so the body is not problem+json and has no X-Content-Type-Options.

    curl -i http://127.0.0.1:8000/demos/pitfalls/reason-only/wrong
    """
    return "Not here", "NOT FOUND"


@bp.get("/reason-only/right")
@documented((404, HTML))
def reason_only_right() -> tuple[str, HTTPStatus]:
    """404 Not Found — the status as an http.HTTPStatus member; Werkzeug adds the phrase.

    curl -i http://127.0.0.1:8000/demos/pitfalls/reason-only/right
    """
    return "Not here", HTTPStatus.NOT_FOUND


@bp.get("/float-status/wrong")  # type: ignore[type-var]  # mypy rejects a float status: Flask's types say no
@documented(500)
def float_status_wrong() -> tuple[str, float]:
    """Deliberate pitfall: 500 as problem+json — a float status (404.0).

    Flask hands anything that is not an int to Werkzeug as a status *string*, and a float has no
    .strip() (AttributeError); the app's handler turns the failure into a 500.

    curl -i http://127.0.0.1:8000/demos/pitfalls/float-status/wrong
    """
    return "Not here", 404.0


@bp.get("/float-status/right")
@documented((404, HTML))
def float_status_right() -> tuple[str, int]:
    """404 Not Found — a computed status converted to int before it is returned.

    curl -i http://127.0.0.1:8000/demos/pitfalls/float-status/right
    """
    computed = 404.0  # e.g. read from a JSON document, where every number may be a float
    return "Not here", int(computed)


@bp.get("/bytes-status/wrong")  # type: ignore[type-var]  # mypy rejects a bytes status: Flask's types say no
@documented(500)
def bytes_status_wrong() -> tuple[str, bytes]:
    """Deliberate pitfall: 500 as problem+json — a bytes status (b"404").

    Werkzeug parses the status as text; b"404".partition(" ") raises TypeError, and the app's
    handler turns the failure into a 500.

    curl -i http://127.0.0.1:8000/demos/pitfalls/bytes-status/wrong
    """
    return "Not here", b"404"


@bp.get("/bytes-status/right")
@documented((404, HTML))
def bytes_status_right() -> tuple[str, int]:
    """404 Not Found — bytes from elsewhere decoded and converted to int first.

    curl -i http://127.0.0.1:8000/demos/pitfalls/bytes-status/right
    """
    received = b"404"  # e.g. read from a socket or a subprocess
    return "Not here", int(received.decode("ascii"))


@bp.get("/bool-status/wrong")
@documented(GUNICORN_500)
def bool_status_wrong() -> tuple[str, bool]:
    """Deliberate pitfall: 500 from Gunicorn itself — True as a status.

    bool is an int, so Werkzeug takes True as status 1 and builds "1 UNKNOWN"; Gunicorn rejects it
    and writes its own plain HTML 500 page, past the app's error handler.

    curl -i http://127.0.0.1:8000/demos/pitfalls/bool-status/wrong
    """
    found = True
    return "Found it", found


FOUND = {"name": "found", "in": "query", "description": "'no' for the 404", "schema": {"type": "string"}}


@bp.get("/bool-status/right")
@documented((200, HTML), (404, HTML), parameters=[FOUND])
def bool_status_right() -> tuple[str, HTTPStatus]:
    """200 OK or 404 Not Found — a condition mapped to a status explicitly.

    ?found=no answers 404; anything else (or nothing) answers 200.

    curl -i http://127.0.0.1:8000/demos/pitfalls/bool-status/right?found=no
    """
    found = request.args.get("found") != "no"
    return ("Found it", HTTPStatus.OK) if found else ("Not here", HTTPStatus.NOT_FOUND)


@bp.get("/four-tuple/wrong")  # type: ignore[type-var]  # mypy rejects a 4-item tuple: Flask's types say no
@documented(500)
def four_tuple_wrong() -> tuple[str, int, dict[str, str], str]:
    """Deliberate pitfall: 500 as problem+json — a 4-item tuple (body, status, headers, mimetype).

    Flask accepts (body, status), (body, headers) and (body, status, headers) only; any other length
    is a TypeError at request time, and the app's handler turns it into a 500.

    curl -i http://127.0.0.1:8000/demos/pitfalls/four-tuple/wrong
    """
    return "plain text", 200, {"X-Demo": "four-tuple"}, "text/plain"


@bp.get("/four-tuple/right")
@documented((200, "text/plain"))
def four_tuple_right() -> Response:
    """200 OK as text/plain — make_response(), then set what a tuple has no slot for.

    curl -i http://127.0.0.1:8000/demos/pitfalls/four-tuple/right
    """
    response = make_response("plain text", HTTPStatus.OK, {"X-Demo": "four-tuple"})
    response.mimetype = "text/plain"
    return response


@bp.get("/abort-402/wrong")
@documented(500)
def abort_402_wrong() -> str:
    """Deliberate pitfall: 500 as problem+json — abort(402), a code Werkzeug has no exception for.

    abort() looks the code up in Werkzeug's table of HTTPException classes; 402 is not there, so it
    raises LookupError("no exception for 402"), not an HTTPException, and the app's handler answers 500.

    curl -i http://127.0.0.1:8000/demos/pitfalls/abort-402/wrong
    """
    abort(HTTPStatus.PAYMENT_REQUIRED)


class PaymentRequired(HTTPException):
    """402 Payment Required: Werkzeug defines no class for it, so the app does."""

    code = HTTPStatus.PAYMENT_REQUIRED
    description = "This demo content needs a subscription."


@bp.get("/abort-402/right")
@documented(402)
def abort_402_right() -> str:
    """402 Payment Required as problem+json — raise a custom HTTPException subclass.

    The app's HTTPException handler turns it into the same problem+json as any other error, with the
    class's description as "detail".

    curl -i http://127.0.0.1:8000/demos/pitfalls/abort-402/right
    """
    raise PaymentRequired()


@bp.get("/final-1xx/wrong")
@documented((103, None))
def final_1xx_wrong() -> tuple[str, HTTPStatus]:
    """Deliberate pitfall: 103 Early Hints as the final response — the client gets no response at all.

    A 1xx is interim: the client waits for a final status after it, and none comes. With
    "Connection: close" Gunicorn closes right after the 103; on a keep-alive connection it waits for
    the next request, so the client hangs until Gunicorn's keep-alive timeout closes it, and a
    pipelined request's answer would be read as this one's final response.

    curl -i --max-time 5 http://127.0.0.1:8000/demos/pitfalls/final-1xx/wrong
    """
    return "", HTTPStatus.EARLY_HINTS


PRELOAD = "</healthz>; rel=preload; as=fetch"


@bp.get("/final-1xx/right")
@documented((200, HTML))
def final_1xx_right() -> tuple[str, HTTPStatus, dict[str, str]]:
    """200 OK, after a real 103 Early Hints — Gunicorn's wsgi.early_hints callable sends the interim.

    The 103 goes out first (with its Link header), then the final 200 carries the same Link. A server
    without wsgi.early_hints sends only the 200, which is still correct.

    curl -i http://127.0.0.1:8000/demos/pitfalls/final-1xx/right
    """
    send_early_hints = request.environ.get("wsgi.early_hints")
    if send_early_hints is not None:
        send_early_hints([("Link", PRELOAD)])
    return "Final answer", HTTPStatus.OK, {"Link": PRELOAD}


@bp.get("/redirect-default/wrong")
@documented(302, headers={302: {"Location": {"schema": {"type": "string"}}}})
def redirect_default_wrong() -> BaseResponse:
    """Deliberate pitfall: 302 Found today — redirect() with no code relies on Flask's default.

    Flask is changing that default from 302 to 303, so this endpoint's status will change under you.

    curl -i http://127.0.0.1:8000/demos/pitfalls/redirect-default/wrong
    """
    return redirect(url_for("health.healthz"))


@bp.get("/redirect-default/right")
@documented(303, headers={303: {"Location": {"schema": {"type": "string"}}}})
def redirect_default_right() -> BaseResponse:
    """303 See Other — redirect() with the code written down, so no default can change it.

    curl -i http://127.0.0.1:8000/demos/pitfalls/redirect-default/right
    """
    return redirect(url_for("health.healthz"), code=HTTPStatus.SEE_OTHER)


@bp.get("/reason-case/wrong")
@documented((404, HTML))
def reason_case_wrong() -> tuple[str, HTTPStatus]:
    """Deliberate pitfall: 404 with Werkzeug's reason phrase, which clients must not compare.

    Werkzeug 3.1 sends "404 NOT FOUND" and is changing to "404 Not Found"; a client or test that
    compares the phrase breaks on upgrade. Compare the number.

    curl -i http://127.0.0.1:8000/demos/pitfalls/reason-case/wrong
    """
    return "Not here", HTTPStatus.NOT_FOUND


@bp.get("/reason-case/right")
@documented((404, HTML))
def reason_case_right() -> Response:
    """404 Not Found with the phrase set explicitly — only if a phrase really matters to you.

    response.status = "404 Not Found" goes out exactly as written, whatever Werkzeug's table says.

    curl -i http://127.0.0.1:8000/demos/pitfalls/reason-case/right
    """
    response = make_response("Not here")
    response.status = "404 Not Found"
    return response


@bp.get("/cookies/wrong")
@documented((200, HTML))
def cookies_wrong() -> tuple[str, int, dict[str, str]]:
    """Deliberate pitfall: 200 with ONE cookie — two Set-Cookie entries in a tuple's headers dict.

    A dict holds one value per key, so the first Set-Cookie is silently dropped before Flask sees it.

    curl -i http://127.0.0.1:8000/demos/pitfalls/cookies/wrong
    """
    return "Two cookies?", 200, {"Set-Cookie": "theme=dark; Path=/", "Set-Cookie": "lang=en; Path=/"}  # noqa: F601


COOKIE_PAIRS = [("Set-Cookie", "theme=dark; Path=/"), ("Set-Cookie", "lang=en; Path=/")]


@bp.get("/cookies/wrong-list-json")
@documented((200, JSON))
def cookies_wrong_list_json() -> tuple[dict[str, str], int, list[tuple[str, str]]]:
    """Deliberate pitfall: 200 with ONE cookie — a list of Set-Cookie pairs with a dict (JSON) body.

    For a JSON body Flask applies the headers with Headers.update(), which sets each pair in turn,
    so the second Set-Cookie replaces the first.

    curl -i http://127.0.0.1:8000/demos/pitfalls/cookies/wrong-list-json
    """
    return {"cookies": "two?"}, 200, COOKIE_PAIRS


@bp.get("/cookies/list-str")
@documented((200, HTML))
def cookies_list_str() -> tuple[str, int, list[tuple[str, str]]]:
    """200 with two cookies — the same list of pairs works with a str body, by accident of the body type.

    For a str body Flask passes the headers to the Response constructor, which adds every pair; the
    identical headers on a JSON body lose one (see /cookies/wrong-list-json). Prefer set_cookie().

    curl -i http://127.0.0.1:8000/demos/pitfalls/cookies/list-str
    """
    return "Two cookies", 200, COOKIE_PAIRS


@bp.get("/cookies/right")
@documented((200, HTML))
def cookies_right() -> Response:
    """200 with two cookies — make_response(), then set_cookie() once per cookie.

    curl -i http://127.0.0.1:8000/demos/pitfalls/cookies/right
    """
    response = make_response("Two cookies")
    response.set_cookie("theme", "dark")
    response.set_cookie("lang", "en")
    return response
