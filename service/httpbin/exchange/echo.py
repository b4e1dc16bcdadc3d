"""Echo: what a request carried — method, URL, query, headers, body, form, files — in httpbin's JSON shape.

Every echo is JSON (never HTML, whatever Accept says) with `Cache-Control: no-store`, so a tester sees
what a client re-sent after a redirect and no cache answers one request with another's echo. The keys
are httpbin's: `args` (a name given twice becomes a list), `headers` (names in Title-Case, as the server
hands them over), `origin` (the peer's address: no forwarded header is trusted), `url`, `method` (which
httpbin leaves out of /get and go-httpbin adds), and for a body `data`, `form`, `files` and `json`
(parsed, or null). `data` is empty when the body is a form, as
httpbin's is; a body or file that is not UTF-8 comes back as a `data:` URL (RFC 2397) with its base64.
A body is read up to the service's body limit (1 MiB: 413 above, a chunked body included).
"""

import base64
import socket
import uuid as uuids
from typing import Any

from flask import Response, current_app, json, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from service.contract.reply import Reply, documented, header
from service.pipeline.media import JSON, PROBLEM_JSON, TEXT

NO_STORE = header("Cache-Control", "no-store: every answer is for its own request")
ECHO = Reply(200, JSON, [NO_STORE])
TOO_LARGE = Reply(413, PROBLEM_JSON)
BODY = {
    "description": "anything, up to the body limit (1 MiB): a form and files are parsed, JSON decoded",
    "required": False,
    "content": {"*/*": {"schema": {}}},
}
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
# The name /hostname gives unless INSTANCE_HEADER=1 lets replicas be named (as go-httpbin hides its own).
HOSTNAME = "flask-status-codes"
VERSION = "1.0.0"  # the contract's version, as service/contract/openapi.py writes it


def _flat(values: "MultiDict[str, Any]") -> dict[str, Any]:
    """httpbin's form of a multi-dict: one value as itself, several as a list."""
    return {name: found[0] if len(found) == 1 else found for name, found in values.lists()}


def _text(data: bytes, media: str = "application/octet-stream") -> str:
    """The bytes as text, or a data: URL with their base64 when they are not UTF-8 (httpbin's way)."""
    try:
        return data.decode()
    except UnicodeDecodeError:
        return f"data:{media};base64,{base64.b64encode(data).decode()}"


def read_body() -> bytes:
    """The whole body, at most the service's limit: 413 past it, even when no Content-Length said so."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    # One byte more than allowed: Werkzeug cuts a chunked body (no Content-Length) at the limit without a
    # word, so a body that fills limit + 1 was too long. A declared Content-Length over it is refused unread.
    request.max_content_length = limit + 1
    request.max_form_memory_size = limit  # Flask's own form ceiling (500 kB) would be a second limit
    data = request.get_data(cache=True)  # kept: the form parser reads it again
    if len(data) > limit:
        raise RequestEntityTooLarge(f"The body may be at most {limit} bytes.")
    return data


def request_headers() -> dict[str, str]:
    """The request's headers as the server handed them over, less the HTTP_VERSION that Gunicorn's HTTP/2
    path adds to the environ ("2"), which Werkzeug would show as a "Version" header no client sent."""
    headers = dict(request.headers.items())
    if request.environ.get("SERVER_PROTOCOL", "").startswith("HTTP/2"):
        headers.pop("Version", None)
    return headers


def asked() -> dict[str, Any]:
    """The request without its body: httpbin's `args`, `headers`, `origin`, `url` (/get adds `method`)."""
    return {
        "args": _flat(request.args),
        "headers": request_headers(),
        "origin": request.remote_addr,
        "url": request.url,
    }


def carried() -> dict[str, Any]:
    """The whole request, its body read: httpbin's /anything shape (every key, in httpbin's names)."""
    data = read_body()
    form = request.mimetype in FORMS
    files: MultiDict[str, str] = MultiDict()
    for name, part in request.files.items(multi=True):
        files.add(name, _text(part.read(), part.mimetype or "application/octet-stream"))
    try:
        parsed = json.loads(data) if data and not form else None
    except ValueError:
        parsed = None
    return {
        **asked(),
        "data": "" if form else _text(data),
        "files": _flat(files),
        "form": _flat(request.form),
        "json": parsed,
        "method": request.method,
    }


def _json(body: dict[str, Any]) -> Response:
    response = Response(json.dumps(body), mimetype=JSON)
    response.headers["Cache-Control"] = "no-store"
    return response


