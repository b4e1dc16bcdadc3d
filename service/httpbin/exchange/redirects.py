r"""Redirects: chains of n hops ending on /get, in each form a Location takes, and /redirect-to, never open.

/redirect/<n> (its status, form, loop and absolute options) lives beside it, in redirect_chain.py.
/relative-redirect/<n> writes each Location as a path, /absolute-redirect/<n> with the scheme and the
Host the client sent (never a forwarded or configured one; a Host that is no plain host[:port] is a
400). A chain ends on /get for GET and HEAD, as httpbin's, and on /anything for any other method.
Every hop is a 302 with `Cache-Control: no-store`.

/redirect-to?url=&status_code= sends a client to a reference without a scheme (/get, or get as httpbin's
clients write it: both resolve on this origin), or to an http(s) URL on this origin (the Host it sent)
or on a host REDIRECT_ALLOWED_HOSTS lists; any other host is 403, and a reference a browser could read
as another host (//host, /\host, a tab or newline inside, another scheme) is 400: never an open
redirect. status_code is 300, 301, 302 (the default), 303, 307 or 308: the codes RFC 9110 defines as
redirects with a Location (httpbin also sends 304, 305, 306 and unassigned 3xx codes with one).
"""

import re
from http import HTTPStatus

from flask import Response, current_app, request
from werkzeug.exceptions import Forbidden

from service.contract.reply import Reply, documented, header
from service.httpbin.exchange.redirect_chain import HOST
from service.httpbin.params import BadParameter, OneOf, Whole, query
from service.pipeline.media import PROBLEM_JSON, TEXT

# Above the 30 hops a client follows by default (requests, httpx), so its limit can be hit (/redirect/<n>
# stays at 20: its options send each hop's query along).
HOPS = Whole("n", 1, 100, "redirects before /get", where="path")
CODES = ("300", "301", "302", "303", "307", "308")
STATUS_CODE = OneOf("status_code", CODES, "the redirect's status (default 302)")
MAX_URL = 2048
URL_EXPECTED = (
    f"a reference here (/get, get) or an http(s) URL, at most {MAX_URL} printable ASCII characters "
    "without spaces or backslashes"
)
URL_DOC = {
    "name": "url",
    "in": "query",
    "required": True,
    "description": f"where to send the client: {URL_EXPECTED}, on this origin or an allowed host",
    "schema": {"type": "string", "maxLength": MAX_URL},
}
_ABSOLUTE = re.compile(r"(https?)://([^/?#]*)([/?#].*)?", re.IGNORECASE)
_NO_HOST = re.compile(r":[0-9]{0,5}")  # an authority with a port and no host
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # RFC 3986 §3.1
NO_STORE = header("Cache-Control", "no-store")
HOP = Reply(302, TEXT, [header("Location", "the next hop, or /get (other methods: /anything)"), NO_STORE])
BAD = Reply(400, PROBLEM_JSON)


def _redirect(location: str, code: int = 302) -> Response:
    status = HTTPStatus(code)
    response = Response(f"{code} {status.phrase}: see {location}\n", f"{code} {status.phrase}", mimetype=TEXT)
    response.headers.update({"Location": location, "Cache-Control": "no-store"})
    return response


def _next(kind: str, hops: int) -> str:
    """The next hop's path, or the chain's end: /get for GET and HEAD, /anything for another method."""
    if hops > 1:
        return f"/{kind}-redirect/{hops - 1}"
    return "/get" if request.method in ("GET", "HEAD") else "/anything"


def _host() -> str:
    """The Host the client sent (HTTP/2: :authority), if it is a plain host[:port]; 400 otherwise."""
    host = request.environ.get("HTTP_HOST", "")
    if not HOST.fullmatch(host):
        raise BadParameter("Host", "a plain host[:port] for an absolute Location")
    return str(host)


@documented(HOP, BAD, parameters=[HOPS.doc])
def relative_redirect(n: str) -> Response:
    """302 n times (1-100), each Location a path: /relative-redirect/<n-1>, then /get.

    curl -sL -D - -o /dev/null http://127.0.0.1:8000/relative-redirect/3
    """
    return _redirect(_next("relative", HOPS.parse(n)))


@documented(HOP, BAD, parameters=[HOPS.doc])
def absolute_redirect(n: str) -> Response:
    """302 n times (1-100), each Location absolute, on the Host the client sent, then /get.

    curl -sL -D - -o /dev/null http://127.0.0.1:8000/absolute-redirect/3
    """
    hops = HOPS.parse(n)
    return _redirect(f"{request.scheme}://{_host()}{_next('absolute', hops)}")


def _allowed(url: str) -> str:
    """The url if it stays on this origin or goes to an allowed host; 400 if malformed, 403 elsewhere."""
    if not url or len(url) > MAX_URL or "\\" in url or not all("!" <= char <= "~" for char in url):
        raise BadParameter("url", URL_EXPECTED)
    if not _SCHEME.match(url):
        # A reference without a scheme stays on this origin (RFC 3986 §5.2), unless it starts with "//"
        # (a network-path reference: another host); "\\" and controls, which browsers read as "/", are out.
        if url.startswith("//"):
            raise BadParameter("url", URL_EXPECTED)
        return url
    absolute = _ABSOLUTE.fullmatch(url)
    if absolute is not None and _NO_HOST.fullmatch(absolute[2]) and not absolute[3]:
        # http://:1 names no host at all (RFC 9110 §4.2.1 requires one): a client can only refuse it,
        # which is what a client's test of a bad Location wants to see (httpbin sends it too).
        return url
    if absolute is None or not HOST.fullmatch(absolute[2]):
        raise BadParameter("url", URL_EXPECTED)
    authority = absolute[2].lower()
    hostname = authority.rsplit(":", 1)[0] if not authority.endswith("]") else authority
    allowed = current_app.extensions["settings"].redirect_hosts
    if authority != request.environ.get("HTTP_HOST", "").lower() and hostname.strip("[]") not in allowed:
        listed = ", ".join(allowed) or "none"
        raise Forbidden(f"url may go to this origin or to a host REDIRECT_ALLOWED_HOSTS lists ({listed}).")
    return url


@documented(
    *(Reply(int(code), TEXT, [header("Location", "the url given"), NO_STORE]) for code in CODES),
    BAD,
    Reply(403, PROBLEM_JSON),
    parameters=[URL_DOC, STATUS_CODE.doc],
)
def redirect_to() -> Response:
    """A redirect to ?url= (a reference here, this origin or an allowed host), with ?status_code= (302).

    curl -si 'http://127.0.0.1:8000/redirect-to?url=/get&status_code=307'
    """
    code = int(STATUS_CODE.parse(query("status_code"), "302"))
    return _redirect(_allowed(query("url") or ""), code)
