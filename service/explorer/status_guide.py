"""The explorer's way in by status: for each status, one line on when to use it and where it is defined.

The reason phrase comes from http.HTTPStatus; the sentence and the section are written here, from the
RFC each link points at (RFC 9110 for most; the few defined elsewhere link to their own RFC). Which
lesson cards answer a status is not written here: the explorer reads it from the OpenAPI document.
"""

from http import HTTPStatus

RFC = "https://www.rfc-editor.org/rfc/rfc{number}{fragment}"

# The five classes of RFC 9110 §15, by first digit.
CLASSES = {1: "Informational", 2: "Successful", 3: "Redirection", 4: "Client error", 5: "Server error"}
# code: (when to use it, (RFC number, section or "" for the whole RFC)).
GUIDE: dict[int, tuple[str, tuple[int, str]]] = {
    103: ("A hint sent before the final answer, e.g. Link headers to preload.", (8297, "")),
    200: ("The request worked; the body is the result.", (9110, "15.3.1")),
    201: ("Something was created; Location says where.", (9110, "15.3.2")),
    202: ("Accepted for later processing; point at a monitor to poll.", (9110, "15.3.3")),
    203: ("A 200 whose content a proxy transformed.", (9110, "15.3.4")),
    204: ("Done, and there is nothing to send back: no body at all.", (9110, "15.3.5")),
    205: ("Done; the client should reset the form or view it sent from.", (9110, "15.3.6")),
    206: ("The byte ranges the client asked for (Range), not the whole.", (9110, "15.3.7")),
    300: ("Several representations; the client picks one.", (9110, "15.4.1")),
    301: ("Moved for good; clients may turn a POST into a GET.", (9110, "15.4.2")),
    302: ("Found elsewhere for now; clients may turn a POST into a GET.", (9110, "15.4.3")),
    303: ("See other: after a POST, GET the result at Location.", (9110, "15.4.4")),
    304: ("Not modified: the client's cached copy is still good (ETag).", (9110, "15.4.5")),
    307: ("Elsewhere for now; repeat the same method and body there.", (9110, "15.4.8")),
    308: ("Moved for good; repeat the same method and body there.", (9110, "15.4.9")),
    400: ("The request is malformed: bad syntax, a body that does not parse.", (9110, "15.5.1")),
    401: ("Credentials missing or wrong; WWW-Authenticate says how to log in.", (9110, "15.5.2")),
    402: ("Reserved for payment; no standard use yet.", (9110, "15.5.3")),
    403: ("Understood and refused: who you are is known, and not enough.", (9110, "15.5.4")),
    404: ("No such resource (or you may not know it exists).", (9110, "15.5.5")),
    405: ("The resource exists but not for this method; Allow lists the ones it takes.", (9110, "15.5.6")),
    406: ("No representation matches the request's Accept.", (9110, "15.5.7")),
    407: ("A proxy wants credentials first.", (9110, "15.5.8")),
    408: ("The client took too long to send its request.", (9110, "15.5.9")),
    409: ("Conflicts with the resource's current state, e.g. it already exists.", (9110, "15.5.10")),
    410: ("Gone for good, on purpose.", (9110, "15.5.11")),
    411: ("A body was sent without Content-Length where one is required.", (9110, "15.5.12")),
    412: ("A precondition (If-Match, If-Unmodified-Since) failed.", (9110, "15.5.13")),
    413: ("The body is larger than the server takes.", (9110, "15.5.14")),
    414: ("The URL is longer than the server takes.", (9110, "15.5.15")),
    415: ("The body's Content-Type is not one the resource takes.", (9110, "15.5.16")),
    416: ("The Range asked for lies outside the resource.", (9110, "15.5.17")),
    417: ("An Expect header the server cannot meet.", (9110, "15.5.18")),
    418: ("An April Fools' teapot; unused in real APIs, beloved by test clients.", (9110, "15.5.19")),
    421: ("The request reached a server that cannot answer for that host.", (9110, "15.5.20")),
    422: ("Well-formed, but the values are invalid (name each field).", (9110, "15.5.21")),
    426: ("Switch protocols first (Upgrade says to which).", (9110, "15.5.22")),
    428: ("The server wants a conditional request (If-Match) to avoid lost updates.", (6585, "#section-3")),
    429: ("Too many requests; Retry-After says when to try again.", (6585, "#section-4")),
    431: ("The request's headers are too large.", (6585, "#section-5")),
    451: ("Refused for legal reasons.", (7725, "")),
    500: ("The server failed; the body must not reveal how.", (9110, "15.6.1")),
    501: ("The server does not support the method at all.", (9110, "15.6.2")),
    502: ("A gateway got an invalid answer from upstream.", (9110, "15.6.3")),
    503: ("Down or overloaded for now; Retry-After says when to come back.", (9110, "15.6.4")),
    504: ("A gateway gave up waiting for upstream.", (9110, "15.6.5")),
    505: ("The HTTP version is not supported.", (9110, "15.6.6")),
    511: ("Log in to the network first (a captive portal).", (6585, "#section-6")),
}


def phrase(code: int) -> str:
    """The status's reason phrase, or "" for a code HTTPStatus does not know."""
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return ""


def reference(code: int) -> tuple[str, str]:
    """The link to where the status is defined, and its label ("RFC 9110 §15.3.2")."""
    number, section = GUIDE[code][1]
    if number == 9110:
        return RFC.format(number=number, fragment=f"#section-{section}"), f"RFC 9110 §{section}"
    label = f"RFC {number}" + (f" §{section.removeprefix('#section-')}" if section else "")
    return RFC.format(number=number, fragment=section), label


def when(code: int) -> str:
    return GUIDE[code][0] if code in GUIDE else ""
