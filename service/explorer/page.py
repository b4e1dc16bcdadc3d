"""The explorer: GET / for browsers — each technique's endpoints with their own source, curl line and Send.

Built once per process from the running code (inspect.getsource of each view, so the page can never
drift from what answers) and the OpenAPI document; highlighted on the server with Pygments, so the
page's only script is the small Send helper in service/explorer/static/. Nothing here runs per request.
"""

import gzip
import hashlib
import inspect
import re
import shlex
import textwrap
from base64 import b64encode
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from flask import Flask, render_template
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from service.explorer import STATIC
from service.explorer.listing import lessons

EXAMPLE_ORIGIN = "http://127.0.0.1:8000"
# The page may run its own script and stylesheet and call its own origin; nothing else, nothing inline.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@cache
def asset_url(name: str) -> str:
    """/static/<name>?v=<content hash>: a new file is a new URL, so the old one may be cached for a year."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:16]
    return f"/static/{name}?v={digest}"


@dataclass
class Example:
    """One documented curl line, and the request it makes, to prefill the Send form."""

    curl: str
    method: str = "GET"
    url: str = "/"
    headers: list[str] = field(default_factory=list)
    body: str | None = None

    @property
    def simple(self) -> bool:
        """A plain GET: a link does the same without JavaScript."""
        return self.method == "GET" and not self.headers and self.body is None


def parse_curl(line: str) -> Example:
    """The request a docstring's curl line makes (the flags the docstrings use: -X -H -d -u)."""
    example = Example(curl=line)
    words = shlex.split(line)[1:]
    flags_with_value = {"-X", "-H", "-d", "-u", "--max-time", "-o"}
    index = 0
    while index < len(words):
        word = words[index]
        value = words[index + 1] if word in flags_with_value and index + 1 < len(words) else ""
        if word == "-X":
            example.method = value.upper()
        elif word == "-H":
            example.headers.append(value)
        elif word == "-d":
            example.body = value
        elif word == "-u":
            example.headers.append("Authorization: Basic " + b64encode(value.encode()).decode())
        elif word.startswith(("http://", "https://")):
            example.url = word.removeprefix(EXAMPLE_ORIGIN) or "/"
        index += 2 if value else 1
    if example.body is not None:
        if example.method == "GET" and "-X" not in words:
            example.method = "POST"  # what curl does with -d
        if not any(h.lower().startswith("content-type:") for h in example.headers):
            example.headers.append("Content-Type: application/x-www-form-urlencoded")  # curl's default too
    return example


@dataclass
class Endpoint:
    """One view: its URL, methods, statuses per method, docs, highlighted source and examples."""

    path: str
    methods: list[str]
    statuses: dict[str, list[str]]
    summary: str
    details: list[str]
    source: str
    examples: list[Example]
    anchor: str
    line: int  # where the view starts in its module: endpoints are shown in the order they are written


def _source(view: Any) -> str:
    formatter = HtmlFormatter(nowrap=True)
    return str(highlight(textwrap.dedent(inspect.getsource(view)), PythonLexer(), formatter))


def _endpoint(path: str, operations: dict[str, dict[str, Any]], view: Any) -> Endpoint:
    first = next(iter(operations.values()))
    lines = first.get("description", "").splitlines()
    curl = [line for line in lines if line.startswith("curl ")]
    prose = "\n".join(line for line in lines if not line.startswith("curl ")).strip()
    return Endpoint(
        path=path,
        methods=list(operations),
        statuses={m: list(op["responses"]) for m, op in operations.items()},
        summary=first.get("summary", ""),
        details=[" ".join(p.split()) for p in prose.split("\n\n") if p.strip()],
        source=_source(view),
        examples=[parse_curl(line) for line in curl],
        line=inspect.getsourcelines(view)[1],
        anchor=re.sub(r"[^a-z0-9]+", "-", f"endpoint {' '.join(operations)} {path}".lower()).strip("-"),
    )


def _groups(endpoints: list[Endpoint]) -> list[list[Endpoint]]:
    """Wrong/right pairs side by side (/x/wrong beside /x/right, the tutorial's /wrong beside /right)."""
    groups: dict[str, list[Endpoint]] = {}
    for endpoint in endpoints:
        parent, _, last = endpoint.path.rpartition("/")
        key = f"pair:{parent}" if last.startswith(("wrong", "right")) else endpoint.anchor
        groups.setdefault(key, []).append(endpoint)
    return list(groups.values())


def sections(app: Flask) -> list[dict[str, Any]]:
    """The lessons in learning order (service/explorer/listing.py), each with its endpoint groups: one
    endpoint per view (/items/{id} may have a GET view and a DELETE view), in the order they are written."""
    result = []
    for lesson in lessons(app):
        per_view: dict[tuple[str, Any], dict[str, dict[str, Any]]] = {}
        for operation in lesson.operations:
            per_view.setdefault((operation.path, operation.view), {})[operation.method] = operation.spec
        endpoints = [_endpoint(path, ops, view) for (path, view), ops in per_view.items()]
        result.append(
            {
                "name": lesson.name,
                "title": lesson.title,
                "intro": lesson.intro,
                "lesson": lesson.lesson,
                "groups": _groups(sorted(endpoints, key=lambda e: e.line)),
            }
        )
    return result


@cache
def page(app: Flask) -> tuple[bytes, bytes]:
    """The whole HTML page and its gzip, made once per process (the first browser visit pays for both).

    Gunicorn compresses nothing, and the page is ~230 KB of highlighted source that gzip takes to ~23 KB.
    """
    spec: dict[str, Any] = app.extensions["openapi"]
    with app.app_context():
        html = render_template(
            "explorer.html",
            info=spec["info"],
            sections=sections(app),
            css=asset_url("explorer.css"),
            script=asset_url("explorer.js"),
        ).encode()
    return html, gzip.compress(html, compresslevel=9, mtime=0)
