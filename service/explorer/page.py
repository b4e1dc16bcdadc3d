"""The explorer: GET / for browsers — a way in by status, then each lesson's code, curl line and Send.

Built once per process from the running code (each view and what it relies on, read by
service/lesson_code.py, so the page can never drift from what answers) and the OpenAPI document;
highlighted on the server with Pygments, so the page's only script is the small playground in
service/explorer/static/. Nothing here runs per request.
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
from pathlib import Path
from typing import Any

from flask import Flask, render_template
from markupsafe import Markup, escape

from service.contract import openapi
from service.contract.paths import openapi_path
from service.explorer import STATIC, runnable, status_guide
from service.explorer.lesson_code import clean, used_here
from service.explorer.listing import lessons

EXAMPLE_ORIGIN = "http://127.0.0.1:8000"
# The page may run its own script and stylesheet and call its own origin; nothing else, nothing inline.
# worker-src: Run's worker, a script of this origin (it carries its own policy: security_headers.py).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; worker-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# A path of this service in prose ("see /demos/success/items"), and inline markup in docstrings.
_PATH = re.compile(
    r"(?<![\w/.])(/(?:demos|status|wire|wrong|right|success|notfound|healthz|openapi)[\w./{}<>:?=&%-]*)"
)
_CODE = re.compile(r"`([^`]+)`")
_EMPHASIS = re.compile(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])")


@cache
def asset_url(name: str) -> str:
    """/static/<name>?v=<content hash>: a new file is a new URL, so the old one may be cached for a year."""
    path = _built(STATIC / name)
    if path is None:
        raise FileNotFoundError(STATIC / name)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return f"/static/{name}?v={digest}"


# Request headers a page's fetch() may not set (https://fetch.spec.whatwg.org/#forbidden-request-header).
FORBIDDEN = frozenset(
    {"connection", "upgrade", "host", "keep-alive", "te", "trailer", "transfer-encoding", "via"}
)


@dataclass
class Example:
    """One documented curl line, and the request it makes, to prefill the Send form."""

    curl: str
    method: str = "GET"
    url: str = "/"
    headers: list[str] = field(default_factory=list)
    body: str | None = None

    @property
    def accept(self) -> str:
        """The Accept header the example sends, if any (the playground gives it its own field)."""
        return next((h.split(":", 1)[1].strip() for h in self.headers if h.lower().startswith("accept:")), "")

    @property
    def other_headers(self) -> list[str]:
        return [h for h in self.headers if not h.lower().startswith("accept:")]

    @property
    def sendable(self) -> bool:
        """False when a page's fetch() may not send one of its headers (the Fetch standard's forbidden
        request headers: a WebSocket handshake's Connection, Upgrade and Sec-WebSocket-*): no Send then."""
        names = [h.split(":", 1)[0].strip().lower() for h in self.headers]
        return not any(name in FORBIDDEN or name.startswith(("sec-", "proxy-")) for name in names)

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
    used: list[tuple[str, str]] = field(default_factory=list)  # (where it lives, highlighted source)
    documented: dict[str, list[str]] = field(default_factory=dict)  # status -> headers it documents
    # ("run", where its view lives) when Run can rebuild it in the browser, else ("cannot", why not)
    run: tuple[str, str] = ("cannot", "")
    summary_html: Markup = field(default_factory=Markup)
    details_html: list[Markup] = field(default_factory=list)

    @property
    def codes(self) -> list[int]:
        """The explicit statuses it documents (not ranges such as 4XX), in order, once each."""
        found = [int(c) for codes in self.statuses.values() for c in codes if c.isdigit()]
        return list(dict.fromkeys(found))

    @property
    def shown(self) -> list[int]:
        """Its statuses, and an interim 1xx its summary names (only final replies are documented)."""
        interim = [int(c) for c in re.findall(r"(?<!no )\b(1\d\d)\b", self.summary)]
        return list(dict.fromkeys([*interim, *self.codes]))

    @property
    def same_statuses(self) -> list[str]:
        """The statuses, when every method answers the same ones (shown once); else []."""
        lists = list(self.statuses.values())
        return lists[0] if all(codes == lists[0] for codes in lists) else []

    @property
    def hidden_by_fetch(self) -> bool:
        """What it teaches is what fetch() hides from a page: an interim 1xx, a redirect, Set-Cookie."""
        cookies = any("Set-Cookie" in names for names in self.documented.values())
        return cookies or any(code // 100 in (1, 3) for code in self.shown)

    @property
    def wrong(self) -> bool:
        return bool(re.search(r"/wrong(/|$)", self.path))


@cache  # the same helper is shown on many cards
def _highlight(source: str) -> str:
    # Imported here, when the page is first built: a worker that never serves / never loads Pygments
    # (its share of a worker's memory: docs/performance.md, "Figures moved out of the code").
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return str(highlight(source, PythonLexer(), HtmlFormatter(nowrap=True)))


def _source(view: Any) -> str:
    return _highlight(textwrap.dedent(clean(view)))


def prose(text: str, links: dict[str, str]) -> Markup:
    """A docstring sentence as HTML: `code` and *emphasis* rendered, this service's paths made links
    (to the card that documents the path when there is one, else to the path itself)."""
    html = str(escape(text))
    html = _EMPHASIS.sub(r"<em>\1</em>", _CODE.sub(r"<code>\1</code>", html))

    def link(match: re.Match[str]) -> str:
        path = match.group(1).rstrip(".:,")
        rest = match.group(1)[len(path) :]
        target = next((anchor for pattern, anchor in links.items() if re.fullmatch(pattern, path)), None)
        href = f"#{target}" if target else path
        return f'<a href="{href}">{path}</a>{rest}'

    # Safe: the text was escaped above, and the paths put back into it match [\w./{}:?=%-] only.
    return Markup(_PATH.sub(link, html))  # noqa: S704


def _endpoint(
    app: Flask,
    path: str,
    operations: dict[str, dict[str, Any]],
    view: Any,
    endpoint: str,
    lesson: Any,
    with_code: bool = True,
) -> Endpoint:
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
        source=_source(view) if with_code else "",
        examples=[parse_curl(line) for line in curl],
        line=inspect.getsourcelines(view)[1],
        anchor=re.sub(r"[^a-z0-9]+", "-", f"{' '.join(operations)} {path}".lower()).strip("-"),
        used=[(b.title, _highlight(b.source)) for b in used_here(app, endpoint, view)] if with_code else [],
        documented={
            code: list(response.get("headers", {}))
            for op in operations.values()
            for code, response in op["responses"].items()
        },
        run=runnable.card(app, endpoint, view, lesson.name, path) if lesson.lesson else ("cannot", ""),
    )


