"""`make record-go-httpbin`: record go-httpbin's status for each request of a fixed plan.

Sends every request of PLAN (below) to a running go-httpbin and writes what it answered to
contract_tests/go_httpbin_routes.json, which contract_tests/test_go_httpbin_routes.py replays against
this service: go-httpbin's status is the contract, never ours. Run it again for a new go-httpbin release:

    make record-go-httpbin GO_HTTPBIN_URL=http://127.0.0.1:8080 GO_HTTPBIN_SOURCE=/path/to/go-httpbin

GO_HTTPBIN_URL is a go-httpbin started with `-use-full-version` (its /version names the release and the
commit it was built from, with `-ldflags "-X main.version=... -X main.commit=..."`) on a loopback address;
GO_HTTPBIN_SOURCE its source tree, whose route list (every `mux.HandleFunc` pattern in
httpbin/httpbin.go, go-httpbin's Handler()) is recorded too: the script stops if a route has no
request in PLAN, or a request names no route, so the plan follows the release. How go-httpbin was
built and started for the committed file: docs/status-target.md, "go-httpbin's routes, recorded".
"""

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from testkit.recorded import send

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "contract_tests" / "go_httpbin_routes.json"
BASIC = "Basic dXNlcjpwYXNzd2Q="  # user:passwd
WS = {  # a WebSocket opening handshake (RFC 6455 §4.1; the key is the RFC's own example)
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


def req(
    route: str, path: str, method: str = "GET", headers: dict[str, str] | None = None, body: str = ""
) -> dict[str, Any]:
    """One request of the plan: the go-httpbin route (its mux pattern) it exercises, and what is sent."""
    return {"route": route, "method": method, "path": path, "headers": headers or {}, "body": body}


# At least one request per route of go-httpbin's Handler(): the ordinary answer, and the other statuses
# the route is there to give (401, 404, 304, 412, 206, 416, 500, 3xx), a bad parameter (400), the wrong
# method on the routes go-httpbin registers for one method, and another method than GET on the routes
# go-httpbin answers whatever the method but httpbin 0.10 only to GET. Every request is self-contained.
PLAN: list[dict[str, Any]] = [
    # echo
    req("GET /{$}", "/"),
    req("GET /get", "/get?a=1&a=2"),
    req("GET /get", "/get", "POST"),
    req("GET /get", "/get", "HEAD"),
    req("GET /get", "/get", "OPTIONS"),
    req("HEAD /head", "/head", "HEAD"),
    req("HEAD /head", "/head"),
    req("POST /post", "/post", "POST", {"Content-Type": "application/json"}, '{"a": 1}'),
    req("POST /post", "/post", "POST", {"Content-Type": "application/x-www-form-urlencoded"}, "a=1&b=2"),
    req("POST /post", "/post"),
    req("PUT /put", "/put", "PUT", {"Content-Type": "text/plain"}, "hello"),
    req("PUT /put", "/put", "POST"),
    req("PATCH /patch", "/patch", "PATCH", {"Content-Type": "text/plain"}, "hello"),
    req("PATCH /patch", "/patch", "GET"),
    req("DELETE /delete", "/delete", "DELETE"),
    req("DELETE /delete", "/delete", "GET"),
    req("/anything", "/anything?x=1", "POST", {"Content-Type": "text/plain"}, "hello"),
    req("/anything", "/anything", "DELETE"),
    req("/anything", "/anything", "TRACE"),
    req("/anything/", "/anything/a/b", "PUT", {"Content-Type": "text/plain"}, "hello"),
    req("/headers", "/headers", "GET", {"X-Probe": "1"}),
    req("/headers", "/headers", "POST"),
    req("/ip", "/ip"),
    req("/ip", "/ip", "PUT"),
    req("/user-agent", "/user-agent"),
    req("/user-agent", "/user-agent", "DELETE"),
    req("/uuid", "/uuid"),
    req("/uuid", "/uuid", "POST"),
    req("/hostname", "/hostname"),
    req("/hostname", "/hostname", "PATCH"),
    req("/dump/request", "/dump/request?x=1", "POST", {"Content-Type": "text/plain"}, "hello"),
    req("/env", "/env"),
    req("/env", "/env", "POST"),
    req("/version", "/version"),
    req("/version", "/version", "PUT"),
    # auth
    req("/basic-auth/{user}/{password}", "/basic-auth/user/passwd", "GET", {"Authorization": BASIC}),
    req("/basic-auth/{user}/{password}", "/basic-auth/user/passwd"),
    req("/basic-auth/{user}/{password}", "/basic-auth/user/other", "GET", {"Authorization": BASIC}),
    req(
        "/hidden-basic-auth/{user}/{password}",
        "/hidden-basic-auth/user/passwd",
        "GET",
        {"Authorization": BASIC},
    ),
    req("/hidden-basic-auth/{user}/{password}", "/hidden-basic-auth/user/passwd"),
    req("/bearer", "/bearer", "GET", {"Authorization": "Bearer abc123"}),
    req("/bearer", "/bearer"),
    req("/digest-auth/{qop}/{user}/{password}", "/digest-auth/auth/user/passwd"),
    req("/digest-auth/{qop}/{user}/{password}", "/digest-auth/auth-int/user/passwd"),
    req("/digest-auth/{qop}/{user}/{password}", "/digest-auth/bogus/user/passwd"),
    req("/digest-auth/{qop}/{user}/{password}/{algorithm}", "/digest-auth/auth/user/passwd/SHA-256"),
    req("/digest-auth/{qop}/{user}/{password}/{algorithm}", "/digest-auth/auth/user/passwd/MD5"),
    req("/digest-auth/{qop}/{user}/{password}/{algorithm}", "/digest-auth/auth/user/passwd/SHA-512"),
    # cookies
    req("/cookies", "/cookies", "GET", {"Cookie": "a=1"}),
    req("/cookies/set", "/cookies/set?a=1&b=2"),
    req("/cookies/delete", "/cookies/delete?a", "GET", {"Cookie": "a=1"}),
    # redirects
    req("/redirect/{numRedirects}", "/redirect/3"),
    req("/redirect/{numRedirects}", "/redirect/1"),
    req("/redirect/{numRedirects}", "/redirect/2?absolute=true"),
    req("/redirect/{numRedirects}", "/redirect/0"),
    req("/redirect/{numRedirects}", "/redirect/x"),
    req("/relative-redirect/{numRedirects}", "/relative-redirect/2"),
    req("/relative-redirect/{numRedirects}", "/relative-redirect/0"),
    req("/absolute-redirect/{numRedirects}", "/absolute-redirect/2"),
    req("/absolute-redirect/{numRedirects}", "/absolute-redirect/x"),
    req("/redirect-to", "/redirect-to?url=/get"),
    req("/redirect-to", "/redirect-to?url=/get&status_code=307"),
    req("/redirect-to", "/redirect-to?url=/get&status_code=301", "POST"),
    req("/redirect-to", "/redirect-to?url=/get&status_code=304"),
    req("/redirect-to", "/redirect-to?url=/get&status_code=200"),
    req("/redirect-to", "/redirect-to?url=get"),
    req("/redirect-to", "/redirect-to?url=http://example.com/"),
    req("/redirect-to", "/redirect-to"),
    # caching
    req("/cache", "/cache"),
    req("/cache", "/cache", "GET", {"If-None-Match": '"abc"'}),
    req("/cache", "/cache", "GET", {"If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT"}),
    req("/cache", "/cache", "POST"),
    req("/cache/{numSeconds}", "/cache/60"),
    req("/cache/{numSeconds}", "/cache/x"),
    req("/cache/{numSeconds}", "/cache/60", "POST"),
    req("/etag/{etag}", "/etag/abc"),
    req("/etag/{etag}", "/etag/abc", "GET", {"If-None-Match": '"abc"'}),
    req("/etag/{etag}", "/etag/abc", "GET", {"If-None-Match": '"xyz"'}),
    req("/etag/{etag}", "/etag/abc", "GET", {"If-Match": '"abc"'}),
    req("/etag/{etag}", "/etag/abc", "GET", {"If-Match": '"xyz"'}),
    req("/etag/{etag}", "/etag/abc", "PUT"),
    req("/response-headers", "/response-headers?X-Test=1"),
    req("/response-headers", "/response-headers?X-Test=1", "POST"),
    req("/response-headers", "/response-headers?X-Test=1", "DELETE"),
    # bodies and streams
    req("/bytes/{numBytes}", "/bytes/16?seed=1"),
    req("/bytes/{numBytes}", "/bytes/0"),
    req("/bytes/{numBytes}", "/bytes/2000000"),
    req("/bytes/{numBytes}", "/bytes/x"),
    req("/stream-bytes/{numBytes}", "/stream-bytes/64?chunk_size=16&seed=1"),
    req("/stream-bytes/{numBytes}", "/stream-bytes/x"),
    req("/stream/{numLines}", "/stream/3"),
    req("/stream/{numLines}", "/stream/x"),
    req("/range/{numBytes}", "/range/26"),
    req("/range/{numBytes}", "/range/26", "GET", {"Range": "bytes=0-4"}),
    req("/range/{numBytes}", "/range/26", "GET", {"Range": "bytes=30-40"}),
    req("/range/{numBytes}", "/range/0"),
    req("/range/{numBytes}", "/range/26", "POST"),
    req("/drip", "/drip?duration=0&numbytes=5"),
    req("/drip", "/drip?duration=0&numbytes=5&code=503"),
    req("/drip", "/drip?duration=0&numbytes=5&code=204"),
    req("/drip", "/drip?numbytes=0"),
    req("/drip", "/drip?duration=20"),
    req("/delay/{duration}", "/delay/0"),
    req("/delay/{duration}", "/delay/0.1", "POST", {"Content-Type": "text/plain"}, "hello"),
    req("/delay/{duration}", "/delay/60"),
    req("/links/{numLinks}", "/links/3"),
    req("/links/{numLinks}", "/links/300"),
    req("/links/{numLinks}/{offset}", "/links/3/1"),
    req("/links/{numLinks}/{offset}", "/links/3/x"),
    req("/sse", "/sse?count=2&duration=0.1"),
    req("/sse", "/sse?count=0"),
    req("/unstable", "/unstable?failure_rate=0"),
    req("/unstable", "/unstable?failure_rate=1"),
    req("/unstable", "/unstable?failure_rate=2"),
    req("/trailers", "/trailers?X-Trace=1"),
    req("/trailers", "/trailers?Content-Length=1"),
    req("/html", "/html"),
    req("/json", "/json"),
    req("/jsonl", "/jsonl?count=3"),
    req("/jsonl", "/jsonl?count=x"),
    req("/xml", "/xml"),
    req("/robots.txt", "/robots.txt"),
    req("/deny", "/deny"),
    req("GET /encoding/utf8", "/encoding/utf8"),
    req("GET /encoding/utf8", "/encoding/utf8", "POST"),
    req("GET /forms/post", "/forms/post"),
    req("GET /forms/post", "/forms/post", "POST"),
    req("/image", "/image", "GET", {"Accept": "image/webp"}),
    req("/image", "/image", "GET", {"Accept": "image/*"}),
    req("/image", "/image", "GET", {"Accept": "*/*"}),
    req("/image", "/image", "GET", {"Accept": "text/plain"}),
    req("/image/{kind}", "/image/png"),
    req("/image/{kind}", "/image/svg"),
    req("/image/{kind}", "/image/bmp"),
    req("/base64/{data}", "/base64/aGVsbG8="),
    req("/base64/{data}", "/base64/%21%21"),
    req("/base64/{operation}/{data}", "/base64/encode/hello"),
    req("/base64/{operation}/{data}", "/base64/decode/aGVsbG8="),
    req("/base64/{operation}/{data}", "/base64/rot13/hello"),
    req("POST /upload", "/upload", "POST", {"Content-Type": "application/octet-stream"}, "hello"),
    req("PUT /upload", "/upload", "PUT", {"Content-Type": "application/octet-stream"}, "hello"),
    req("PATCH /upload", "/upload", "PATCH", {"Content-Type": "application/octet-stream"}, "hello"),
    req("POST /upload", "/upload", "DELETE"),
    req("/status/{code}", "/status/418"),
    req("/status/{code}", "/status/308"),
    req("/status/{code}", "/status/200,500:0"),
    req("/status/{code}", "/status/100"),
    req("/status/{code}", "/status/999"),
    req("/status/{code}", "/status/abc"),
    # compression
    req("/gzip", "/gzip"),
    req("/deflate", "/deflate"),
    req("/brotli", "/brotli"),
    # WebSocket
    req("GET /websocket/echo", "/websocket/echo", "GET", WS),
    req("GET /websocket/echo", "/websocket/echo"),
    req("GET /websocket/echo", "/websocket/echo?max_message_size=0", "GET", WS),
]

# A mux registration in httpbin/httpbin.go: mux.HandleFunc("[METHOD ]/path", ...).
REGISTRATION = re.compile(r'mux\.HandleFunc\("([^"]+)"')


def routes(source: Path) -> list[str]:
    """go-httpbin's route list: every pattern its Handler() registers, in the file's order."""
    found = REGISTRATION.findall((source / "httpbin" / "httpbin.go").read_text())
    if not found:
        raise SystemExit(f"no mux.HandleFunc registrations in {source}/httpbin/httpbin.go")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", help="a running go-httpbin, e.g. http://127.0.0.1:8080")
    parser.add_argument("source", type=Path, help="go-httpbin's source tree (for its route list)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    route_list = routes(args.source)
    planned = {request["route"] for request in PLAN}
    if missing := [route for route in route_list if route not in planned]:
        raise SystemExit(f"routes with no request in PLAN: {missing}")
    if unknown := sorted(planned - set(route_list)):
        raise SystemExit(f"PLAN names routes go-httpbin does not register: {unknown}")
    with httpx.Client(base_url=args.url, timeout=30.0, follow_redirects=False) as client:
        version = client.get("/version").json()
        if not version.get("commit") or version.get("commit") == "unknown":
            raise SystemExit(
                "go-httpbin's /version names no commit: "
                "start it with -use-full-version, built with -X main.commit"
            )
        recorded = [{**request, "status": send(client, request)} for request in PLAN]
    document = {
        "about": (
            "go-httpbin's answers, recorded by scripts/record_go_httpbin.py (make record-go-httpbin) "
            "from the release below, built from source and run on 127.0.0.1 with its default settings. "
            "contract_tests/test_go_httpbin_routes.py sends each request here and expects the same status, "
            "but for the differences docs/status-target.md names."
        ),
        "go_httpbin": {**version, "recorded": datetime.now(UTC).strftime("%Y-%m-%d")},
        "routes": route_list,
        "requests": recorded,
    }
    args.out.write_text(json.dumps(document, indent=1) + "\n")
    print(f"{len(recorded)} requests over {len(route_list)} routes written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
