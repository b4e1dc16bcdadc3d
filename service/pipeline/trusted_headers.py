"""Werkzeug Headers from pairs checked once, for answers built from constants on every request."""

from collections.abc import Iterable

from werkzeug.datastructures import Headers


def checked(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The pairs as Werkzeug stores them, after its own check (a newline in a value raises ValueError)."""
    return tuple(Headers(pairs).items())


def headers_of(pairs: tuple[tuple[str, str], ...]) -> Headers:
    """A new Headers holding pairs that checked() returned, without checking each one again.

    Werkzeug checks every value on every add, about half a microsecond a header; /status's constant
    answers were paying it on every request (docs/performance.md, third pass). Headers keeps its pairs
    in `_list` (Werkzeug 3.1, pinned in requirements.lock); a unit test holds the result equal to
    Werkzeug's own Headers(pairs), so an upgrade that changes this fails there, not in production.
    """
    headers = Headers()
    headers._list = list(pairs)
    return headers


def append_checked(headers: Headers, pairs: tuple[tuple[str, str], ...]) -> None:
    """Append pairs that checked() returned to headers, as add() would, without checking them again."""
    headers._list.extend(pairs)
