"""Auth: Basic, hidden Basic, Bearer and Digest (RFC 7617, RFC 6750, RFC 7616), every 401 with its challenge.

The user and password are in the URL, as httpbin's; the right credentials get 200 and
`{"authenticated": true, "user": ...}`, anything else 401 with `WWW-Authenticate` (RFC 9110 §11.6.1)
and the problem+json body, or 404 for /hidden-basic-auth, which never admits it exists. Every method
answers as GET does (go-httpbin's way; httpbin's routes take GET only).

Digest: qop `auth` or `auth-int` (the body's hash counted in, RFC 7616 §3.4.3), algorithm MD5, SHA-256
or SHA-512. A nonce is `<issued>.<random>.<mac>`, checked without any state: its MAC, its age (stale
after NONCE_SECONDS) and the client's nonce count `nc` (stale past `stale_after` uses, httpbin's
option; `never` by default). A stale nonce with the right response gets 401 with `stale=TRUE`, so a
client retries with the new nonce without asking its user again (RFC 7616 §3.3). The MAC is keyed by a
constant of this code, not a secret, by design: a secret would guard only that this service minted the
nonce, which protects nothing when the password is in the URL, while a secret made per start or per
replica would make a restarted worker or another replica refuse a nonce, and clients such as requests
never retry that. So any worker of any replica checks any nonce, with no shared store.
"""

import hashlib
import hmac
import secrets
import time
from typing import Any, cast

from flask import Response, json, request
from werkzeug.exceptions import NotFound, Unauthorized

from service.contract.reply import Reply, documented, header
from service.httpbin.exchange.echo import read_body
from service.httpbin.params import OneOf, Whole
from service.pipeline.media import JSON, PROBLEM_JSON

REALM = "flask-status-codes"
# httpbin's digest answers set this cookie, and client suites check their cookie jar keeps it (requests'
# test_DIGEST_AUTH_SETS_SESSION_COOKIES); scoped to /digest-auth, it reaches no other route.
FAKE_COOKIE = "fake=fake_value; Path=/digest-auth; HttpOnly; SameSite=Lax"
BASIC = f'Basic realm="{REALM}", charset="UTF-8"'
NONCE_SECONDS = 300
_MAC_KEY = b"flask-status-codes digest nonce: a checksum, not a secret (see the module's docstring)"
_HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256, "SHA-512": hashlib.sha512}
QOP = OneOf("qop", ("auth", "auth-int"), "the quality of protection the challenge offers", where="path")
ALGORITHM = OneOf("algorithm", tuple(_HASHES), "the digest's hash (default MD5)", where="path")
STALE_AFTER = Whole("stale_after", 0, 1000, "uses of a nonce before it is stale, or never", where="path")
STALE_AFTER_DOC = {**STALE_AFTER.doc, "schema": {"oneOf": [STALE_AFTER.doc["schema"], {"enum": ["never"]}]}}

OK = Reply(200, JSON)
CHALLENGED = Reply(401, PROBLEM_JSON, [header("WWW-Authenticate", "the challenge: the scheme to answer")])
COOKIE = header("Set-Cookie", "fake=fake_value, Path=/digest-auth: httpbin's digest cookie")


def _authenticated(user: str) -> Response:
    return Response(json.dumps({"authenticated": True, "user": user}), mimetype=JSON)


class _Challenge(Unauthorized):
    """A 401 with its challenge, and the cookie httpbin's digest answers carry when asked to."""

    def __init__(self, detail: str, challenge: str, cookie: bool = False) -> None:
        # Werkzeug writes each challenge with str(); a string keeps RFC 7616's quoting exactly as written.
        super().__init__(detail, www_authenticate=cast(Any, [challenge]))
        self.cookie = cookie

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return super().get_headers(*args, **kwargs) + ([("Set-Cookie", FAKE_COOKIE)] if self.cookie else [])


def _basic_matches(user: str, passwd: str) -> bool:
    given = request.authorization
    return bool(
        given is not None
        and given.type == "basic"
        and _same(given.username or "", user)
        and _same(given.password or "", passwd)
    )


@documented(OK, CHALLENGED)
def basic_auth(user: str, passwd: str) -> Response:
    """200 to Basic credentials matching the URL's user and password; 401 with a Basic challenge otherwise.

    curl -s -u user:passwd http://127.0.0.1:8000/basic-auth/user/passwd
    """
    if not _basic_matches(user, passwd):
        raise _Challenge("Send Basic credentials: the user and password in this URL.", BASIC)
    return _authenticated(user)


@documented(OK, Reply(404, PROBLEM_JSON))
def hidden_basic_auth(user: str, passwd: str) -> Response:
    """200 to the right Basic credentials; 404 otherwise, with no challenge: it never admits it exists.

    curl -s -u user:passwd http://127.0.0.1:8000/hidden-basic-auth/user/passwd
    """
    if not _basic_matches(user, passwd):
        raise NotFound()
    return _authenticated(user)


