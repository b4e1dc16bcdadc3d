"""The learning order of the techniques, with the human title and short intro the index shows for each.

Keyed by module name (the file in service/ or service/demos/, which is also each URL's prefix). A module
with routes that is missing here has no title: contract_tests/test_index.py fails on it.
"""

# (module, title, intro), in the order a learner should meet them.
TECHNIQUES: tuple[tuple[str, str, str], ...] = (
    (
        "tutorial",
        "The tutorial's four routes",
        "Where this project began: a (body, status) tuple, make_response(), and a string status that "
        "looks broken and is only badly written.",
    ),
    (
        "tuples",
        "Return a tuple",
        "(body, status), (body, headers) or (body, status, headers): the shortest way to set a status.",
    ),
    (
        "responses",
        "Build a Response object",
        "make_response() or Response(...): a status you can still change, with any header or reason.",
    ),
    (
        "aborts",
        "Stop with abort()",
        "abort(code) raises an HTTPException from anywhere in a request; the app's handler turns it "
        "into the one problem+json shape.",
    ),
    (
        "handlers",
        "Error handlers",
        "Your own exceptions mapped to statuses in one place, headers such as Retry-After kept, and an "
        "unhandled exception turned into a 500 that reveals nothing.",
    ),
    (
        "redirects",
        "Redirects",
        "301, 302, 303, 307 and 308 with Location, and which of them keep the method and the body.",
    ),
    (
        "success",
        "Success with a promise",
        "201 with the Location of what was made, 202 with a monitor to poll, 204 with no body at all.",
    ),
    (
        "conditional",
        "Conditional requests",
        "ETag, Last-Modified and Range: 304, 412, 206 and 416, decided by Werkzeug rather than by hand.",
    ),
    (
        "client_errors",
        "Request problems",
        "The 4xx a request earns: a bad body, a wrong media type, no access, too many requests.",
    ),
    (
        "automatic",
        "What Flask does by itself",
        "405 with Allow, OPTIONS, HEAD and 404: statuses no view of yours wrote.",
    ),
    (
        "streaming",
        "Streaming",
        "A streamed body sends its status first: check the input before the first chunk, since no 500 "
        "can follow it.",
    ),
    (
        "early_hints",
        "103 Early Hints",
        "The one 1xx a view can send: a 103 with a Link to preload before the final 200, through "
        "Gunicorn's wsgi.early_hints, and what a server without it sends.",
    ),
    (
        "pitfalls",
        "Pitfalls: wrong beside right",
        "Common ways to get a status wrong, each next to the right way, exactly as they behave on the wire.",
    ),
    (
        "handler_mistakes",
        "Error-handler mistakes",
        "Three ways an error handler sends the wrong answer: no status (200), a catch-all that turns "
        "404 into 500, and a blueprint's 404 handler that never runs for unknown URLs.",
    ),
    (
        "view_mistakes",
        "View mistakes",
        "jsonify() has no status argument, a broad except swallows abort(), a decorator reads the "
        "wrong status, and a view that returns None is a 500.",
    ),
    (
        "status",
        "The /status target",
        "Any status from 200 to 599, with the headers RFC 9110 asks of it, to test your own client; "
        "CORS included, so a page on any origin can call it.",
    ),
    # Not techniques: the service's own routes, listed after the lessons.
    ("index", "This index", "Every endpoint, as JSON for clients or as this page for browsers."),
    (
        "wire",
        "The wire",
        "Any of these routes' answer as it left the server: every 1xx, Set-Cookie, a redirect.",
    ),
    ("openapi", "The contract", "The OpenAPI document every endpoint and status is checked against."),
    ("health", "Health check", "The container's liveness check."),
)
# Where the lessons end and the service's own routes begin.
LESSONS = 16

ORDER = {module: position for position, (module, _, _) in enumerate(TECHNIQUES)}
TITLES = {module: (title, intro) for module, title, intro in TECHNIQUES}


def short_name(tag: str) -> str:
    """The module's own name from an OpenAPI tag ("demos.tuples" -> "tuples")."""
    return tag.rsplit(".", 1)[-1]
