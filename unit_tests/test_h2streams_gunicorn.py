"""service/server/h2streams.py overrides and reads Gunicorn's HTTP/2 internals: this fails on a Gunicorn it
was not written for, so an upgrade is read against that module before it ships.

The module subclasses HTTP2ServerConnection, overrides some of its private methods, and reads private
attributes of the connection and of its streams (its docstring lists them). Nothing of that is Gunicorn's
public API, so each is checked here by name and signature, with the major version it was written for.
"""

import inspect
import types
from collections.abc import Callable
from typing import Any

import gunicorn  # type: ignore[import-untyped]
import pytest
from gunicorn.http2.connection import HTTP2ServerConnection  # type: ignore[import-untyped]
from gunicorn.http2.stream import HTTP2Stream, StreamState  # type: ignore[import-untyped]

from service.server.h2streams import StreamConnection

WRITTEN_FOR = 27  # Gunicorn's major version when h2streams.py was written (and requirements.lock's)

# The methods StreamConnection overrides or calls on its base, with their parameters then.
METHODS = {
    "__init__": ["self", "cfg", "sock", "client_addr"],
    "_send_pending_data": ["self"],
    "_process_events": ["self", "events"],
    "_abort_all_streams": ["self"],
    "_wait_for_flow_control_window": ["self", "stream_id", "deadline"],
    "pump": ["self", "stream_id"],
    "abort_stream": ["self", "stream_id", "error_code"],
}
# Attributes the base's __init__ sets and StreamConnection reads or writes.
CONNECTION_ATTRIBUTES = ("sock", "h2_conn", "streams", "stream_timeout", "_closed")
# Attributes of a stream that StreamConnection.pump reads or sets.
STREAM_ATTRIBUTES = ("_body_event", "_body_chunks", "body_complete", "state")


def test_gunicorn_is_the_major_version_h2streams_was_written_for() -> None:
    assert gunicorn.version_info[0] == WRITTEN_FOR, (
        f"Gunicorn {gunicorn.__version__}: service/server/h2streams.py relies on internals of Gunicorn "
        f"{WRITTEN_FOR}; read it against this version, then update WRITTEN_FOR here"
    )


@pytest.mark.parametrize(("name", "parameters"), METHODS.items())
def test_each_internal_method_is_there_with_its_parameters(name: str, parameters: list[str]) -> None:
    method: Callable[..., Any] = getattr(HTTP2ServerConnection, name)
    assert list(inspect.signature(method).parameters) == parameters


@pytest.mark.parametrize("name", [name for name in METHODS if name not in ("__init__", "abort_stream")])
def test_the_overrides_replace_the_base_methods(name: str) -> None:
    # Each override is StreamConnection's own, so a renamed base method would leave it uncalled.
    assert name in vars(StreamConnection)


@pytest.mark.parametrize("name", CONNECTION_ATTRIBUTES)
def test_the_connection_sets_what_the_scheduler_reads(name: str) -> None:
    assert f"self.{name} =" in inspect.getsource(HTTP2ServerConnection.__init__)


def test_a_stream_has_what_the_scheduler_reads() -> None:
    connection = types.SimpleNamespace(initial_window_size=65_535, max_frame_size=16_384)
    stream = HTTP2Stream(1, connection)
    for name in STREAM_ATTRIBUTES:
        assert hasattr(stream, name), name
    assert stream._body_event is None  # created by StreamConnection.pump on first use
    assert stream._body_chunks == []
    assert isinstance(stream.state, StreamState)
    assert StreamState.CLOSED in StreamState
