"""/redirect/<n>: a chain of n redirects (1-20) ending on /get as httpbin's does, or a loop.

A request with another method than GET or HEAD ends on /anything instead, which echoes any method.

`?status=` picks the code of every hop (301, 302, 303, 307 or 308; 302 by default), `?form=` how each
Location is written: `path` (an absolute path, the default), `relative` (a relative reference, resolved
against the hop's own URL: RFC 9110 §10.2.2 allows it) or `absolute` (scheme and host: the origin the
client addressed, from its own Host header or :authority, never a forwarded or configured one). A Host
that is no plain host[:port] gets 400 there, so the header can only send a client to where it already
is, never inject a path or another origin (`?absolute=true` is httpbin's spelling of it). `?loop=1` points
every hop at itself, for max-redirect tests.

Every hop is `Cache-Control: no-store` (a browser would otherwise keep a 301 or 308 and skip the chain on
the next run), carries Requested-Status like /status, and a short text body.
"""

import re
from http import HTTPStatus
from typing import Any

from flask import Response, abort, request

from service.contract.reply import Reply, documented, header
from service.httpbin.exchange.echo import BODY
from service.pipeline.cors import preflight_if
from service.pipeline.media import PROBLEM_JSON, TEXT

MAX_HOPS = 20
STATUSES = (301, 302, 303, 307, 308)
FORMS = ("path", "relative", "absolute")
HOPS = r"[1-9]|1[0-9]|20"
_HOPS = re.compile(HOPS)
# A Host the absolute form may echo: a name or IPv4 address, or an IPv6 literal, and a port.
HOST = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?"
)
OPTIONS = ("status", "form", "loop", "absolute")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "n",
        "in": "path",
        "required": True,
        "description": f"the redirects left before /get, 1 to {MAX_HOPS}",
        "schema": {"type": "string", "pattern": f"^(?:{HOPS})$"},
    },
    {
        "name": "status",
        "in": "query",
        "description": "the code of every hop (default 302)",
        "schema": {"type": "string", "enum": [str(code) for code in STATUSES]},
    },
    {
        "name": "form",
        "in": "query",
        "description": "path (/redirect/2, the default), relative (2, ../get) or absolute "
        "(http://host/redirect/2: the origin the client addressed)",
        "schema": {"type": "string", "enum": list(FORMS)},
    },
    {
        "name": "absolute",
        "in": "query",
        "description": "true: httpbin's spelling of form=absolute (not beside form)",
        "schema": {"type": "string", "enum": ["true", "false"]},
    },
    {
        "name": "loop",
        "in": "query",
        "description": "1: every hop points at itself (a redirect loop); 0: a chain (the default)",
        "schema": {"type": "string", "enum": ["0", "1"]},
    },
]


# Every hop: where next, never cached, marked as asked for (as /status's answers are).
HOP = Reply(
    "3XX",
    TEXT,
    [
        header("Location", "the next hop; after the last, /get (GET, HEAD) or /anything (other methods)"),
        header("Cache-Control", "no-store"),
        header("Requested-Status", "the code asked for (?status=)"),
    ],
)


def _options(n: str) -> tuple[int, int, str, bool]:
    """(hops, status, form, loop) from the URL; ValueError naming the parameter and its bounds."""
    args = request.args
    unknown = sorted(set(args) - set(OPTIONS))
    if unknown:
        raise ValueError(
            f"unknown query parameter {unknown[0]!r}: the options are status, form, loop, absolute"
        )
    if any(len(args.getlist(name)) > 1 for name in OPTIONS):
        raise ValueError("status, form, loop and absolute may each be given once")
    if not _HOPS.fullmatch(n):
        raise ValueError(f"n must be a whole number of redirects from 1 to {MAX_HOPS}")
    status = args.get("status", "302")
    if status not in {str(code) for code in STATUSES}:
        raise ValueError(f"status must be one of {', '.join(map(str, STATUSES))}")
    form = args.get("form", "path")
    if form not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}")
    absolute = args.get("absolute", "false").lower()  # httpbin's spelling of form=absolute
    if absolute not in ("true", "false") or (absolute == "true" and "form" in args):
        raise ValueError("absolute must be true or false (httpbin's form=absolute), and not beside form")
    form = "absolute" if absolute == "true" else form
    loop = args.get("loop", "0")
    if loop not in ("0", "1"):
        raise ValueError("loop must be 0 (a chain) or 1 (every hop points at itself)")
    return int(n), int(status), form, loop == "1"


def _location(hops: int, form: str, loop: bool) -> str:
    """Where this hop points, written in the form asked for; the query (status, form, loop) rides along."""
    query = request.query_string.decode("ascii", "replace")
    suffix = f"?{query}" if query else ""
    if loop:
        path, relative = f"/redirect/{hops}", f"{hops}"
    elif hops > 1:
        path, relative = f"/redirect/{hops - 1}", f"{hops - 1}"
    else:
        # httpbin's chains are GET only and end on /get; another method ends on /anything, which echoes
        # any method, so a tester sees whether a 307 kept the POST and its body.
        end = "get" if request.method in ("GET", "HEAD") else "anything"
        path, relative, suffix = f"/{end}", f"../{end}", ""
    if form == "relative":
        return relative + suffix
    if form == "absolute":
        host = request.environ.get("HTTP_HOST", "")  # Host, or HTTP/2's :authority; never a fallback
        if not HOST.fullmatch(host):
            raise ValueError("form=absolute needs a Host header of the form host[:port]")
        return f"{request.scheme}://{host}{path}{suffix}"
    return path + suffix


def _acceptable(n: str) -> bool:
    """False where the view answers 400 (bad n or options): a preflight there gets that 400 too."""
    try:
        _options(n)
    except ValueError:
        return False
    return True


@documented(HOP, Reply(400, PROBLEM_JSON), parameters=PARAMETERS, methods=METHODS, request_body=BODY)
@preflight_if(_acceptable)
def redirect_chain(n: str) -> Response:
    """n redirects (1-20) ending on /get (other methods: /anything); ?status=, ?form=, ?loop=1.

    curl -sL -D - -o /dev/null 'http://127.0.0.1:8000/redirect/3?status=307'
    """
    try:
        hops, status, form, loop = _options(n)
        location = _location(hops, form, loop)
    except ValueError as exc:
        abort(HTTPStatus.BAD_REQUEST, str(exc))
    phrase = HTTPStatus(status).phrase
    # RFC 9110's reason phrase, as /status sends it (Werkzeug's own is upper case).
    response = Response(f"{status} {phrase}: see {location}\n", status=f"{status} {phrase}", mimetype=TEXT)
    response.headers.update(
        {"Location": location, "Cache-Control": "no-store", "Requested-Status": str(status)}
    )
    return response
