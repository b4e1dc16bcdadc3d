"""Which lesson cards can Run in the learner's browser, where each card's view lives, and the files Run needs.

A card's data-run attribute (module:start:end:blueprint) tells the browser's runner (runner.py) which
lines of which module the learner's code replaces and which blueprint to register. A card that cannot
run says why instead (data-cannot-run): what it teaches happens outside Flask, on the connection or in
Gunicorn's worker, which a test client in a browser does not have.

`python -m service.explorer.runnable DIR` writes DIR/python.zip for the image: the pure-Python packages
Run imports (Flask and its dependencies, as installed from requirements.lock; MarkupSafe without its
compiled speedups, which it does without) and the service modules the lessons import.
"""

import importlib
import inspect
import pkgutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
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
# The packages Run imports, as the image installs them; each a folder in site-packages.
PACKAGES = ("flask", "werkzeug", "jinja2", "markupsafe", "itsdangerous", "click", "blinker")
# Run imports the lesson modules and what they import (the contract's decorators, the pipeline's
# problem+json handlers); never the server, the explorer's page builders or the tester's routes.
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


def lesson_modules() -> list[str]:
    """Every service module Run imports: the lessons, what they import, the runner; run in a fresh process
    (python -m), so nothing else the service loads is counted."""
    import service.demos

    for found in pkgutil.walk_packages(service.demos.__path__, "service.demos."):
        importlib.import_module(found.name)
    importlib.import_module("service.explorer.runner")
    return sorted(name for name in sys.modules if name.startswith("service"))


def write_zip(target: Path) -> Path:
    """python.zip: the packages and the lesson modules, paths relative to site-packages."""
    import flask

    site = Path(flask.__file__).parent.parent
    root = Path(__file__).resolve().parent.parent.parent
    files: list[tuple[Path, str]] = []
    for package in PACKAGES:
        # The package and its metadata (importlib.metadata reads the version from it).
        folders = [site / package, *site.glob(f"{package}-*.dist-info")]
        for path in sorted(p for folder in folders for p in folder.rglob("*")):
            compiled = path.suffix in (".so", ".pyd", ".pyc")  # MarkupSafe falls back to pure Python
            if path.is_file() and not compiled and "__pycache__" not in path.parts:
                files.append((path, str(path.relative_to(site))))
    for name in lesson_modules():
        path = Path(sys.modules[name].__file__ or "").resolve()
        files.append((path, str(path.relative_to(root))))
    target.mkdir(parents=True, exist_ok=True)
    out = target / "python.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path, name in sorted(set(files), key=lambda pair: pair[1]):
            # A fixed date: the same files make the same zip, so its content hash (its URL) is stable.
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return out


if __name__ == "__main__":
    print(write_zip(Path(sys.argv[1])))
