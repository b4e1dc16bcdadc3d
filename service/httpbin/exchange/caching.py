"""Caching: validators and freshness for a client's cache — 304, 412, Cache-Control — and chosen headers.

/cache and /etag/<etag> leave the decision to Werkzeug's conditional machinery (make_conditional: RFC
9110 §13.1 and §13.2), never to hand parsing: If-None-Match that matches, or an If-Modified-Since at or
after Last-Modified, gets 304; If-Match that does not match gets 412. /cache's validators are stable (a
weak ETag and a fixed Last-Modified: its body, the /get echo, varies only with the request), so a cache
that revalidates what it stored gets its 304; httpbin answers 304 to any If-None-Match, matching or not.

/response-headers sets each query parameter as a response header (at most 10), under the same rules as
/status's `?header=` (service/tester/status_input.py's parse_header): a token name, a printable value
of at most 256 characters, and never a header the server, the body's framing and type, or this
origin's safety owns (Content-Type, Content-Security-Policy, Access-Control-*...). Two of those it
lets through, as httpbin does, because here they cannot act as they would on /status: `Location`,
since this answer is always a 200 and no client follows a 200's Location (requests' suite sends one
to test a redirect hook), and `Set-Cookie` without a `Domain` attribute, so the cookie stays on this
host, where nothing reads a cookie but the echoes (requests' suite expires one this way).
Its body is JSON of the headers set, never HTML.
"""

import re

from flask import Response, json, request
from werkzeug.exceptions import PreconditionFailed
from werkzeug.http import parse_etags

from service.contract.reply import Reply, documented, header
from service.httpbin.exchange.echo import asked
from service.httpbin.params import BadParameter, Whole
from service.pipeline.media import JSON, PROBLEM_JSON
from service.tester.status_input import MAX_HEADERS, parse_header

CACHE_ETAG = "cache"
LAST_MODIFIED = "Thu, 01 Jan 2026 00:00:00 GMT"
# Names /response-headers takes that /status?header= refuses (the module's docstring says why).
ON_A_200 = frozenset({"location", "set-cookie"})
SECONDS = Whole("n", 0, 31_536_000, "seconds a cache may keep the answer", where="path")
MAX_ETAG = 128
# An entity-tag's characters (RFC 9110 §8.8.3, etagc), printable ASCII only.
_ETAG = re.compile(rf"[\x21\x23-\x7e]{{1,{MAX_ETAG}}}")
ETAG_EXPECTED = f"1 to {MAX_ETAG} printable ASCII characters but '\"'"
ETAG_DOC = {
    "name": "etag",
    "in": "path",
    "required": True,
    "description": f"the entity-tag, unquoted: {ETAG_EXPECTED}",
    "schema": {"type": "string", "pattern": f"^[!#-~]{{1,{MAX_ETAG}}}$"},
}
VALIDATORS = [header("ETag", "the entity-tag"), header("Last-Modified", "a fixed date")]
NOT_MODIFIED = Reply(304, None, [header("ETag", "the entity-tag")])


def _echo(status: int = 200) -> Response:
    return Response(json.dumps(asked()), status, mimetype=JSON)


@documented(Reply(200, JSON, VALIDATORS), NOT_MODIFIED)
def cache() -> Response:
    """The /get echo with an ETag and a Last-Modified; 304 when a conditional GET's validators match.

    curl -si -H 'If-None-Match: W/"cache"' http://127.0.0.1:8000/cache
    """
    response = _echo()
    response.set_etag(CACHE_ETAG, weak=True)
    response.headers["Last-Modified"] = LAST_MODIFIED
    response.make_conditional(request)
    return response


@documented(Reply(200, JSON, [header("Cache-Control", "public, max-age=<n>")]), Reply(400, PROBLEM_JSON))
def cache_for(n: str) -> Response:
    """The /get echo with Cache-Control: public, max-age=n (0 to a year).

    curl -si http://127.0.0.1:8000/cache/60
    """
    response = _echo()
    response.headers["Cache-Control"] = f"public, max-age={SECONDS.parse(n)}"
    return response


@documented(
    Reply(200, JSON, [header("ETag", "the entity-tag of the URL")]),
    NOT_MODIFIED,
    Reply(412, PROBLEM_JSON),
    Reply(400, PROBLEM_JSON),
    parameters=[ETAG_DOC],
)
def etag(etag: str) -> Response:
    """The /get echo with ETag: "<etag>"; 304 to a matching If-None-Match, 412 to an unmatched If-Match.

    curl -si -H 'If-None-Match: "abc"' http://127.0.0.1:8000/etag/abc
    """
    if not _ETAG.fullmatch(etag):
        raise BadParameter("etag", ETAG_EXPECTED)
    response = _echo()
    response.set_etag(etag)
    environ = request.environ
    if parse_etags(environ.get("HTTP_IF_MATCH")).star_tag:
        # "*" matches any current representation (RFC 9110 §13.1.1), but Werkzeug 3.1 compares it as a
        # tag and answers 412: the condition holds, so it is left out of Werkzeug's decision.
        environ = {key: value for key, value in environ.items() if key != "HTTP_IF_MATCH"}
    response.make_conditional(environ)
    if response.status_code == 412:  # Werkzeug's verdict, answered in the one problem+json shape
        raise PreconditionFailed("If-Match names no entity-tag this resource has.")
    return response


def _on_a_200(name: str, value: str) -> tuple[str, str]:
    """Location or Set-Cookie, checked as any header's value is, and a cookie for this host alone."""
    _, checked = parse_header(f"X-{name}: {value}")  # the value's rules, under a name it takes
    if name.lower() == "set-cookie" and any(
        part.partition("=")[0].strip().lower() == "domain" for part in checked.split(";")[1:]
    ):
        raise ValueError("a cookie set here has no Domain attribute: it stays on this host")
    return name, checked


@documented(
    Reply(200, JSON, [header("X-Any", "each query parameter, as a header")]), Reply(400, PROBLEM_JSON)
)
def response_headers() -> Response:
    """Each ?Name=value becomes a response header (at most 10, as /status?header=); the body lists them.

    curl -si 'http://127.0.0.1:8000/response-headers?X-Flavour=oat&Cache-Control=max-age=60'
    """
    pairs = list(request.args.items(multi=True))
    if len(pairs) > MAX_HEADERS:
        raise BadParameter("headers", f"at most {MAX_HEADERS} query parameters")
    headers: list[tuple[str, str]] = []
    for name, value in pairs:
        try:
            headers.append(
                _on_a_200(name, value) if name.lower() in ON_A_200 else parse_header(f"{name}: {value}")
            )
        except ValueError as error:
            raise BadParameter(name, f"a header a client may set: {error}") from None
    shown: dict[str, str | list[str]] = {"Content-Type": JSON}
    for name, value in headers:
        before = shown.get(name)
        shown[name] = value if before is None else [*([before] if isinstance(before, str) else before), value]
    response = Response(json.dumps(shown), mimetype=JSON)
    for name, value in headers:
        response.headers.add(name, value)
    return response
