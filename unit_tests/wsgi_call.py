"""One WSGI request built by hand and one call of an app, for the tests that go under Flask's test
client: the replay cache and status.Direct sit in front of Flask's own wsgi_app, so they are called
with a plain PEP 3333 environ, exactly as Gunicorn hands one over.
"""

import io
from collections.abc import Iterable
from typing import Any

Answer = tuple[str, list[tuple[str, str]], bytes, dict[str, Any]]


def environ(
    path: str,
    method: str = "GET",
    query: str = "",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    protocol: str = "HTTP/1.1",
) -> dict[str, Any]:
    """A PEP 3333 environ; `headers` become HTTP_ keys as a server writes them (no Host unless given)."""
    built: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": protocol,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if body:
        built["CONTENT_LENGTH"] = str(len(body))
    built.update({f"HTTP_{name.upper().replace('-', '_')}": value for name, value in (headers or {}).items()})
    return built


def call(app: Any, environ: dict[str, Any]) -> Answer:
    """The app's status line, headers, whole body (its iterable closed) and the environ it saw."""
    seen: list[Any] = []

    def start_response(status_line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen[:] = [status_line, list(headers)]

    result: Iterable[bytes] = app(environ, start_response)
    body = b"".join(result)
    getattr(result, "close", lambda: None)()
    status_line, headers = seen
    return status_line, headers, body, environ
