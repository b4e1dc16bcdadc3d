"""The httpbin routes' parameters: each declared once, parsed and documented from the same bounds.

A parameter is a `Whole`, `Number` or `OneOf` value naming its bounds; `.parse(raw)` returns the value or
raises `BadParameter`, the one error these routes raise about their input, and `.doc` is its OpenAPI
parameter object, so a schema-valid request is always accepted. BadParameter is Werkzeug's BadRequest:
the app's one handler (service/pipeline/errors.py) answers it as a 400 problem+json whose `detail` names
the parameter and its bounds and whose `parameter` member names it alone, for a program to read.
Formats are strict (ASCII digits, no sign, exponent, inf or nan) and every value is bounded.
"""

import re
from dataclasses import dataclass
from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest

_WHOLE = re.compile(r"[0-9]{1,9}")
_NUMBER = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,6})?")


class BadParameter(BadRequest):
    """A parameter out of its bounds: 400, `detail` "<name> must be <expected>", `parameter` <name>."""

    def __init__(self, name: str, expected: str) -> None:
        super().__init__(f"{name} must be {expected}")
        self.problem = {"parameter": name}


def query(name: str) -> str | None:
    """The query parameter's one value (None when absent); given twice, BadParameter."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, "given at most once")
    return values[0] if values else None


@dataclass(frozen=True)
class Whole:
    """A whole number from low to high, in the path or the query."""

    name: str
    low: int
    high: int
    description: str = ""
    where: str = "query"

    @property
    def expected(self) -> str:
        return f"a whole number from {self.low} to {self.high}"

    def parse(self, raw: str | None, default: int | None = None) -> int:
        if raw is None and default is not None:
            return default
        if raw is None or not _WHOLE.fullmatch(raw) or not self.low <= int(raw) <= self.high:
            raise BadParameter(self.name, self.expected)
        return int(raw)

    @property
    def doc(self) -> dict[str, Any]:
        schema = {"type": "integer", "minimum": self.low, "maximum": self.high}
        return _doc(self.name, self.where, f"{self.description} ({self.expected})", schema)


@dataclass(frozen=True)
class Number:
    """A decimal number from low to high (at most six decimals), e.g. seconds."""

    name: str
    low: float
    high: float
    description: str = ""
    where: str = "query"

    @property
    def expected(self) -> str:
        return f"a number from {self.low:g} to {self.high:g}"

    def parse(self, raw: str | None, default: float | None = None) -> float:
        if raw is None and default is not None:
            return default
        if raw is None or not _NUMBER.fullmatch(raw) or not self.low <= float(raw) <= self.high:
            raise BadParameter(self.name, self.expected)
        return float(raw)

    @property
    def doc(self) -> dict[str, Any]:
        schema = {"type": "number", "minimum": self.low, "maximum": self.high}
        return _doc(self.name, self.where, f"{self.description} ({self.expected})", schema)


@dataclass(frozen=True)
class OneOf:
    """One of a few words (or codes), e.g. qop: auth or auth-int."""

    name: str
    choices: tuple[str, ...]
    description: str = ""
    where: str = "query"

    @property
    def expected(self) -> str:
        return "one of " + ", ".join(self.choices)

    def parse(self, raw: str | None, default: str | None = None) -> str:
        if raw is None and default is not None:
            return default
        if raw not in self.choices:
            raise BadParameter(self.name, self.expected)
        return raw

    @property
    def doc(self) -> dict[str, Any]:
        schema = {"type": "string", "enum": list(self.choices)}
        return _doc(self.name, self.where, f"{self.description} ({self.expected})", schema)


def _doc(name: str, where: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI parameter object; a path parameter is always required."""
    doc: dict[str, Any] = {"name": name, "in": where, "description": description.strip(), "schema": schema}
    if where == "path":
        doc["required"] = True
    return doc
