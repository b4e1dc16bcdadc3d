"""The documented operations grouped by lesson, in the catalogue's order: the one grouping that both the
JSON index and the explorer page render.

Built from the OpenAPI document (openapi.spec(app)), so an endpoint appears as soon as its
route carries @documented(...); CORS preflights (x-cors-preflight) are left out, being the same for
every route (service/pipeline/cors.py).
"""

from dataclasses import dataclass
from typing import Any

from flask import Flask

from service.contract import openapi
from service.contract.paths import openapi_path


@dataclass(frozen=True)
class Operation:
    """One documented method of one path, and the view that answers it."""

    path: str
    method: str  # upper case
    spec: dict[str, Any]  # the OpenAPI operation object
    view: Any


@dataclass(frozen=True)
class Lesson:
    """A catalogue entry with its operations, in the document's order (by path, then method)."""

    name: str
    tag: str
    title: str
    intro: str
    description: str  # the OpenAPI tag's description: the module's opening sentence
    lesson: bool
    part: str  # "lessons", "clients" or "service" (service/catalogue.py's Entry.part)
    operations: list[Operation]


def lessons(app: Flask) -> list[Lesson]:
    """The catalogue's entries that have documented operations, in learning order."""
    spec = openapi.spec(app)
    views: dict[tuple[str, str], Any] = {}  # (OpenAPI path, METHOD) -> view
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            for method in rule.methods or ():
                views[(openapi_path(rule.rule), method)] = app.view_functions[rule.endpoint]
    by_tag: dict[str, list[Operation]] = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if not operation.get("x-cors-preflight"):
                found = Operation(path, method.upper(), operation, views[(path, method.upper())])
                by_tag.setdefault(operation["tags"][0], []).append(found)
    descriptions = {tag["name"]: tag.get("description", "") for tag in spec.get("tags", [])}
    return [
        Lesson(
            entry.name,
            entry.tag,
            entry.title,
            entry.intro,
            descriptions.get(entry.tag, ""),
            entry.lesson,
            entry.part,
            by_tag[entry.tag],
        )
        for entry in app.extensions["catalogue"]
        if entry.tag in by_tag
    ]
