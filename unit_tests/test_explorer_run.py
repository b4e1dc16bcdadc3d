"""Run's runner in CPython: an unchanged card answers as the service does; an edit, an error, a handler.

The browser suite runs the same runner in Pyodide against the container; here it runs in-process, so a
lesson that stops agreeing with its card's Run fails fast, before any image is built.
"""

import importlib
import importlib.metadata
import importlib.util
import inspect
import json
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import pytest

from service.app import create_app
from service.explorer import page as explorer_page
from service.explorer import runnable, runner
from service.explorer.lesson_code import clean
from service.explorer.page import sections

PER_ANSWER = {"date", "content-length"}
ID = re.compile(r"[0-9a-f]{32}")  # a new item's id: a new one on every answer


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app()


def _cards(app: Any) -> list[tuple[Any, runner.Card]]:
    return [
        (endpoint, runner.Card.parse(endpoint.run[1]))
        for section in sections(app)
        for group in section["groups"]
        for endpoint in group
        if endpoint.run[0] == "run"
    ]


def _code(card: runner.Card) -> str:
    """The card's code as the page shows it (clean(), dedented), found by its module and first line."""
    module = importlib.import_module(card.module)
    for value in vars(module).values():
        unwrapped = inspect.unwrap(value) if callable(value) else value
        mine = inspect.isfunction(unwrapped) and unwrapped.__module__ == card.module
        if mine and inspect.getsourcelines(unwrapped)[1] == card.start:
            return textwrap.dedent(clean(value))
    raise LookupError(card)


def _headers(pairs: list[tuple[str, str]]) -> list[str]:
    return sorted(f"{n.lower()}: {ID.sub('<id>', v)}" for n, v in pairs if n.lower() not in PER_ANSWER)


def test_every_unchanged_card_runs_as_the_service_answers(app: Any) -> None:
    # The headers the pipeline says it adds after the view (the claim the page states under every Run)
    # are left out of the service's answer; together they are exactly what the service has more.
    adds = {name.lower() for name in app.extensions["pipeline"].adds}
    client = app.test_client()
    lessons = runnable.blueprints(app).split()
    checked = 0
    more: set[str] = set()
    for endpoint, card in _cards(app):
        example = endpoint.examples[0]
        headers = [(n.strip(), v.strip()) for n, v in (h.split(":", 1) for h in example.headers)]
        ran = runner.run(card, _code(card), lessons, example.method, example.url, headers, example.body or "")
        real = client.open(example.url, method=example.method, headers=headers, data=example.body)
        assert ran["status"] == real.status_code, (example.url, ran)
        lesson_headers = [(n, v) for n, v in real.headers.items() if n.lower() not in adds]
        assert _headers(ran["headers"]) == _headers(lesson_headers), example.url
        more |= {n.lower() for n, _ in real.headers.items()} - {n.lower() for n, _ in ran["headers"]}
        checked += 1
    assert checked > 60
    assert more == adds


def test_the_page_states_the_headers_run_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Stated only where Edit and Run are (the image builds their files): as if they were here.
    monkeypatch.setattr(explorer_page, "run_files", lambda: dict.fromkeys(explorer_page.RUN_FILES, "/x"))
    app = create_app()
    page = app.test_client().get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f'data-run-adds="{" ".join(app.extensions["pipeline"].adds)}"' in page
    assert 'data-run-server-adds="Date Server Connection"' in page


def test_what_the_code_prints_comes_back_bounded(app: Any) -> None:
    lines = ['print("from the view")', "import sys", 'print("to stderr", file=sys.stderr)']
    lines.append('return "Error", "404"')
    view = "\n    ".join(lines)
    code = _code(_wrong(app)).replace('return "Error", "404"', view)
    ran = runner.run(_wrong(app), "print('while building')\n" + code, [], "GET", "/wrong")
    assert ran["status"] == 404
    assert ran["printed"] == "while building\nfrom the view\nto stderr\n"
    many = code.replace('print("from the view")', 'print("x" * 100_000)')
    printed = runner.run(_wrong(app), many, [], "GET", "/wrong")["printed"]
    assert printed.startswith("x" * runner.PRINTED_LIMIT)
    assert printed.endswith(f"… ({100_001 + len('to stderr') + 1} characters printed)")
    assert len(printed) < runner.PRINTED_LIMIT + 100


def test_an_exception_is_not_printed_twice(app: Any) -> None:
    # Flask's own log handler would print the traceback (the runner's frames too) among the prints.
    code = _code(_wrong(app)).replace('return "Error", "404"', "return missing")
    ran = runner.run(_wrong(app), code, [], "GET", "/wrong")
    assert ran["status"] == 500
    assert ran["printed"] == ""
    assert "NameError" in ran["error"]


