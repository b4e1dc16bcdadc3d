"""Run one lesson card's code, as edited by a learner, with real Flask: the code behind the page's Run.

It runs in the learner's browser (Pyodide in a Web Worker: editor/src/worker.js), never in
the service: no route accepts code. The unit suite runs it in CPython too, to check that an unchanged
card answers as the service does.

The small app around the edited code is the lesson's own module, executed afresh: its source up to the
view, then the learner's code in place of the view (compiled as "your code", so Python's messages count
lines as the editor does), then the rest of the module; then a Flask app with the service's problem+json
error handlers (service/pipeline/errors.py) and the lesson's blueprint (every lesson's when the code
calls url_for()), and the card's request through
Werkzeug's test client. What the service adds to every answer after the view (the headers its pipeline
names, service/pipeline's Steps.adds, which the page states) is not part of a lesson and is not added here.
What the code prints (stdout and stderr, while the module is built and the request answered) is kept,
up to PRINTED_LIMIT, and shown beside the answer.
"""

import contextlib
import importlib.metadata
import importlib.util
import io
import json
import logging
import traceback
import types
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.logging import default_handler

from service.pipeline import errors

YOUR_CODE = "your code"  # the file name Python's messages give the learner's code
BODY_LIMIT = 64 * 1024  # characters of body handed back to the page: an answer, not a download
PRINTED_LIMIT = 8 * 1024  # characters of what the code printed: a loop of print() is not a download


@dataclass(frozen=True)
class Card:
    """Where a card's view lives: its module, its lines there (decorators included), its blueprint."""

    module: str
    start: int
    end: int
    blueprint: str

    @classmethod
    def parse(cls, text: str) -> "Card":
        """From the page's data-run attribute, module:start:end:blueprint."""
        module, start, end, blueprint = text.split(":")
        return cls(module, int(start), int(end), blueprint)


class _Caught(logging.Handler):
    """Keeps the exception the problem+json catch-all logs: the learner sees Python's message for it."""

    def __init__(self) -> None:
        super().__init__()
        self.exc_info: Any = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and self.exc_info is None:
            self.exc_info = record.exc_info


class _Printed(io.TextIOBase):
    """Where print() writes during a Run: the first PRINTED_LIMIT characters, and how many came."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: list[str] = []
        self.room = PRINTED_LIMIT
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.count += len(text)
        if self.room > 0:
            self.kept.append(text[: self.room])
            self.room -= len(self.kept[-1])
        return len(text)

    def text(self) -> str:
        kept = "".join(self.kept)
        return kept if self.count <= PRINTED_LIMIT else f"{kept}\n… ({self.count} characters printed)"


def python_message(exc: BaseException) -> str:
    """Python's own message for an exception, with only the frames in the learner's code."""
    found = traceback.TracebackException.from_exception(exc)
    mine = [frame for frame in found.stack if frame.filename == YOUR_CODE]
    found.stack = traceback.StackSummary.from_list(mine)
    lines = list(found.format())
    if not mine and lines and lines[0].startswith("Traceback"):
        lines = lines[1:]  # raised outside the learner's code: the message alone
    return "".join(lines).rstrip()


def _module(card: Card, code: str) -> tuple[types.ModuleType, str]:
    """The lesson's module, built afresh with the learner's code in place of the view, and its source."""
    spec = importlib.util.find_spec(card.module)
    # From its loader: a file in CPython, an entry of python.zip in the browser (zipimport).
    text = spec.loader.get_source(card.module) if spec and spec.loader and spec.origin else None  # type: ignore[attr-defined]
    if spec is None or spec.origin is None or text is None:
        raise LookupError(f"no module {card.module}")
    lines = text.splitlines(keepends=True)
    before = "".join(lines[: card.start - 1])
    # The rest keeps its own line numbers, so a message about it points at the module's real lines.
    after = "\n" * card.end + "".join(lines[card.end :])
    module = types.ModuleType(card.module)
    module.__file__ = spec.origin
    module.__package__ = card.module.rpartition(".")[0]
    namespace = vars(module)
    exec(compile(before, spec.origin, "exec"), namespace)  # noqa: S102  # the lesson's own code
    exec(compile(code, YOUR_CODE, "exec"), namespace)  # noqa: S102  # in the learner's browser only
    exec(compile(after, spec.origin, "exec"), namespace)  # noqa: S102
    return module, before + code + after


def _blueprints(card: Card, module: types.ModuleType, lessons: list[str], source: str) -> list[Any]:
    """The card's blueprint, from the module just built; and when the code calls url_for() (which may name
    another lesson's route), every lesson's in the service's order, the others as written. Registering
    a blueprint compiles its routes, most of a Run's time in Pyodide when all ~80 are registered."""
    own = f"{card.module}:{card.blueprint}"
    found = []
    for entry in lessons if "url_for" in source else [own]:
        name, _, attribute = entry.partition(":")
        home = module if name == card.module else importlib.import_module(name)
        found.append(getattr(home, attribute))
    return found


