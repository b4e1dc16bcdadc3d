"""The code a lesson card shows: the view as a learner would write it, and what it relies on, read live.

From the running code (inspect), never retyped: the view without its docstring (the card's prose
already says it), without @documented (this project's contract decorator, not Flask's) and without lint
pragmas; then "used here" blocks for the service's own helpers, exception classes and decorators the
view names, and the error handlers that answer for it — its blueprint's and the app's.
"""

import ast
import inspect
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import Flask
from werkzeug.exceptions import HTTPException

# Trailing lint pragmas, with any comment after them: they are for this project's linters, not lessons.
PRAGMA = re.compile(r"\s*# (?:type: ?ignore|noqa)\b.*$")
# Decorators that are the project's own plumbing (the contract, CORS's preflight check), not the lesson.
PLUMBING = {"documented", "preflight_if"}
MAX_USED = 6  # used-here blocks per card: the closest ones, so a card stays a lesson


@dataclass(frozen=True)
class Block:
    """One piece of code: a title (where it lives) and its cleaned source."""

    title: str
    source: str


def _decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    return target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")


@cache
def clean(obj: Any) -> str:
    """The source of a function or class without docstrings, @documented, routes' pragmas."""
    source = textwrap.dedent(inspect.getsource(obj))
    tree = ast.parse(source)
    node = tree.body[0]
    drop: set[int] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = inner.body[0]
            docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            # A body that is only a docstring keeps it: without it the class would not parse.
            if docstring and isinstance(first.value.value, str) and len(inner.body) > 1:  # type: ignore[attr-defined]
                drop.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        for decorator in node.decorator_list:
            if _decorator_name(decorator) in PLUMBING:
                drop.update(range(decorator.lineno, (decorator.end_lineno or decorator.lineno) + 1))
    lines = [PRAGMA.sub("", line) for number, line in enumerate(source.splitlines(), 1) if number not in drop]
    return "\n".join(lines).rstrip() + "\n"


@cache  # a handler such as problem() is asked about once per card that uses it
def _names(obj: Any) -> tuple[str, ...]:
    """Every bare name the object's code mentions, in order of appearance."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(obj)))
    return tuple(dict.fromkeys(node.id for node in ast.walk(tree) if isinstance(node, ast.Name)))


def _own(value: Any) -> bool:
    """A function or class written in this service (not Flask's, not the contract plumbing)."""
    module = getattr(value, "__module__", "") or ""
    return (
        (inspect.isfunction(value) or inspect.isclass(value))
        and module.startswith("service.")
        and not module.startswith(("service.contract", "service.pipeline.cors"))
    )


def _chain(endpoint: str) -> list[str | None]:
    """The view's blueprints, innermost first, then the app (None): the order Flask asks them in."""
    parts = endpoint.split(".")[:-1]
    return [*(".".join(parts[:i]) for i in range(len(parts), 0, -1)), None]


def _answering(app: Flask, endpoint: str, raised: type) -> Callable[..., Any] | None:
    """The handler Flask picks for this exception class: by code first, then by class, innermost first."""
    code = getattr(raised, "code", None) if issubclass(raised, HTTPException) else None
    for key in (code, None) if code else (None,):
        for name in _chain(endpoint):
            handler_map = app.error_handler_spec.get(name, {}).get(key) or {}
            for cls in raised.__mro__:
                if cls in handler_map:
                    return handler_map[cls]
    return None


def _raised(obj: Any) -> Iterator[type]:
    """The exception classes the code names, and HTTPException where it calls abort()."""
    scope = getattr(obj, "__globals__", {})
    for name in _names(obj):
        value = scope.get(name)
        if name == "abort":
            yield HTTPException
        elif inspect.isclass(value) and issubclass(value, BaseException):
            yield value


def used_here(app: Flask, endpoint: str, view: Callable[..., Any]) -> list[Block]:
    """What the view relies on, closest first: its helpers, their helpers, then the handlers that answer."""
    found: list[Any] = []

    def visit(obj: Any, depth: int) -> None:
        scope = getattr(obj, "__globals__", None) or vars(inspect.getmodule(obj) or object)
        for name in _names(obj):
            value = scope.get(name)
            value = getattr(value, "__wrapped__", value)
            if value is not view and value not in found and _own(value):
                found.append(value)
                if depth < 1 and inspect.isfunction(value):
                    visit(value, depth + 1)

    code = inspect.unwrap(view)
    visit(code, 0)
    # The lesson's own handlers for this view's blueprints, then whichever handler answers what it raises.
    handlers = [
        h
        for name in _chain(endpoint)
        for by_class in app.error_handler_spec.get(name, {}).values()
        for h in by_class.values()
        if name is not None and h.__module__ == view.__module__
    ]
    for obj in [code, view, *(f for f in found if inspect.isfunction(f))]:
        for raised in _raised(obj):
            handler = _answering(app, endpoint, raised)
            if handler is not None and handler not in handlers:
                handlers.append(handler)
    for handler in handlers:
        if handler not in found:
            found.append(handler)
            visit(handler, 1)  # what the handler itself calls (problem(), say), not deeper
    blocks = [Block(f"{obj.__name__} ({obj.__module__.replace('.', '/')}.py)", clean(obj)) for obj in found]
    return blocks[:MAX_USED]
