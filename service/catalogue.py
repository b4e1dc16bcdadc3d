"""The lesson catalogue: every blueprint the service serves, in learning order, with what it teaches.

create_app() registers the blueprints from here and nowhere else; the OpenAPI tags and operation ids,
the CORS scope, the index's titles and the explorer's order all come from an entry here, never from a
module's name or folder. Adding a lesson: its module, one entry in LESSONS, its contract test (and its
paragraph in docs/), as docs/development.md shows. contract_tests/test_index.py keeps its own list of
the lessons, the black-box witness of this order.
"""

from dataclasses import dataclass

from flask import Blueprint

from service import health, wire
from service.contract import openapi
from service.demos.meanings import client_errors, conditional, redirects, success
from service.demos.mistakes import handler_mistakes, pitfalls, tutorial, view_mistakes
from service.demos.ways import aborts, error_handlers, responses, tuples
from service.demos.wire import automatic, early_hints, streaming
from service.explorer import index
from service.httpbin import routes
from service.tester import attempts, status


@dataclass(frozen=True)
class Entry:
    """One blueprint and what the service says about it."""

    blueprint: Blueprint
    tag: str  # the OpenAPI tag of its operations (and their ids' prefix); the index's "technique"
    title: str
    intro: str
    cors: bool  # its routes answer browsers on any origin (service/pipeline/cors.py)
    lesson: bool = True  # False: one of the service's own routes, listed after the lessons

    @property
    def part(self) -> str:
        """Where the explorer lists it: "lessons", "clients" (the routes for testing clients) or "service"."""
        if self.tag.startswith("clients."):
            return "clients"
        return "lessons" if self.lesson else "service"

    @property
    def name(self) -> str:
        """The short name the explorer's anchors use ("demos.tuples" -> "tuples", "clients.echo" ->
        "clients-echo": a group for testing clients may share a word with a lesson)."""
        return self.tag.removeprefix("demos.").replace(".", "-")


