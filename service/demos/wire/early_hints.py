"""/demos/early-hints: 103 Early Hints, the one 1xx a WSGI app can really send, and a server without it.

An app cannot return a 1xx as its answer (see /demos/pitfalls/final-1xx/wrong); it can ask the server to
send one before the answer. Gunicorn (25 and later) puts a callable in environ["wsgi.early_hints"]: each
call sends a `103 Early Hints` with the given headers, over HTTP/1.1 and over HTTP/2, and nothing to an
HTTP/1.0 client (1xx did not exist yet). The callable is not part of PEP 3333: other servers (Werkzeug's
development server, for one) have none, so a view looks it up and carries on without it.

Not every client reads a 103 as interim: CPython's http.client, and so requests, urllib3 and
urllib.request, takes it as the final answer (no body) and leaves the real 200 on the connection, where
the next request on it reads it (docs/clients.md measures each client). From Python call a 103 route
with httpx, or on a connection used for nothing else.
"""

import re
import time
from collections.abc import Callable
from http import HTTPStatus

from flask import Blueprint, Response, abort, request

from service.contract.reply import Reply, documented, header
from service.pipeline.media import PROBLEM_JSON, TEXT

# What the page would fetch first; the same hint as /demos/pitfalls/final-1xx/right. A browser starts
# the fetch on the 103 while the server is still working on the 200.
PRELOAD = "</healthz>; rel=preload; as=fetch"
# Documented on both routes' 200: the hint travels on the final response whether or not a 103 went first.
OK_WITH_LINK = Reply(200, TEXT, headers=[header("Link", "the preload hint, repeated on the final response")])

# The time the view works between the 103 and the 200, the time a 103 is sent to win. A client that
# takes the 103 as final has sent its next request by then, and reads this 200 as the answer to it.
# Seconds written plainly, 0 to 2 with up to 3 decimals: a demo's wait, well below any timeout.
MAX_WORK = 2
WORK = r"(?:[01](?:\.[0-9]{1,3})?|2(?:\.0{1,3})?)"
WORK_PARAMETER = {
    "name": "delay",
    "in": "query",
    "description": f"seconds between the 103 and the 200, 0 to {MAX_WORK} (e.g. 0.5)",
    "schema": {"type": "string", "pattern": f"^{WORK}$"},
}

bp = Blueprint("early_hints", __name__, url_prefix="/demos/early-hints")

EarlyHints = Callable[[list[tuple[str, str]]], None]


def send_early_hints(links: list[str]) -> bool:
    """Send a 103 with these Link values if the server offers wsgi.early_hints; say whether it did."""
    send: EarlyHints | None = request.environ.get("wsgi.early_hints")
    if send is None:
        return False
    send([("Link", link) for link in links])
    return True


def final_answer(*, sent: bool) -> Response:
    """The 200 both views end with: the Link again, and a line saying whether a 103 went first."""
    body = (
        "103 Early Hints sent before this answer\n" if sent else "this server cannot send 103 Early Hints\n"
    )
    return Response(body, status=HTTPStatus.OK, mimetype=TEXT, headers={"Link": PRELOAD})


@bp.get("/preload")
@documented(OK_WITH_LINK, Reply(400, PROBLEM_JSON), parameters=[WORK_PARAMETER])
def preload() -> Response:
    """200 OK, after a 103 Early Hints with a Link preload: environ["wsgi.early_hints"] sends the 103.

    The final response repeats the Link: a 103 is a hint, and a client (or proxy) that skips 1xx
    still gets it. An HTTP/1.0 request gets the 200 alone. ?delay=0.5 works half a second between the
    103 and the 200. Python's requests, urllib3 and urllib take the 103 as the final answer and leave
    the 200 for their next request on the connection: call this with httpx, or a fresh connection.

    curl -i http://127.0.0.1:8000/demos/early-hints/preload
    """
    delay = request.args.get("delay", "0")
    if not re.fullmatch(WORK, delay):
        abort(400, f"delay must be a number of seconds from 0 to {MAX_WORK}, e.g. 0.5")
    sent = send_early_hints([PRELOAD])
    time.sleep(float(delay))
    return final_answer(sent=sent)


@bp.get("/absent")
@documented(OK_WITH_LINK)
def absent() -> Response:
    """200 OK and no 103: what a server without wsgi.early_hints sends — the view must not fail.

    This view removes the callable from its environ on purpose, to behave as on such a server
    (Werkzeug's development server, or any WSGI server older than the callable). The same lookup as
    /preload then finds nothing, sends no 103, and the final 200 still carries the Link.

    curl -i http://127.0.0.1:8000/demos/early-hints/absent
    """
    request.environ.pop("wsgi.early_hints", None)
    return final_answer(sent=send_early_hints([PRELOAD]))
