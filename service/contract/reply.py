"""@documented(Reply(...), ...): what a view declares about its answers, read by the OpenAPI builder.

Every route must carry it, listing every reply it can give — status, body media type (or None for no
body) and headers, all written at the call site; create_app() refuses to start otherwise, so the
document cannot drift from the routes.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

# Methods Flask adds to every route by itself; documented only where a view declares them.
AUTOMATIC = frozenset({"HEAD", "OPTIONS"})
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Header:
    """A response header's name and its OpenAPI header object."""

    name: str
    doc: dict[str, Any]


def header(name: str, description: str = "", *, schema_type: str = "string") -> Header:
    """A header a reply carries, e.g. header("Location", "the created item")."""
    doc: dict[str, Any] = {"schema": {"type": schema_type}}
    if description:
        doc["description"] = description
    return Header(name, doc)


@dataclass(frozen=True, init=False)
class Reply:
    """One answer a view can give: a status (a code, or an OpenAPI range such as "5XX"), its body's
    media type (None for no body: 204, 304, a HEAD...) and the headers it carries.

    A status declared twice with two media types offers both (content negotiation, e.g. the index's
    JSON and HTML); their headers are merged.
    """

    status: int | str
    media: str | None
    headers: tuple[Header, ...]

    def __init__(self, status: int | str, media: str | None, headers: Iterable[Header] = ()) -> None:
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "media", media)
        object.__setattr__(self, "headers", tuple(headers))


@dataclass(frozen=True)
class Operation:
    """What a view declares about itself for the OpenAPI document."""

    statuses: dict[str, tuple[str, ...]]  # status -> its media types; () is "no body"
    # The parameters, or a function of the app's Settings that makes them (a bound such as the delay cap).
    parameters: tuple[dict[str, Any], ...] | Callable[[Any], list[dict[str, Any]]] = ()
    request_body: dict[str, Any] | None = None
    methods: tuple[str, ...] | None = None
    headers: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)


def documented(
    *replies: Reply,
    parameters: Iterable[dict[str, Any]] | Callable[[Any], list[dict[str, Any]]] = (),
    request_body: dict[str, Any] | None = None,
    methods: Iterable[str] | None = None,
) -> Callable[[F], F]:
    """Declare the replies (and parameters, request body) a view can give.

    parameters: a list, or a function of the app's Settings when a bound depends on them.
    methods: the methods to document, when they differ from the route's own (HEAD, OPTIONS included).
    """
    statuses: dict[str, tuple[str, ...]] = {}
    headers: dict[str, dict[str, dict[str, Any]]] = {}
    for reply in replies:
        key = str(reply.status)
        statuses[key] = (*statuses.get(key, ()), *((reply.media,) if reply.media else ()))
        if reply.headers:
            headers.setdefault(key, {}).update({h.name: h.doc for h in reply.headers})
    operation = Operation(
        statuses=statuses,
        parameters=parameters if callable(parameters) else tuple(parameters),
        request_body=request_body,
        methods=tuple(m.upper() for m in methods) if methods is not None else None,
        headers=headers,
    )

    def mark(view: F) -> F:
        view.openapi = operation  # type: ignore[attr-defined]
        return view

    return mark
