"""Which lesson cards can Run in the learner's browser, where each card's view lives, and the files Run needs.

A card's data-run attribute (module:start:end:blueprint) tells the browser's runner (runner.py) which
lines of which module the learner's code replaces and which blueprint to register. A card that cannot
run says why instead (data-cannot-run): what it teaches happens outside Flask, on the connection or in
Gunicorn's worker, which a test client in a browser does not have.

The files Run loads are built into the image (the Dockerfile's editor stage; scripts/python_zip.py
writes python.zip), never by the service.
"""

import inspect
import sys
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask

# Lessons whose point is outside what a test client sees: the page says so on each of their cards.
CANNOT_RUN = {
    "streaming": "a streamed body, and a stream that breaks after the status is sent, are about the "
    "connection: a test client in your browser reads the whole body at once and has no connection to cut.",
    "early_hints": "a 103 Early Hints is written to the connection by Gunicorn's worker before the final "
    "answer; a test client in your browser has neither the worker nor the connection.",
}
# Single cards whose point is outside what a test client sees, by path.
CANNOT_RUN_PATH = {
    "/demos/pitfalls/final-1xx/wrong": "a 1xx as the final status breaks the connection: a client waits for "
    "a final answer that never comes. A test client in your browser has no connection; it would only "
    "hand back Flask's 103 object.",
}
# What Gunicorn adds to every answer, outside Flask: not in Run's answer either, and the page says so.
SERVER_ADDS = ("Date", "Server", "Connection")
# Only lessons run: the service's own routes (the tester, the explorer, /healthz) are not taught by a card.
LESSON_PACKAGES = ("service.demos",)


def card(app: Flask, endpoint: str, view: Callable[..., Any], lesson: str, path: str) -> tuple[str, str]:
    """("run", "module:start:end:blueprint") for a card that can run, else ("cannot", why)."""
    if lesson in CANNOT_RUN or path in CANNOT_RUN_PATH:
        return "cannot", CANNOT_RUN.get(lesson) or CANNOT_RUN_PATH[path]
    code = inspect.unwrap(view)
    module = inspect.getmodule(code)
    root = app.blueprints.get(endpoint.split(".")[0])
    name = next(
        (key for key, value in vars(module).items() if value is root and isinstance(value, Blueprint)),
        None,
    )
    if module is None or name is None or not module.__name__.startswith(LESSON_PACKAGES):
        return "cannot", "this route is the service's own, not a lesson's."
    lines, start = inspect.getsourcelines(code)
    return "run", f"{module.__name__}:{start}:{start + len(lines) - 1}:{name}"


def blueprints(app: Flask) -> str:
    """Every lesson's blueprint as module:name, in the service's order: Run registers them all."""
    found = []
    for entry in app.extensions["catalogue"]:
        module = sys.modules[entry.blueprint.import_name]
        name = next((key for key, value in vars(module).items() if value is entry.blueprint), None)
        if entry.lesson and name and module.__name__.startswith(LESSON_PACKAGES):
            found.append(f"{module.__name__}:{name}")
    return " ".join(found)
