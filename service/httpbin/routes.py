"""Every httpbin-compatible route, one line each — path, methods, view — grouped by what it tests.

The table a reader scans to find a URL's view (as go-httpbin's Handler()). Each group becomes one
blueprint (`BLUEPRINTS[group]`), and that blueprint one entry of service/catalogue.py's CLIENT_TESTING,
whose tag names the group in /openapi.json and the explorer; the group's module opening sentence
describes it. A view's own @documented(...) says what it answers. Adding a route: its view in the
group's module (exchange/ or content/), its line here, its rows in the group's contract test
(docs/development.md).
/status/<codes> keeps its own blueprint (service/tester/status.py): it answers from a replay cache
keyed on its prefix.
"""

from collections.abc import Callable
from types import ModuleType
from typing import Any

from flask import Blueprint

from service.httpbin.content import bodies, compression, documents, trailers, websocket
from service.httpbin.exchange import auth, caching, cookies, echo, redirect_chain, redirects

GET = ("GET",)
# Every method a client test sends; OPTIONS listed, so the view answers it rather than Flask.
ANY = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# Every method answered as GET is (go-httpbin's way), but OPTIONS, which Flask answers: 200 with Allow.
EVERY = ("GET", "POST", "PUT", "PATCH", "DELETE")
# A WebSocket handshake (a GET): Werkzeug routes a request carrying `Upgrade: websocket` only to a rule
# made with websocket=True, and any other request only to one without, so such a route gets both rules.
UPGRADE = ("GET",)
Route = tuple[str, tuple[str, ...], Callable[..., Any]]

TABLE: dict[str, tuple[ModuleType, tuple[Route, ...]]] = {
    "echo": (
        echo,
        (
            ("/get", GET, echo.get),
            ("/head", ("HEAD",), echo.head),
            ("/post", ("POST",), echo.post),
            ("/put", ("PUT",), echo.put),
            ("/patch", ("PATCH",), echo.patch),
            ("/delete", ("DELETE",), echo.delete),
            ("/anything", ANY, echo.anything),
            ("/anything/<path:rest>", ANY, echo.anything),
            ("/headers", EVERY, echo.headers),
            ("/ip", EVERY, echo.ip),
            ("/user-agent", EVERY, echo.user_agent),
            ("/uuid", EVERY, echo.uuid),
            ("/hostname", EVERY, echo.hostname),
            ("/dump/request", ANY, echo.dump_request),
            ("/env", EVERY, echo.env),
            ("/version", EVERY, echo.version),
        ),
    ),
    "auth": (
        auth,
        (
            ("/basic-auth/<user>/<passwd>", EVERY, auth.basic_auth),
            ("/hidden-basic-auth/<user>/<passwd>", EVERY, auth.hidden_basic_auth),
            ("/bearer", EVERY, auth.bearer),
            ("/digest-auth/<qop>/<user>/<passwd>", EVERY, auth.digest_auth),
            ("/digest-auth/<qop>/<user>/<passwd>/<algorithm>", EVERY, auth.digest_auth),
            ("/digest-auth/<qop>/<user>/<passwd>/<algorithm>/<stale_after>", EVERY, auth.digest_auth),
        ),
    ),
    "cookies": (
        cookies,
        (
            ("/cookies", EVERY, cookies.cookies),
            ("/cookies/set", EVERY, cookies.set_cookies),
            ("/cookies/set/<name>/<value>", EVERY, cookies.set_cookie),
            ("/cookies/delete", EVERY, cookies.delete_cookies),
        ),
    ),
    "redirects": (
        redirects,
        (
            ("/redirect/<n>", ANY, redirect_chain.redirect_chain),
            ("/relative-redirect/<n>", EVERY, redirects.relative_redirect),
            ("/absolute-redirect/<n>", EVERY, redirects.absolute_redirect),
            ("/redirect-to", EVERY, redirects.redirect_to),
        ),
    ),
    "caching": (
        caching,
        (
            ("/cache", GET, caching.cache),
            ("/cache/<n>", GET, caching.cache_for),
            ("/etag/<etag>", GET, caching.etag),
            ("/response-headers", EVERY, caching.response_headers),
        ),
    ),
    "bodies": (
        bodies,
        (
            ("/bytes/<n>", EVERY, bodies.bytes_),
            ("/stream-bytes/<n>", EVERY, bodies.stream_bytes),
            ("/stream/<n>", EVERY, bodies.stream),
            # GET only: RFC 9110 gives Range (§14.2) and a 304 (§15.4.5) to GET and HEAD alone.
            ("/range/<n>", GET, bodies.range_),
            ("/drip", EVERY, bodies.drip),
            ("/delay/<n>", ANY, bodies.delay),
            ("/links/<n>", EVERY, bodies.links_start),
            ("/links/<n>/<offset>", EVERY, bodies.links),
            ("/sse", EVERY, bodies.sse),
            ("/unstable", EVERY, bodies.unstable),
            ("/trailers", EVERY, trailers.trailers),
            ("/html", EVERY, documents.html),
            ("/json", EVERY, documents.json_),
            ("/jsonl", EVERY, documents.jsonl),
            ("/xml", EVERY, documents.xml),
            ("/robots.txt", EVERY, documents.robots_txt),
            ("/deny", EVERY, documents.deny),
            ("/encoding/utf8", GET, documents.encoding_utf8),
            ("/image", EVERY, documents.image),
            ("/image/<kind>", EVERY, documents.image_kind),
            ("/base64/<value>", EVERY, documents.base64_decode),
            ("/base64/<operation>/<value>", EVERY, documents.base64_operation),
            ("/forms/post", GET, documents.forms_post),
            ("/upload", GET, documents.upload_form),
            ("/upload", ("POST", "PUT", "PATCH"), documents.upload),
        ),
    ),
    "compression": (
        compression,
        (
            ("/gzip", EVERY, compression.gzip),
            ("/deflate", EVERY, compression.deflate),
            ("/brotli", EVERY, compression.brotli),
            ("/zstd", EVERY, compression.zstd),
        ),
    ),
    "websocket": (
        websocket,
        (
            ("/websocket/echo", UPGRADE, websocket.echo),
            ("/websocket/close/<code>", UPGRADE, websocket.close),
        ),
    ),
}


def _blueprint(group: str, module: ModuleType, routes: tuple[Route, ...]) -> Blueprint:
    made = Blueprint(f"clients_{group}", module.__name__)
    for rule, methods, view in routes:
        made.add_url_rule(rule, view.__name__, view, methods=list(methods))
        if methods is UPGRADE:
            made.add_url_rule(rule, f"{view.__name__}_upgrade", view, methods=list(methods), websocket=True)
    return made


BLUEPRINTS = {group: _blueprint(group, module, routes) for group, (module, routes) in TABLE.items()}
