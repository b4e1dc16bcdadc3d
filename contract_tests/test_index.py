"""GET /: the index, JSON for API clients and the explorer page for browsers, chosen by Accept."""

import html
import re
from typing import Any

import httpx
import pytest
from helpers import assert_problem, media_type

# A browser's Accept (Firefox's and Chromium's share this shape): text/html at q=1, */* at q=0.8.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

NEGOTIATION = [
    pytest.param(None, "application/json", id="no-accept-json"),
    pytest.param("*/*", "application/json", id="any-json"),
    pytest.param("application/json", "application/json", id="json"),
    pytest.param("application/json;q=0.5, text/html;q=0.5", "application/json", id="tie-json"),
    pytest.param(BROWSER, "text/html", id="browser-html"),
    pytest.param("text/*", "text/html", id="text-wildcard-html"),
    pytest.param("application/json;q=0.1, text/html", "text/html", id="html-preferred"),
]

NOT_ACCEPTABLE = [
    pytest.param("image/png", id="image"),
    pytest.param("text/html;q=0, application/json;q=0", id="both-refused"),
]


@pytest.mark.parametrize(("accept", "expected"), NEGOTIATION)
def test_accept_chooses_the_representation(client: httpx.Client, accept: str | None, expected: str) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    if accept is None:
        # httpx sends Accept: */* unless told otherwise; a request may carry no Accept at all.
        request = client.build_request("GET", "/")
        del request.headers["accept"]
        response = client.send(request)
    else:
        response = client.get("/", headers=headers)
    assert response.status_code == 200
    assert media_type(response) == expected
    assert "accept" in {v.strip().lower() for v in response.headers["vary"].split(",")}
    if expected == "application/json":
        assert response.json()["openapi"] == "/openapi.json"
    else:
        assert response.text.startswith("<!doctype html>")


@pytest.mark.parametrize("accept", NOT_ACCEPTABLE)
def test_406_when_accept_allows_neither(client: httpx.Client, accept: str) -> None:
    response = client.get("/", headers={"Accept": accept})
    body = assert_problem(response, 406)
    assert "application/json" in body["detail"]
    assert "text/html" in body["detail"]
    assert "accept" in {v.strip().lower() for v in response.headers["vary"].split(",")}