@documented(Reply(200, JSON), CHALLENGED)
def bearer() -> Response:
    """200 with the token of `Authorization: Bearer <token>`; 401 with `WWW-Authenticate: Bearer` otherwise.

    curl -s -H 'Authorization: Bearer abc123' http://127.0.0.1:8000/bearer
    """
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Bearer" or not token or " " in token:
        raise _Challenge("Send Authorization: Bearer <token>.", "Bearer")
    return Response(json.dumps({"authenticated": True, "token": token}), mimetype=JSON)


_NEEDED = ("username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce")


def _same(given: str, expected: str) -> bool:
    """A constant-time comparison of any text (compare_digest refuses a str that is not ASCII)."""
    return hmac.compare_digest(given.encode(), expected.encode())


def _mac(issued: str, nonce_random: str) -> str:
    return hmac.new(_MAC_KEY, f"{issued}.{nonce_random}".encode(), hashlib.sha256).hexdigest()[:32]


def _nonce() -> str:
    issued, nonce_random = f"{int(time.time()):x}", secrets.token_hex(8)
    return f"{issued}.{nonce_random}.{_mac(issued, nonce_random)}"


def _fresh(nonce: str, count: str, stale_after: int | None) -> bool:
    """The nonce is one of ours, young enough, and not used more than stale_after times."""
    issued, _, rest = nonce.partition(".")
    nonce_random, _, mac = rest.partition(".")
    try:
        age = time.time() - int(issued, 16)
        uses = int(count, 16)
    except ValueError:
        return False
    young = 0 <= age <= NONCE_SECONDS and _same(mac, _mac(issued, nonce_random))
    return young and (stale_after is None or uses <= stale_after)


def _digest_challenge(qop: str, algorithm: str, stale: bool = False) -> str:
    return (
        f'Digest realm="{REALM}", qop="{qop}", algorithm={algorithm}, nonce="{_nonce()}", '
        f'opaque="{hashlib.sha256(REALM.encode()).hexdigest()[:32]}"' + (", stale=TRUE" if stale else "")
    )


def _digest_response(given: dict[str, str], passwd: str, qop: str, algorithm: str) -> str:
    """What a client that knows the password sends as `response` (RFC 7616 §3.4.1)."""

    def h(text: str | bytes) -> str:
        return _HASHES[algorithm](text if isinstance(text, bytes) else text.encode()).hexdigest()

    ha1 = h(f"{given['username']}:{REALM}:{passwd}")
    a2 = f"{request.method}:{given['uri']}" + (f":{h(read_body())}" if qop == "auth-int" else "")
    return h(f"{ha1}:{given['nonce']}:{given['nc']}:{given['cnonce']}:{qop}:{h(a2)}")


@documented(
    Reply(200, JSON, [COOKIE]), Reply(401, PROBLEM_JSON, [*CHALLENGED.headers, COOKIE]),
    Reply(400, PROBLEM_JSON), Reply(413, PROBLEM_JSON),
    parameters=[QOP.doc, ALGORITHM.doc, STALE_AFTER_DOC],
)  # fmt: skip
def digest_auth(
    qop: str, user: str, passwd: str, algorithm: str = "MD5", stale_after: str = "never"
) -> Response:
    """200 to Digest credentials for this user and password; 401 with a Digest challenge otherwise.

    qop is auth or auth-int; algorithm MD5 (the default), SHA-256 or SHA-512; stale_after a count of
    uses of one nonce (default never).

    curl -s --digest -u user:passwd http://127.0.0.1:8000/digest-auth/auth/user/passwd/SHA-256
    """
    qop, algorithm = QOP.parse(qop), ALGORITHM.parse(algorithm)
    limit = None if stale_after == "never" else STALE_AFTER.parse(stale_after)
    given = request.authorization
    params = {k: v or "" for k, v in given.parameters.items()} if given and given.type == "digest" else {}
    # The request-target as the client sent it (percent-escapes kept), which its `uri` must repeat.
    target = request.environ.get("RAW_URI") or request.full_path.rstrip("?")
    if not (
        all(name in params for name in _NEEDED)
        and (params["username"], params["realm"], params["uri"], params["qop"]) == (user, REALM, target, qop)
        and params.get("algorithm", "MD5").upper() == algorithm
        and _same(params["response"], _digest_response(params, passwd, qop, algorithm))
    ):
        detail = "Send Digest credentials for the user and password in this URL."
        raise _Challenge(detail, _digest_challenge(qop, algorithm), cookie=True)
    if not _fresh(params["nonce"], params["nc"], limit):
        raise _Challenge(
            "The nonce is stale: answer the new one.", _digest_challenge(qop, algorithm, True), True
        )
    response = _authenticated(user)
    response.headers["Set-Cookie"] = FAKE_COOKIE
    return response
