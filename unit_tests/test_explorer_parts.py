"""The explorer's pieces in-process: every technique has a title, curl lines become the right requests."""

from typing import Any

import pytest

from service.app import create_app
from service.catalogue import CATALOGUE
from service.contract import openapi
from service.explorer.lesson_code import clean, used_here
from service.explorer.page import parse_curl, prose, sections


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app()


def test_every_tag_with_routes_is_a_catalogue_entry_with_a_title(app: Any) -> None:
    spec = openapi.spec(app)
    tags = {
        op["tags"][0]
        for item in spec["paths"].values()
        for op in item.values()
        if not op.get("x-cors-preflight")
    }
    titled = {entry.tag for entry in CATALOGUE if entry.title and entry.intro}
    assert tags - titled == set()


def test_every_documented_view_is_on_the_page_once(app: Any) -> None:
    shown = [(e.path, m) for s in sections(app) for g in s["groups"] for e in g for m in e.methods]
    spec = openapi.spec(app)
    documented = [
        (path, method.upper())
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if not op.get("x-cors-preflight")
    ]
    assert sorted(shown) == sorted(documented)


CURL = [
    pytest.param("curl -i http://127.0.0.1:8000/wrong", "GET", "/wrong", [], None, id="get"),
    pytest.param("curl -i -X DELETE http://127.0.0.1:8000/x/1", "DELETE", "/x/1", [], None, id="method"),
    pytest.param(
        "curl -i 'http://127.0.0.1:8000/status/200:3,503:1?delay=0.5'",
        "GET",
        "/status/200:3,503:1?delay=0.5",
        [],
        None,
        id="quoted-url",
    ),
    pytest.param(
        "curl -i -H 'Accept: image/png' http://127.0.0.1:8000/n",
        "GET",
        "/n",
        ["Accept: image/png"],
        None,
        id="header",
    ),
    pytest.param(
        "curl -i -X POST -d hello http://127.0.0.1:8000/r/307",
        "POST",
        "/r/307",
        ["Content-Type: application/x-www-form-urlencoded"],
        "hello",
        id="data-keeps-curl-default-type",
    ),
    pytest.param(
        """curl -i -H 'Content-Type: application/json' -d '{"a": 1}' http://127.0.0.1:8000/o""",
        "POST",
        "/o",
        ["Content-Type: application/json"],
        '{"a": 1}',
        id="data-implies-post",
    ),
    pytest.param(
        "curl -i -u demo:pw http://127.0.0.1:8000/p",
        "GET",
        "/p",
        ["Authorization: Basic ZGVtbzpwdw=="],
        None,
        id="basic-auth",
    ),
    pytest.param("curl -i --max-time 5 http://127.0.0.1:8000/f", "GET", "/f", [], None, id="max-time"),
    pytest.param("curl -s http://127.0.0.1:8000/", "GET", "/", [], None, id="root"),
]


@pytest.mark.parametrize(("line", "method", "url", "headers", "body"), CURL)
def test_parse_curl(line: str, method: str, url: str, headers: list[str], body: str | None) -> None:
    example = parse_curl(line)
    assert (example.method, example.url, example.headers, example.body) == (method, url, headers, body)
    assert example.simple == (method == "GET" and not headers and body is None)


def _view(app: Any, endpoint: str) -> Any:
    return app.view_functions[endpoint]


def test_shown_code_has_no_docstring_contract_decorator_or_pragma(app: Any) -> None:
    shown = clean(_view(app, "pitfalls.reason_only_wrong"))
    assert shown.startswith('@bp.get("/reason-only/wrong")\n')
    assert '"""' not in shown
    assert "@documented" not in shown
    assert "type: ignore" not in shown
    assert 'return "Not here", "NOT FOUND"' in shown


HANDLERS = "service/demos/ways/error_handlers.py"
HANDLER_MISTAKES = "service/demos/mistakes/handler_mistakes.py"


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        pytest.param(
            "error_handlers.conflict",
            [f"ResourceConflict ({HANDLERS})", f"handle_conflict ({HANDLERS})"],
            id="409",
        ),
        pytest.param(
            "success.item",
            [
                "_checked (service/demos/meanings/success.py)",
                "handle_http_exception (service/pipeline/errors.py)",
            ],
            id="abort",
        ),
        pytest.param(
            "handler_mistakes.no_status_wrong.order_wrong",
            [f"OutOfStock ({HANDLER_MISTAKES})", f"out_of_stock_without_status ({HANDLER_MISTAKES})"],
            id="blueprint-handler",
        ),
        pytest.param(
            "view_mistakes.decorator_status_wrong",
            ["seen_status_wrong (service/demos/mistakes/view_mistakes.py)"],
            id="decorator",
        ),
    ],
)
def test_used_here_names_what_the_view_relies_on(app: Any, endpoint: str, expected: list[str]) -> None:
    titles = [block.title for block in used_here(app, endpoint, _view(app, endpoint))]
    assert [title for title in titles if title in expected] == expected


def test_prose_renders_markup_and_links_paths() -> None:
    html = str(prose("See `abort()` and *string* at /demos/x/{id}, or /wrong.", {r"/wrong": "get-wrong"}))
    assert "<code>abort()</code>" in html
    assert "<em>string</em>" in html
    assert '<a href="#get-wrong">/wrong</a>.' in html
    assert '<a href="/demos/x/{id}">/demos/x/{id}</a>,' in html
    assert str(prose("<b>", {})) == "&lt;b&gt;"