def _groups(endpoints: list[Endpoint]) -> list[list[Endpoint]]:
    """Wrong/right pairs side by side (/x/wrong beside /x/right, /x/wrong/{page} beside /x/right/{page},
    the tutorial's /wrong beside /right)."""
    groups: dict[str, list[Endpoint]] = {}
    for endpoint in endpoints:
        halves = re.match(r"^(.*)/(?:wrong|right)(?:/.*)?$", endpoint.path)
        key = f"pair:{halves.group(1)}" if halves else endpoint.anchor
        groups.setdefault(key, []).append(endpoint)
    return list(groups.values())


def _links(endpoints: list[Endpoint]) -> dict[str, str]:
    """A regex per documented path (its {parameters} match any segment) -> the card's anchor."""
    return {re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(e.path)): e.anchor for e in endpoints}


def status_index(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every status the service demonstrates, by code: phrase, when to use it, its RFC, the cards."""
    cards: dict[int, list[Endpoint]] = {}
    target: Endpoint | None = None
    for section in sections:
        for group in section["groups"]:
            for endpoint in group:
                if endpoint.path.startswith("/status/"):
                    target = endpoint
                elif section["lesson"]:
                    for code in endpoint.shown:
                        cards.setdefault(code, []).append(endpoint)
    rows = []
    for code in sorted(set(cards) | set(status_guide.GUIDE)):
        if code not in status_guide.GUIDE:
            continue  # a code only a demo of an unknown status uses (299): its card explains it
        href, label = status_guide.reference(code)
        rows.append(
            {
                "code": code,
                "class_": code // 100,
                "phrase": status_guide.phrase(code),
                "when": status_guide.when(code),
                "rfc": href,
                "rfc_label": label,
                "cards": cards.get(code, []),
                "target": target if target and 200 <= code <= 599 else None,
            }
        )
    return rows


def sections(app: Flask) -> list[dict[str, Any]]:
    """The lessons in learning order (service/explorer/listing.py), each with its endpoint groups: one
    endpoint per view (/items/{id} may have a GET view and a DELETE view), in the order they are written."""
    endpoints_of: dict[Any, str] = {}
    rule_order: dict[str, int] = {}
    for rule in app.url_map.iter_rules():
        endpoints_of.setdefault(app.view_functions.get(rule.endpoint), rule.endpoint)
        rule_order.setdefault(openapi_path(rule.rule), len(rule_order))
    made: list[tuple[Any, list[Endpoint]]] = []
    for lesson in lessons(app):
        per_view: dict[tuple[str, Any], dict[str, dict[str, Any]]] = {}
        for operation in lesson.operations:
            per_view.setdefault((operation.path, operation.view), {})[operation.method] = operation.spec
        # The routes for testing clients show their curl line and Send, not their code: they are tools,
        # not lessons, and fifty highlighted views would triple the page's first load. They keep the
        # order of their table (service/httpbin/routes.py), where lessons keep their module's.
        with_code = lesson.part != "clients"
        endpoints = [
            _endpoint(app, path, ops, view, endpoints_of[view], lesson, with_code)
            for (path, view), ops in per_view.items()
        ]
        if not with_code:
            for endpoint in endpoints:
                endpoint.line = rule_order.get(endpoint.path, 0)
        made.append((lesson, endpoints))
    links = _links([e for _, endpoints in made for e in endpoints])
    result = []
    for lesson, endpoints in made:
        for endpoint in endpoints:
            endpoint.summary_html = prose(endpoint.summary, links)
            endpoint.details_html = [prose(paragraph, links) for paragraph in endpoint.details]
        result.append(
            {
                "name": lesson.name,
                "title": lesson.title,
                "intro": prose(lesson.intro, links),
                "lesson": lesson.lesson,
                "part": lesson.part,
                "groups": _groups(sorted(endpoints, key=lambda e: e.line)),
                "codes": sorted({code for e in endpoints for code in e.shown}),
                # What the filter box matches a lesson on: its words, its paths and its statuses.
                "filter": " ".join(
                    [lesson.title, lesson.intro]
                    + [f"{e.path} {e.summary} {' '.join(map(str, e.codes))}" for e in endpoints]
                ).lower(),
            }
        )
    return result


RUN_FILES = {
    "editor": "edit.js",
    "worker": "worker.js",
    "zip": "python.zip",
    "stdlib": "python_stdlib.zip",
}


def run_files() -> dict[str, str]:
    """The URLs Edit and Run load, when the image built them (static/run/, see the Dockerfile): the
    editor's bundle, the worker, Pyodide's folder (named by its version), its standard library compiled,
    and python.zip. None: no Edit."""
    folder = STATIC / "run"
    pyodide = sorted(folder.glob("pyodide-*/pyodide.mjs"))
    if not pyodide or not all(_built(folder / name) for name in RUN_FILES.values()):
        return {}
    return {
        "pyodide": f"/static/run/{pyodide[-1].parent.name}/",
        **{key: asset_url(f"run/{name}") for key, name in RUN_FILES.items()},
    }


def _built(path: Path) -> Path | None:
    """The file, or its gzip twin: the image keeps only the twin of its larger files (assets.py)."""
    twin = path.with_name(path.name + ".gz")
    return path if path.is_file() else twin if twin.is_file() else None


@cache
def page(app: Flask) -> tuple[bytes, bytes]:
    """The whole HTML page and its gzip, made once per process (the first browser visit pays for both).

    Gunicorn compresses nothing, and the page is mostly highlighted source, which gzip shrinks about
    tenfold (docs/performance.md, "Figures moved out of the code").
    """
    spec = openapi.spec(app)
    with app.app_context():
        lessons = sections(app)
        html = render_template(
            "explorer.html",
            info=spec["info"],
            sections=lessons,
            index=status_index(lessons),
            classes=status_guide.CLASSES,
            css=asset_url("explorer.css"),
            script=asset_url("explorer.js"),
            run=run_files(),
            run_lessons=runnable.blueprints(app),
            # What Run's answer lacks, as the page tells the learner: the pipeline's headers, the server's.
            run_adds=" ".join(app.extensions["pipeline"].adds),
            server_adds=" ".join(runnable.SERVER_ADDS),
        ).encode()
    return html, gzip.compress(html, compresslevel=9, mtime=0)
