"""/demos/redirects: redirect() with an explicit code, its default, an echoing target, a safe redirect-to."""

from http import HTTPStatus

from flask import Blueprint, abort, redirect, request, url_for
from werkzeug.wrappers import Response

from service.contract.reply import Reply, documented, header
from service.pipeline.media import HTML, JSON, PROBLEM_JSON

bp = Blueprint("redirects", __name__, url_prefix="/demos/redirects")

# Every redirect() answer carries Location and a small HTML page with a link, for clients that do not follow.
LOCATION = header("Location", "where to go next")
# Codes that send the client to one other URL. 300 (a choice, Location optional), 304 (not a
# redirect at all), 305 and 306 (deprecated, unused) are refused.
REDIRECT_CODES = (301, 302, 303, 307, 308)
MAX_URL_LENGTH = 2048
TARGET_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
TO_PARAMETERS = (
    {
        "name": "url",
        "in": "query",
        "required": True,
        "description": "a path on this service: one leading '/', no scheme, host or backslash",
        "schema": {"type": "string", "maxLength": MAX_URL_LENGTH},
    },
    {
        "name": "code",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "enum": list(REDIRECT_CODES), "default": 302},
    },
)


def _target() -> str:
    return url_for(".target")


@bp.route("/301", methods=["GET", "POST"])
@documented(Reply(301, HTML, headers=[LOCATION]), methods=("GET", "POST"))
def moved_permanently() -> Response:
    """301 Moved Permanently to /demos/redirects/target: redirect(url, 301).

    httpx (as browsers do) follows a 301 after a POST with a GET and drops the body.

    curl -i http://127.0.0.1:8000/demos/redirects/301
    """
    return redirect(_target(), 301)


@bp.route("/302", methods=["GET", "POST"])
@documented(Reply(302, HTML, headers=[LOCATION]), methods=("GET", "POST"))
def found() -> Response:
    """302 Found to /demos/redirects/target: redirect(url, 302), written out.

    Flask's default code for redirect() is changing from 302 to 303, so always pass it. httpx (as
    browsers do) follows a 302 after a POST with a GET and drops the body.

    curl -i http://127.0.0.1:8000/demos/redirects/302
    """
    return redirect(_target(), 302)


@bp.route("/303", methods=["GET", "POST"])
@documented(Reply(303, HTML, headers=[LOCATION]), methods=("GET", "POST"))
def see_other() -> Response:
    """303 See Other to /demos/redirects/target: the client follows with a GET, and no body.

    The answer to a form POST (Post/Redirect/Get).

    curl -i -X POST http://127.0.0.1:8000/demos/redirects/303
    """
    return redirect(_target(), 303)


@bp.route("/307", methods=["GET", "POST"])
@documented(Reply(307, HTML, headers=[LOCATION]), methods=("GET", "POST"))
def temporary_redirect() -> Response:
    """307 Temporary Redirect to /demos/redirects/target: the client repeats the method and body.

    curl -i -X POST -d hello http://127.0.0.1:8000/demos/redirects/307
    """
    return redirect(_target(), 307)


@bp.route("/308", methods=["GET", "POST"])
@documented(Reply(308, HTML, headers=[LOCATION]), methods=("GET", "POST"))
def permanent_redirect() -> Response:
    """308 Permanent Redirect to /demos/redirects/target: the client repeats the method and body.

    curl -i -X POST -d hello http://127.0.0.1:8000/demos/redirects/308
    """
    return redirect(_target(), 308)


@bp.get("/default")
@documented(Reply(302, HTML, headers=[LOCATION]))
def default() -> Response:
    """302 Found today — redirect(url) with no code relies on Flask's default, which is changing to 303.

    The status of this endpoint will change under you when Flask's default does: write the code down
    (every other route here does).

    curl -i http://127.0.0.1:8000/demos/redirects/default
    """
    return redirect(_target())


@bp.route("/target", methods=TARGET_METHODS)
@documented(Reply(200, JSON), methods=TARGET_METHODS)
def target() -> dict[str, str]:
    """200 OK: echoes the method and the body (as text) it was reached with, as JSON.

    curl -i -X PUT -d hello http://127.0.0.1:8000/demos/redirects/target
    """
    return {"method": request.method, "body": request.get_data(as_text=True)}


def safe_local_path(url: str) -> str:
    """The url if it is a path on this service; abort(400) for anything a browser could read as elsewhere.

    A browser treats "\\" as "/" and drops tabs and newlines, so "/\\host" and "/<TAB>/host" mean
    "//host": another site. Only printable ASCII without spaces or backslashes is accepted.
    """
    if not url:
        abort(HTTPStatus.BAD_REQUEST, "The url parameter is required: a path here, such as /healthz.")
    if len(url) > MAX_URL_LENGTH:
        abort(HTTPStatus.BAD_REQUEST, f"The url is longer than {MAX_URL_LENGTH} characters.")
    if not all("!" <= char <= "~" for char in url) or "\\" in url:
        abort(
            HTTPStatus.BAD_REQUEST,
            "The url may hold only printable ASCII: no spaces, control characters or backslashes.",
        )
    if not url.startswith("/") or url.startswith("//"):
        abort(
            HTTPStatus.BAD_REQUEST,
            "The url must be a path on this service: one leading '/', no scheme, no host.",
        )
    return url


def redirect_code(raw: str | None) -> int:
    """The code parameter as one of REDIRECT_CODES (302 when absent); abort(400) otherwise."""
    if raw is None:
        return 302
    if raw.isascii() and raw.isdigit() and int(raw) in REDIRECT_CODES:
        return int(raw)
    allowed = ", ".join(map(str, REDIRECT_CODES))
    abort(HTTPStatus.BAD_REQUEST, f"The code must be one of {allowed}.")


@bp.route("/to", methods=["GET", "POST"])
@documented(
    *(Reply(code, HTML, headers=[LOCATION]) for code in REDIRECT_CODES),
    Reply(400, PROBLEM_JSON),
    parameters=TO_PARAMETERS,
    methods=("GET", "POST"),
)
def to() -> Response:
    """3xx to a path on this service; 400 for anything else — never an open redirect.

    code is one of 301, 302, 303, 307, 308 (default 302). A url with a scheme, a host ("//host",
    "/\\host"), control characters, or an empty url is refused with 400 problem+json.

    curl -i "http://127.0.0.1:8000/demos/redirects/to?url=/healthz&code=307"
    """
    code = redirect_code(request.args.get("code"))
    return redirect(safe_local_path(request.args.get("url", "")), code)