def run(
    card: Card,
    code: str,
    lessons: list[str],
    method: str = "GET",
    url: str = "/",
    headers: list[tuple[str, str]] | None = None,
    body: str = "",
) -> dict[str, Any]:
    """The answer the card's request gets from the app built around `code`, or Python's message.

    Returns {"status", "reason", "headers", "body", "error", "printed"}: "error" is Python's message when
    the code does not compile or run (then status is None), or when the view raised and Flask answered
    500; "printed" what the code wrote to stdout and stderr.
    """
    printed = _Printed()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        answer = _answer(card, code, lessons, method, url, headers or [], body)
    return {**answer, "printed": printed.text()}


def _answer(
    card: Card,
    code: str,
    lessons: list[str],
    method: str,
    url: str,
    headers: list[tuple[str, str]],
    body: str,
) -> dict[str, Any]:
    failed: dict[str, Any] = {"status": None, "reason": "", "headers": [], "body": ""}
    try:
        module, source = _module(card, code)
    except BaseException as exc:  # a learner's code may raise anything, SystemExit included
        return {**failed, "error": python_message(exc)}
    app = Flask(card.module)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # as the service's app: keys as written
    errors.register(app)
    caught = _Caught()
    # Not Flask's own handler, which would print the exception's traceback (the runner's frames too)
    # among what the learner's code printed: the error part shows Python's message.
    app.logger.removeHandler(default_handler)
    app.logger.addHandler(caught)
    app.logger.propagate = False  # the worker's console is not the learner's answer
    try:
        for blueprint in _blueprints(card, module, lessons, source):
            app.register_blueprint(blueprint)
        client = app.test_client()
        data = body.encode() if body and method not in ("GET", "HEAD") else None
        response = client.open(url, method=method, headers=headers, data=data)
        text = response.get_data(as_text=True)
    except BaseException as exc:
        return {**failed, "error": python_message(exc)}
    finally:
        app.logger.removeHandler(caught)  # the logger is the module's, by name: it outlives this app
    if len(text) > BODY_LIMIT:
        text = text[:BODY_LIMIT] + f"\n… ({len(text)} characters)"
    error = python_message(caught.exc_info[1]) if caught.exc_info else None
    return {
        "status": response.status_code,
        "reason": response.status.partition(" ")[2],
        "headers": [[name, value] for name, value in response.headers.items()],
        "body": text,
        "error": error,
    }


def run_json(text: str) -> str:
    """run() for the browser's worker: its arguments and its answer as JSON text."""
    asked = json.loads(text)
    answer = run(
        Card.parse(asked["card"]),
        asked["code"],
        asked["lessons"],
        asked["method"],
        asked["url"],
        [(name, value) for name, value in asked["headers"]],
        asked["body"],
    )
    return json.dumps(answer)


def versions() -> dict[str, str]:
    """The versions Run uses, for the page to name: the same as the service's (requirements.lock)."""
    return {name: importlib.metadata.version(name) for name in ("flask", "werkzeug")}
