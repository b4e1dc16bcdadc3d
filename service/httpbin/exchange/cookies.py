"""Cookies: what a client's jar sends, and 302s that set or delete cookies — the group made to set them.

Every cookie set here is `Path=/`, as httpbin's, so a client suite that sets a cookie and then follows
a redirect to /get sees it there (requests' own suite does). It stays on this host: no `Domain`, so a
link cannot plant it on the operator's sibling hosts, and nothing here reads a cookie but the echoes.
`HttpOnly` and `SameSite=Lax` too; no `Secure`, so it also works over cleartext. Names are RFC 6265
tokens (at most 64 characters), values cookie-octets (at most 1024), and one request sets or deletes
at most 20; anything else is a 400 naming the parameter.
"""

import re

from flask import Response, json, request

from service.contract.reply import Reply, documented, header
from service.httpbin.params import BadParameter
from service.pipeline.media import JSON, PROBLEM_JSON, TEXT
from service.rfc9110 import TOKEN

PATH = "/cookies"
ATTRIBUTES = "Path=/; HttpOnly; SameSite=Lax"
EXPIRED = "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"
MAX_COOKIES = 20
MAX_NAME = 64
MAX_VALUE = 1024
# RFC 6265 §4.1.1: printable ASCII but space, DQUOTE, comma, semicolon and backslash.
_OCTETS = r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*"
_VALUE = re.compile(rf'(?=.{{0,{MAX_VALUE}}}$)(?:{_OCTETS}|"{_OCTETS}")')  # bare, or in DQUOTEs
NAME_EXPECTED = f"an RFC 6265 token of 1 to {MAX_NAME} characters"
VALUE_EXPECTED = (
    f"at most {MAX_VALUE} cookie-octets (printable ASCII but space, '\"', ',', ';' and '\\\\'), "
    "bare or in double quotes"
)

TO_COOKIES = Reply(
    302,
    TEXT,
    [
        header("Location", "/cookies"),
        header("Set-Cookie", "each cookie, Path=/; HttpOnly; SameSite=Lax (a deletion: Max-Age=0)"),
    ],
)
BAD = Reply(400, PROBLEM_JSON)


def _checked(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if len(pairs) > MAX_COOKIES:
        raise BadParameter("cookies", f"at most {MAX_COOKIES} in one request")
    for name, value in pairs:
        if not (len(name) <= MAX_NAME and TOKEN.fullmatch(name)):
            raise BadParameter("name", NAME_EXPECTED)
        if not _VALUE.fullmatch(value):
            raise BadParameter(name, VALUE_EXPECTED)
    return pairs


def _to_cookies(cookies: list[tuple[str, str]], delete: bool = False) -> Response:
    response = Response(f"302 Found: see {PATH}\n", "302 Found", mimetype=TEXT)  # RFC 9110's phrase
    response.headers["Location"] = PATH
    # Written as RFC 6265 §4.1.1 has them: the names and values were checked above, and Werkzeug's
    # set_cookie would escape a value's own double quotes ("a" -> "\"a\""), which a client keeps.
    for name, value in cookies:
        if delete:
            response.headers.add("Set-Cookie", f"{name}=; {EXPIRED}; {ATTRIBUTES}")
        else:
            response.headers.add("Set-Cookie", f"{name}={value}; {ATTRIBUTES}")
    return response


@documented(Reply(200, JSON, [header("Cache-Control", "no-store")]))
def cookies() -> Response:
    """The cookies the request carried, as {"cookies": {name: value}}.

    curl -s -H 'Cookie: flavour=oat; size=large' http://127.0.0.1:8000/cookies
    """
    response = Response(json.dumps({"cookies": request.cookies.to_dict()}), mimetype=JSON)
    response.headers["Cache-Control"] = "no-store"
    return response


@documented(TO_COOKIES, BAD)
def set_cookies() -> Response:
    """302 to /cookies setting each ?name=value as a cookie (Path=/).

    curl -si 'http://127.0.0.1:8000/cookies/set?flavour=oat&size=large'
    """
    return _to_cookies(_checked(list(request.args.items())))


@documented(TO_COOKIES, BAD)
def set_cookie(name: str, value: str) -> Response:
    """302 to /cookies setting the cookie name=value (Path=/).

    curl -si http://127.0.0.1:8000/cookies/set/flavour/oat
    """
    return _to_cookies(_checked([(name, value)]))


@documented(TO_COOKIES, BAD)
def delete_cookies() -> Response:
    """302 to /cookies deleting each cookie named in the query (Max-Age=0, Path=/).

    curl -si 'http://127.0.0.1:8000/cookies/delete?flavour&size'
    """
    return _to_cookies(_checked([(name, "") for name in request.args]), delete=True)
