"""/demos/pitfalls: ways to get a status wrong that really send a wrong status or break the response.

Every /wrong endpoint here is a deliberate pitfall, paired with a /right one that does the same job
correctly: several answer 500 (or break the connection) on purpose, and that is the behaviour the
contract suite pins. The string-status pair ('404') is the tutorial's own /wrong and /right
(service/demos/mistakes/tutorial.py): it works, so it lives there, not here.
"""

from http import HTTPStatus

from flask import Blueprint, Response, abort, make_response, request
from werkzeug.exceptions import HTTPException

from service.contract.reply import Reply, documented, header
from service.pipeline.media import HTML, PROBLEM_JSON, TEXT

# Gunicorn writes this 500 page itself when the status line Werkzeug built is not "<3 digits> ...".
GUNICORN_500 = Reply(500, HTML)
# The app's own handler turns a failure inside Flask into the usual problem+json 500.
APP_500 = Reply(500, PROBLEM_JSON)
FOUND = {"name": "found", "in": "query", "description": "'no' for the 404", "schema": {"type": "string"}}
PRELOAD = "</healthz>; rel=preload; as=fetch"


class PaymentRequired(HTTPException):
    """402 Payment Required: Werkzeug defines no class for it, so the app does."""

    code = HTTPStatus.PAYMENT_REQUIRED
    description = "This demo content needs a subscription."


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
@documented(Reply(404, HTML))
def reason_only_right() -> tuple[str, HTTPStatus]:
    """404 Not Found — the status as an http.HTTPStatus member; Werkzeug adds the phrase.

    curl -i http://127.0.0.1:8000/demos/pitfalls/reason-only/right
    """
    return "Not here", HTTPStatus.NOT_FOUND


@bp.get("/float-status/wrong")  # type: ignore[type-var]  # mypy rejects a float status: Flask's types say no
@documented(APP_500)
def float_status_wrong() -> tuple[str, float]:
    """Deliberate pitfall: 500 as problem+json — a float status (404.0).

    Flask hands anything that is not an int to Werkzeug as a status *string*, and a float has no
    .strip() (AttributeError); the app's handler turns the failure into a 500.

    curl -i http://127.0.0.1:8000/demos/pitfalls/float-status/wrong
    """
    return "Not here", 404.0


@bp.get("/float-status/right")
@documented(Reply(404, HTML))
def float_status_right() -> tuple[str, int]:
    """404 Not Found — a computed status converted to int before it is returned.

    curl -i http://127.0.0.1:8000/demos/pitfalls/float-status/right
    """
    computed = 404.0  # e.g. read from a JSON document, where every number may be a float
    return "Not here", int(computed)


@bp.get("/bytes-status/wrong")  # type: ignore[type-var]  # mypy rejects a bytes status: Flask's types say no
@documented(APP_500)
def bytes_status_wrong() -> tuple[str, bytes]:
    """Deliberate pitfall: 500 as problem+json — a bytes status (b"404").

    Werkzeug parses the status as text; b"404".partition(" ") raises TypeError, and the app's
    handler turns the failure into a 500.

    curl -i http://127.0.0.1:8000/demos/pitfalls/bytes-status/wrong
    """
    return "Not here", b"404"


@bp.get("/bytes-status/right")
@documented(Reply(404, HTML))
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


@bp.get("/bool-status/right")
@documented(Reply(200, HTML), Reply(404, HTML), parameters=[FOUND])
def bool_status_right() -> tuple[str, HTTPStatus]:
    """200 OK or 404 Not Found — a condition mapped to a status explicitly.

    ?found=no answers 404; anything else (or nothing) answers 200.

    curl -i http://127.0.0.1:8000/demos/pitfalls/bool-status/right?found=no
    """
    found = request.args.get("found") != "no"
    return ("Found it", HTTPStatus.OK) if found else ("Not here", HTTPStatus.NOT_FOUND)


@bp.get("/four-tuple/wrong")  # type: ignore[type-var]  # mypy rejects a 4-item tuple: Flask's types say no
@documented(APP_500)
def four_tuple_wrong() -> tuple[str, int, dict[str, str], str]:
    """Deliberate pitfall: 500 as problem+json — a 4-item tuple (body, status, headers, mimetype).

    Flask accepts (body, status), (body, headers) and (body, status, headers) only; any other length
    is a TypeError at request time, and the app's handler turns it into a 500.

    curl -i http://127.0.0.1:8000/demos/pitfalls/four-tuple/wrong
    """
    return "plain text", 200, {"X-Demo": "four-tuple"}, "text/plain"


@bp.get("/four-tuple/right")
@documented(Reply(200, TEXT, headers=[header("X-Demo", "four-tuple")]))
def four_tuple_right() -> Response:
    """200 OK as text/plain — make_response(), then set what a tuple has no slot for.

    curl -i http://127.0.0.1:8000/demos/pitfalls/four-tuple/right
    """
    response = make_response("plain text", HTTPStatus.OK, {"X-Demo": "four-tuple"})
    response.mimetype = TEXT
    return response


@bp.get("/abort-402/wrong")
@documented(APP_500)
def abort_402_wrong() -> str:
    """Deliberate pitfall: 500 as problem+json — abort(402), a code Werkzeug has no exception for.

    abort() looks the code up in Werkzeug's table of HTTPException classes; 402 is not there, so it
    raises LookupError("no exception for 402"), not an HTTPException, and the app's handler answers 500.

    curl -i http://127.0.0.1:8000/demos/pitfalls/abort-402/wrong
    """
    abort(HTTPStatus.PAYMENT_REQUIRED)


@bp.get("/abort-402/right")
@documented(Reply(402, PROBLEM_JSON))
def abort_402_right() -> str:
    """402 Payment Required as problem+json — raise a custom HTTPException subclass.

    The app's HTTPException handler turns it into the same problem+json as any other error, with the
    class's description as "detail".

    curl -i http://127.0.0.1:8000/demos/pitfalls/abort-402/right
    """
    raise PaymentRequired()


@bp.get("/final-1xx/wrong")
@documented(Reply(103, None))
def final_1xx_wrong() -> tuple[str, HTTPStatus]:
    """Deliberate pitfall: 103 Early Hints as the final response — the client gets no response at all.

    A 1xx is interim: the client waits for a final status after it, and none comes. With
    "Connection: close" Gunicorn closes right after the 103; on a keep-alive connection it waits for
    the next request, so the client hangs until Gunicorn's keep-alive timeout closes it, and a
    pipelined request's answer would be read as this one's final response.

    curl -i --max-time 5 http://127.0.0.1:8000/demos/pitfalls/final-1xx/wrong
    """
    return "", HTTPStatus.EARLY_HINTS


@bp.get("/final-1xx/right")
@documented(Reply(200, HTML, headers=[header("Link", "the same preload link the 103 carried")]))
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