def test_the_cards_that_cannot_run_say_why(app: Any) -> None:
    cannot = {
        endpoint.path: endpoint.run[1]
        for section in sections(app)
        if section["lesson"]
        for group in section["groups"]
        for endpoint in group
        if endpoint.run[0] == "cannot"
    }
    assert {"/demos/streaming/lines", "/demos/early-hints/preload", "/demos/pitfalls/final-1xx/wrong"} <= set(
        cannot
    )
    assert all(len(why) > 40 for why in cannot.values())


def _wrong(app: Any) -> runner.Card:
    return next(card for endpoint, card in _cards(app) if endpoint.path == "/wrong")


def test_an_int_status_in_wrong_still_answers_404(app: Any) -> None:
    code = _code(_wrong(app)).replace('"404"', "404")
    ran = runner.run(_wrong(app), code, runnable.blueprints(app).split(), "GET", "/wrong")
    assert ran["status"] == 404
    assert ran["body"] == "Error"
    assert ran["error"] is None


def test_a_syntax_error_is_pythons_message_with_the_editor_line(app: Any) -> None:
    code = _code(_wrong(app)).replace('return "Error", "404"', 'return "Error", (')
    ran = runner.run(_wrong(app), code, [], "GET", "/wrong")
    assert ran["status"] is None
    assert 'File "your code", line 3' in ran["error"]
    assert "SyntaxError" in ran["error"]


def test_an_exception_in_the_view_is_a_500_and_pythons_message(app: Any) -> None:
    code = _code(_wrong(app)).replace('return "Error", "404"', "return missing")
    ran = runner.run(_wrong(app), code, runnable.blueprints(app).split(), "GET", "/wrong")
    assert ran["status"] == 500
    assert 'File "your code", line 3, in wrong' in ran["error"]
    assert "NameError: name 'missing' is not defined" in ran["error"]


def test_a_custom_exception_reaches_its_handler(app: Any) -> None:
    card = next(card for endpoint, card in _cards(app) if endpoint.path == "/demos/handlers/conflict")
    code = _code(card).replace("'demo'", "'tea'")
    ran = runner.run(card, code, runnable.blueprints(app).split(), "POST", "/demos/handlers/conflict")
    assert ran["status"] == 409
    assert "An item named 'tea' already exists." in ran["body"]


def _python_zip() -> Any:
    """The image's build step, outside service/ (scripts/python_zip.py), loaded by its path."""
    spec = importlib.util.spec_from_file_location(
        "python_zip", Path(__file__).parent.parent / "scripts/python_zip.py"
    )
    assert spec is not None
    assert spec.loader is not None
    python_zip: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(python_zip)
    return python_zip


def test_the_zip_holds_the_pure_packages_and_the_lessons(tmp_path: Any) -> None:
    python_zip = _python_zip()
    names = zipfile.ZipFile(python_zip.write_zip(tmp_path)).namelist()
    for package in python_zip.PACKAGES:
        assert f"{package}/__init__.py" in names
    assert "service/demos/mistakes/tutorial.py" in names
    assert "service/explorer/runner.py" in names
    assert not [name for name in names if name.endswith((".so", ".pyc"))]


def test_the_runner_reads_a_lesson_from_the_zip_it_was_imported_from(app: Any, tmp_path: Any) -> None:
    # As in the browser: the lessons imported in place from python.zip (zipimport), their source read
    # through their loader. A fresh interpreter, outside the checkout, with the zip first on its path.
    archive = _python_zip().write_zip(tmp_path)
    card = _wrong(app)
    program = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(archive)!r})
        from service.explorer import runner
        assert runner.__file__.startswith({str(archive)!r}), runner.__file__
        card = runner.Card.parse({f"{card.module}:{card.start}:{card.end}:{card.blueprint}"!r})
        print(runner.run(card, {_code(card).replace('"404"', "404")!r}, [], "GET", "/wrong")["status"])
    """)
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-I", "-c", program], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout.strip()) == (0, "404"), done.stderr


def test_run_json_and_versions_are_what_the_worker_calls(app: Any) -> None:
    asked = {
        "card": f"{_wrong(app).module}:{_wrong(app).start}:{_wrong(app).end}:{_wrong(app).blueprint}",
        "code": _code(_wrong(app)),
        "lessons": runnable.blueprints(app).split(),
        "method": "GET",
        "url": "/wrong",
        "headers": [["Accept", "text/html"]],
        "body": "",
    }
    assert json.loads(runner.run_json(json.dumps(asked)))["status"] == 404
    assert runner.versions()["flask"] == importlib.metadata.version("flask")