def _endpoints(listing: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    techniques = listing["techniques"]
    return {
        (e["method"], e["path"]): {**e, "technique": t["technique"]}
        for t in techniques
        for e in t["endpoints"]
    }


# Routes that exist today, with the module (= technique) they live in and a status they document.
KNOWN = [
    pytest.param("GET", "/", "index", "406", id="index"),
    pytest.param("GET", "/success", "demos.tutorial", "200", id="success"),
    pytest.param("GET", "/wrong", "demos.tutorial", "404", id="wrong"),
    pytest.param("GET", "/healthz", "health", "200", id="healthz"),
    pytest.param("GET", "/openapi.json", "openapi", "200", id="openapi"),
    pytest.param("GET", "/demos/handlers/unhandled", "demos.handlers", "500", id="unhandled"),
]


@pytest.mark.parametrize(("method", "path", "technique", "status"), KNOWN)
def test_json_lists_known_routes_by_technique(
    client: httpx.Client, method: str, path: str, technique: str, status: str
) -> None:
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    endpoint = _endpoints(response.json())[(method, path)]
    assert endpoint["technique"] == technique
    assert status in endpoint["statuses"]
    assert endpoint["summary"]
    assert any(line.endswith(f" http://127.0.0.1:8000{path}") for line in endpoint["curl"])


def test_every_documented_operation_is_listed(client: httpx.Client) -> None:
    # The index is built from the contract: nothing in /openapi.json is missing from it, nothing added.
    spec = client.get("/openapi.json").json()
    # CORS preflights are the same on every route (test_cors.py): the index leaves them out.
    documented = {
        (m.upper(), p)
        for p, item in spec["paths"].items()
        for m, op in item.items()
        if not op.get("x-cors-preflight")
    }
    listed = _endpoints(client.get("/", headers={"Accept": "application/json"}).json())
    assert set(listed) == documented


def _csp(response: httpx.Response) -> dict[str, list[str]]:
    return {
        d.split()[0]: d.split()[1:]
        for d in response.headers["content-security-policy"].split(";")
        if d.strip()
    }


def test_explorer_csp_allows_only_its_own_files(client: httpx.Client) -> None:
    response = client.get("/", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    csp = _csp(response)
    assert csp["default-src"] == ["'none'"]
    # Its own script, stylesheet and origin only: no 'unsafe-inline', no 'unsafe-eval', no other host.
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    page = response.text.lower()
    assert "<style" not in page
    assert " style=" not in page
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None  # every script is a file
    assert re.search(r"<[a-z][^>]*\son[a-z]+=", page) is None  # no inline event handler either


def test_explorer_assets_are_versioned_and_cached_long(client: httpx.Client) -> None:
    page = client.get("/", headers={"Accept": BROWSER}).text
    scripts = re.findall(r'<script src="([^"]+)"', page)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert len(scripts) == 1
    assert len(styles) == 1
    for url, media in ((scripts[0], "text/javascript"), (styles[0], "text/css")):
        assert re.fullmatch(r"/static/[\w.-]+\?v=[0-9a-f]{8,}", url)  # same origin, content-versioned
        response = client.get(html.unescape(url))
        assert response.status_code == 200
        assert media_type(response) == media
        assert response.headers["x-content-type-options"] == "nosniff"
        cache = {part.strip() for part in response.headers["cache-control"].split(",")}
        max_age = next(int(part.split("=")[1]) for part in cache if part.startswith("max-age="))
        assert max_age >= 30 * 24 * 3600
        assert "no-cache" not in cache
        assert "no-store" not in cache


@pytest.mark.parametrize(
    ("accept_encoding", "encoding"),
    [
        pytest.param("gzip, deflate", "gzip", id="gzip"),
        pytest.param("identity", None, id="identity"),
        pytest.param("gzip;q=0, identity", None, id="gzip-refused"),
    ],
)
def test_explorer_is_gzipped_when_the_client_takes_it(
    client: httpx.Client, accept_encoding: str, encoding: str | None
) -> None:
    response = client.get("/", headers={"Accept": BROWSER, "Accept-Encoding": accept_encoding})
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == encoding
    assert response.text.startswith("<!doctype html>")  # httpx decodes gzip itself
    sent = int(response.headers["content-length"])
    if encoding == "gzip":
        assert sent * 4 < len(response.content)  # the wire carries a fraction of the page
    else:
        assert sent == len(response.content)
    assert {"accept", "accept-encoding"} <= {v.strip().lower() for v in response.headers["vary"].split(",")}


@pytest.mark.parametrize(
    ("accept_encoding", "encoding"),
    [
        pytest.param("gzip, deflate", "gzip", id="gzip"),
        pytest.param("identity", None, id="identity"),
        pytest.param("gzip;q=0, identity", None, id="gzip-refused"),
    ],
)
def test_explorer_assets_are_gzipped_when_the_client_takes_them(
    client: httpx.Client, accept_encoding: str, encoding: str | None
) -> None:
    page = client.get("/", headers={"Accept": BROWSER}).text
    for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        response = client.get(html.unescape(url), headers={"Accept-Encoding": accept_encoding})
        assert response.headers.get("content-encoding") == encoding
        assert "accept-encoding" in response.headers["vary"].lower()
        sent = int(response.headers["content-length"])
        assert sent * 2 < len(response.content) if encoding else sent == len(response.content)
        # Revalidation: the ETag of this encoding gets 304 (RFC 9110 §13.1.2), with no body.
        again = client.get(
            html.unescape(url),
            headers={"Accept-Encoding": accept_encoding, "If-None-Match": response.headers["etag"]},
        )
        assert (again.status_code, again.content) == (304, b"")


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


CLIENT_GROUPS = ["echo", "auth", "cookies", "redirects", "caching", "bodies", "compression", "websocket"]


def test_explorer_lists_the_routes_for_testing_clients_by_group(client: httpx.Client) -> None:
    page = client.get("/", headers={"Accept": BROWSER}).text
    part = page[
        page.index('<section id="clients"') : page.index("</section>", page.index('<section id="clients"'))
    ]
    assert "For testing clients" in part
    found = re.findall(r'<details id="clients-([\w-]+)"', part)
    assert found[: len(CLIENT_GROUPS)] == CLIENT_GROUPS
    # A card there: its curl line and Send, not its code (tools, not lessons: the first load stays light).
    card = part[
        part.index('<article id="get-get"') : part.index("</article>", part.index('<article id="get-get"'))
    ]
    assert "curl -s &#39;http://127.0.0.1:8000/get?a=1&amp;a=2&amp;b=3&#39;" in card
    assert '<form class="send" hidden>' in card
    assert 'class="code"' not in card


def test_explorer_shows_each_view_own_code_and_curl(client: httpx.Client) -> None:
    page = client.get("/", headers={"Accept": BROWSER}).text
    text = _text(page)
    # The tutorial's /wrong, as written in the service (its README claim: a string status).
    assert 'return "Error", "404"' in text
    assert "def wrong()" in text
    assert "curl -i http://127.0.0.1:8000/wrong" in text
    # Without JavaScript a GET endpoint is a plain link; the Send forms start hidden.
    assert '<a href="/wrong">/wrong</a>' in page
    assert '<form class="send" hidden>' in page
    assert "<main>" in page
    assert '<a class="skip" href="#lessons">' in page
    # Each lesson is a <details> (one line until opened, without JavaScript too), reachable by its name.
    assert '<details id="tutorial" class="lesson"' in page
    assert "<pre tabindex" not in page  # code blocks wrap instead of scrolling: no bare tab stops
    # Autoescaped: an intro's apostrophe ("container's") arrives as an entity.
    assert "The container&#39;s liveness check" in page


def test_explorer_shows_the_handler_behind_a_custom_4xx(client: httpx.Client) -> None:
    # The 409 card shows the exception class and the @errorhandler that turns it into the answer.
    text = _text(client.get("/", headers={"Accept": BROWSER}).text)
    card = text[text.index("POST /demos/handlers/conflict\n409 Conflict") :][:4000]
    assert "class ResourceConflict(Exception):" in card
    assert "@bp.app_errorhandler(ResourceConflict)" in card
    assert "def handle_conflict(" in card
    assert "@documented" not in card


def test_explorer_indexes_every_status_by_code(client: httpx.Client) -> None:
    page = client.get("/", headers={"Accept": BROWSER}).text
    for code, section in (("201", "15.3.2"), ("404", "15.5.5"), ("503", "15.6.4")):
        row = page[page.index(f'<tr id="status-{code}"') :].split("</tr>")[0]
        assert f"rfc9110#section-{section}" in row
    assert 'href="#status-103"' in page


# The learning order the issue asks for, by module name: the seed's four routes first, then /status and
# its neighbours for client testing (issue 18): the redirect chain and the echo it ends on; then the
# attempt log a sequence's retries are read back from (issue 27).
LESSONS = [
    "tutorial",
    "tuples",
    "responses",
    "aborts",
    "handlers",
    "redirects",
    "success",
    "conditional",
    "client_errors",
    "automatic",
    "streaming",
    "early_hints",
    "pitfalls",
    "handler_mistakes",
    "view_mistakes",
    "status",
    "sequences",
    # Then the routes for testing clients (issue 25), group by group (service/httpbin/routes.py).
    "echo",
    "auth",
    "cookies",
    "redirects",
    "caching",
    "bodies",
    "compression",
    "websocket",
]


def test_every_technique_has_a_title_in_learning_order(client: httpx.Client) -> None:
    techniques = client.get("/", headers={"Accept": "application/json"}).json()["techniques"]
    for technique in techniques:
        assert isinstance(technique["title"], str), technique["technique"]
        assert technique["title"], technique["technique"]
        assert technique["intro"], technique["technique"]
    names = [t["technique"].rsplit(".", 1)[-1] for t in techniques]
    assert names[: len(LESSONS)] == LESSONS


@pytest.mark.parametrize(
    "accept", [pytest.param("application/json", id="json"), pytest.param(BROWSER, id="html")]
)
def test_head_is_empty(client: httpx.Client, accept: str) -> None:
    response = client.head("/", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.content == b""
    assert media_type(response) in {"application/json", "text/html"}
    assert int(response.headers["content-length"]) > 0  # the GET's length, as RFC 9110 allows for HEAD


def test_contract_offers_both_representations(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    responses = spec["paths"]["/"]["get"]["responses"]
    assert set(responses) == {"200", "406"}
    assert set(responses["200"]["content"]) == {"application/json", "text/html"}
    assert set(responses["406"]["content"]) == {"application/problem+json"}
    # Each module (technique) is a tag, described by the module's opening sentence.
    assert {"index", "demos.tutorial", "health", "openapi"} <= {tag["name"] for tag in spec["tags"]}


def test_run_worker_carries_its_own_closed_csp(client: httpx.Client) -> None:
    # The page adds only worker-src 'self'; WebAssembly is allowed on the worker's own response (a
    # dedicated worker obeys the policy its script arrived with), and there only this origin is reachable.
    response = client.get("/", headers={"Accept": BROWSER})
    found = dict(re.findall(r'data-run-(worker|pyodide|zip|editor)="([^"]+)"', response.text))
    if not found:
        pytest.skip("this server has no Edit and Run files (the image builds them; see the Dockerfile)")
    page_csp = _csp(response)
    assert page_csp["worker-src"] == ["'self'"]
    assert "'wasm-unsafe-eval'" not in response.headers["content-security-policy"]
    worker = client.get(html.unescape(found["worker"]))
    assert worker.status_code == 200
    assert media_type(worker) == "text/javascript"
    assert _csp(worker) == {
        "default-src": ["'none'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'"],
        "connect-src": ["'self'"],
    }
    editor = client.get(html.unescape(found["editor"]))
    assert media_type(editor) == "text/javascript"
    assert "content-security-policy" not in editor.headers  # only the worker's answer carries one
    for name, media in (("pyodide.mjs", "text/javascript"), ("pyodide.asm.wasm", "application/wasm")):
        assert media_type(client.get(found["pyodide"] + name)) == media
    archive = client.get(html.unescape(found["zip"]))
    assert archive.status_code == 200
    assert archive.content.startswith(b"PK")  # Flask and the lessons, as a zip


def test_run_files_go_gzipped_to_a_browser_and_whole_to_others(client: httpx.Client) -> None:
    # The image keeps Pyodide's WebAssembly and the editor's bundle gzipped only: a browser gets those
    # bytes (Content-Encoding: gzip), a client that takes no gzip the whole file.
    page = client.get("/", headers={"Accept": BROWSER}).text
    found = dict(re.findall(r'data-run-(pyodide|editor|stdlib)="([^"]+)"', page))
    if not found:
        pytest.skip("this server has no Edit and Run files (the image builds them; see the Dockerfile)")
    wasm = found["pyodide"] + "pyodide.asm.wasm"
    zipped = client.get(wasm, headers={"Accept-Encoding": "gzip"})  # httpx unzips what it is sent
    assert zipped.headers["content-encoding"] == "gzip"
    assert media_type(zipped) == "application/wasm"
    assert int(zipped.headers["content-length"]) * 2 < len(zipped.content)
    assert "accept-encoding" in zipped.headers["vary"].lower()
    whole = client.get(wasm, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in whole.headers
    assert whole.content == zipped.content
    assert whole.content.startswith(b"\0asm")
    editor = client.get(html.unescape(found["editor"]), headers={"Accept-Encoding": "gzip"})
    assert (editor.status_code, editor.headers["content-encoding"]) == (200, "gzip")
    assert media_type(editor) == "text/javascript"  # CodeMirror and the panel, bundled
    stdlib = client.get(html.unescape(found["stdlib"]))
    assert stdlib.content.startswith(b"PK")  # Pyodide's standard library, compiled, as a zip