@documented(ECHO)
def get() -> Response:
    """The GET that arrived: args, headers, origin, url, and method as go-httpbin adds (POST: 405).

    curl -s 'http://127.0.0.1:8000/get?a=1&a=2&b=3'
    """
    return _json({**asked(), "method": request.method})


@documented(Reply(200, JSON, [NO_STORE]), methods=("HEAD",))
def head() -> Response:
    """HEAD only, as go-httpbin's: /get's headers and no body (any other method: 405 with Allow).

    curl -sI http://127.0.0.1:8000/head
    """
    return _json({**asked(), "method": request.method})


@documented(ECHO, TOO_LARGE, request_body=BODY)
def post() -> Response:
    """The POST and its body: args, data, files, form, headers, json, method, origin, url.

    curl -s -d 'name=flask' http://127.0.0.1:8000/post
    """
    return _json(carried())


@documented(ECHO, TOO_LARGE, request_body=BODY)
def put() -> Response:
    """The PUT and its body, as /post shows them (any other method: 405 with Allow).

    curl -s -X PUT -H 'Content-Type: application/json' -d '{"a": 1}' http://127.0.0.1:8000/put
    """
    return _json(carried())


@documented(ECHO, TOO_LARGE, request_body=BODY)
def patch() -> Response:
    """The PATCH and its body, as /post shows them.

    curl -s -X PATCH -d 'x=1' http://127.0.0.1:8000/patch
    """
    return _json(carried())


@documented(ECHO, TOO_LARGE, request_body=BODY)
def delete() -> Response:
    """The DELETE and any body it carried, as /post shows them.

    curl -s -X DELETE http://127.0.0.1:8000/delete
    """
    return _json(carried())


@documented(ECHO, TOO_LARGE, request_body=BODY)
def anything(rest: str = "") -> Response:
    """Any method, any path below /anything: the request and its body, as /post shows them.

    curl -s -X PATCH -d 'hello' 'http://127.0.0.1:8000/anything/any/path?x=1'
    """
    return _json(carried())


@documented(ECHO)
def headers() -> Response:
    """The request's headers, as the server handed them over.

    curl -s -H 'X-Probe: 1' http://127.0.0.1:8000/headers
    """
    return _json({"headers": request_headers()})


@documented(ECHO)
def ip() -> Response:
    """The address the request came from (`origin`): the peer's, never a forwarded header's.

    curl -s http://127.0.0.1:8000/ip
    """
    return _json({"origin": request.remote_addr})


@documented(ECHO)
def user_agent() -> Response:
    """The request's User-Agent ("" when it sent none).

    curl -s http://127.0.0.1:8000/user-agent
    """
    return _json({"user-agent": request.headers.get("User-Agent", "")})


@documented(ECHO)
def uuid() -> Response:
    """A fresh version 4 UUID.

    curl -s http://127.0.0.1:8000/uuid
    """
    return _json({"uuid": str(uuids.uuid4())})


@documented(ECHO)
def hostname() -> Response:
    """The replica's host name with INSTANCE_HEADER=1, else a fixed name that reveals nothing.

    curl -s http://127.0.0.1:8000/hostname
    """
    on = current_app.extensions["settings"].replica_header
    return _json({"hostname": socket.gethostname() if on else HOSTNAME})


@documented(Reply(200, TEXT, [NO_STORE]), TOO_LARGE, request_body=BODY)
def dump_request() -> Response:
    """The request as text, request line, headers and body, as go-httpbin writes it.

    curl -s -d 'hello' http://127.0.0.1:8000/dump/request
    """
    data = read_body()
    target = request.full_path.rstrip("?")
    lines = [f"{request.method} {target} {request.environ.get('SERVER_PROTOCOL', 'HTTP/1.1')}"]
    lines += [f"{name}: {value}" for name, value in request_headers().items()]
    head = "\r\n".join(lines).encode("latin-1", "replace") + b"\r\n\r\n"
    response = Response(head + data, mimetype=TEXT)
    response.headers["Cache-Control"] = "no-store"
    return response


@documented(ECHO)
def env() -> Response:
    """go-httpbin's environment listing, always empty here: the service reveals no variable.

    curl -s http://127.0.0.1:8000/env
    """
    return _json({"env": {}})


@documented(ECHO)
def version() -> Response:
    """The service's name and the version of its contract (/openapi.json's info.version).

    curl -s http://127.0.0.1:8000/version
    """
    return _json({"service": HOSTNAME, "version": VERSION})