# The lessons, in the order a learner should meet them.
LESSONS: tuple[Entry, ...] = (
    Entry(
        tutorial.bp,
        "demos.tutorial",
        "The tutorial's four routes",
        "Where this project began: a (body, status) tuple, make_response(), and a string status that "
        "looks broken and is only badly written.",
        cors=True,
    ),
    Entry(
        tuples.bp,
        "demos.tuples",
        "Return a tuple",
        "(body, status), (body, headers) or (body, status, headers): the shortest way to set a status.",
        cors=True,
    ),
    Entry(
        responses.bp,
        "demos.responses",
        "Build a Response object",
        "make_response() or Response(...): a status you can still change, with any header or reason.",
        cors=True,
    ),
    Entry(
        aborts.bp,
        "demos.aborts",
        "Stop with abort()",
        "abort(code) raises an HTTPException from anywhere in a request; the app's handler turns it into "
        "the one problem+json shape.",
        cors=True,
    ),
    Entry(
        error_handlers.bp,
        "demos.handlers",
        "Error handlers",
        "Your own exceptions mapped to statuses in one place, headers such as Retry-After kept, and an "
        "unhandled exception turned into a 500 that reveals nothing.",
        cors=True,
    ),
    Entry(
        redirects.bp,
        "demos.redirects",
        "Redirects",
        "301, 302, 303, 307 and 308 with Location, and which of them keep the method and the body.",
        cors=True,
    ),
    Entry(
        success.bp,
        "demos.success",
        "Success with a promise",
        "201 with the Location of what was made, 202 with a monitor to poll, 204 with no body at all.",
        cors=True,
    ),
    Entry(
        conditional.bp,
        "demos.conditional",
        "Conditional requests",
        "ETag, Last-Modified and Range: 304, 412, 206 and 416, decided by Werkzeug rather than by hand.",
        cors=True,
    ),
    Entry(
        client_errors.bp,
        "demos.client_errors",
        "Request problems",
        "The 4xx a request earns: a bad body, a wrong media type, no access, too many requests.",
        cors=True,
    ),
    Entry(
        automatic.bp,
        "demos.automatic",
        "What Flask does by itself",
        "405 with Allow, OPTIONS, HEAD and 404: statuses no view of yours wrote.",
        cors=True,
    ),
    Entry(
        streaming.bp,
        "demos.streaming",
        "Streaming",
        "A streamed body sends its status first: check the input before the first chunk, since no 500 "
        "can follow it.",
        cors=True,
    ),
    Entry(
        early_hints.bp,
        "demos.early_hints",
        "103 Early Hints",
        "The one 1xx a view can send: a 103 with a Link to preload before the final 200, through "
        "Gunicorn's wsgi.early_hints, and what a server without it sends. Python's requests, urllib3 and "
        "urllib take the 103 as the final answer and leave the 200 for the next request: call it with "
        "httpx, or on a connection of its own.",
        cors=True,
    ),
    Entry(
        pitfalls.bp,
        "demos.pitfalls",
        "Pitfalls: wrong beside right",
        "Common ways to get a status wrong, each next to the right way, exactly as they behave on the wire.",
        cors=True,
    ),
    Entry(
        handler_mistakes.bp,
        "demos.handler_mistakes",
        "Error-handler mistakes",
        "Three ways an error handler sends the wrong answer: no status (200), a catch-all that turns 404 "
        "into 500, and a blueprint's 404 handler that never runs for unknown URLs.",
        cors=True,
    ),
    Entry(
        view_mistakes.bp,
        "demos.view_mistakes",
        "View mistakes",
        "jsonify() has no status argument, a broad except swallows abort(), a decorator reads the wrong "
        "status, and a view that returns None is a 500.",
        cors=True,
    ),
    Entry(
        status.bp,
        "status",
        "The /status target",
        "Any status from 200 to 599, with the headers RFC 9110 asks of it, to test your own client; CORS "
        "included, so a page on any origin can call it. What curl, requests, httpx, aiohttp, Node, Go and "
        "Chromium do with each status is measured by make test-clients (docs/clients.md).",
        cors=True,
    ),
    Entry(
        attempts.bp,
        "sequences",
        "The attempt log",
        "GET /sequences/<key>: every request a client made with ?sequence=<key>, when, how and on which "
        "connection, and whether its retries waited the Retry-After they were given.",
        cors=False,
    ),
)
# The routes for testing HTTP clients, httpbin's and go-httpbin's at their paths and in their shapes, one
# entry per group of service/httpbin/routes.py's table (its blueprint), in the order a tester needs them.
CLIENT_TESTING: tuple[Entry, ...] = (
    Entry(
        routes.BLUEPRINTS["echo"],
        "clients.echo",
        "Echo",
        "What arrived: /get, /post, /put, /patch, /delete and /anything in httpbin's shape (args, data, "
        "files, form, headers, json, method, origin, url), and the headers, address and agent alone.",
        cors=True,
        lesson=False,
    ),
    Entry(
        routes.BLUEPRINTS["auth"],
        "clients.auth",
        "Auth",
        "Basic, hidden Basic, Bearer and Digest (MD5, SHA-256, auth-int, stale nonces): 200 to the right "
        "credentials, 401 with the challenge to answer otherwise.",
        cors=True,
        lesson=False,
    ),
    Entry(
        routes.BLUEPRINTS["cookies"],
        "clients.cookies",
        "Cookies",
        "What a client's jar sends, and 302s that set or delete cookies, scoped to /cookies: the one "
        "group that sets them.",
        cors=True,
        lesson=False,
    ),
    Entry(
        routes.BLUEPRINTS["redirects"],
        "clients.redirects",
        "Redirects",
        "Chains of n hops ending on /get, in path, relative or absolute form, with any redirect code or "
        "as a loop, to see where a client gives up; and /redirect-to, never an open redirect.",
        cors=True,
        lesson=False,
    ),
    Entry(
        routes.BLUEPRINTS["caching"],
        "clients.caching",
        "Caching",
        "ETag, Last-Modified and Cache-Control for a client's cache: 304 and 412 as Werkzeug decides "
        "them, and response headers of your choosing, within /status?header='s rules.",
        cors=True,
        lesson=False,
    ),
    Entry(
        routes.BLUEPRINTS["bodies"],
        "clients.bodies",
        "Bodies and streams",
        "Bodies of known size, pace and type: random bytes (seeded), chunked streams, ranges, drips, "
        "delays, server-sent events, trailers, failures at a rate; HTML, JSON, XML, images, base64.",
        cors=True,
        lesson=False,
    ),
    Entry(
        routes.BLUEPRINTS["compression"],
        "clients.compression",
        "Compression",
        "The same JSON in gzip, deflate, br and zstd, whatever Accept-Encoding says: does the client "
        "decode it?",
        cors=True,
        lesson=False,
    ),
    Entry(
        routes.BLUEPRINTS["websocket"],
        "clients.websocket",
        "WebSocket",
        "An echo with frame and message limits, and a close with any code a server may send, over "
        "HTTP/1.1: a WebSocket client's framing and reconnect logic under test.",
        cors=False,
        lesson=False,
    ),
)
# The service's own routes, listed after the lessons.
OWN_ROUTES: tuple[Entry, ...] = (
    Entry(
        index.bp,
        "index",
        "This index",
        "Every endpoint, as JSON for clients or as this page for browsers.",
        cors=False,
        lesson=False,
    ),
    Entry(
        wire.bp,
        "wire",
        "The wire",
        "A route's answer as it left the server: every 1xx, Set-Cookie, a redirect's Location.",
        cors=False,
        lesson=False,
    ),
    Entry(
        openapi.bp,
        "openapi",
        "The contract",
        "The OpenAPI document every endpoint and status is checked against.",
        cors=False,
        lesson=False,
    ),
    Entry(
        health.bp,
        "health",
        "Health check",
        "The container's liveness check.",
        cors=False,
        lesson=False,
    ),
)
CATALOGUE = LESSONS + CLIENT_TESTING + OWN_ROUTES


def entry_for(tag: str) -> Entry | None:
    """The entry whose operations carry this OpenAPI tag."""
    return next((entry for entry in CATALOGUE if entry.tag == tag), None)
