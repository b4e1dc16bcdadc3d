"""/demos/streaming: a stream's status leaves before its first chunk, so a late failure cannot change it."""

from collections.abc import Callable

import httpx
import pytest
from helpers import assert_problem

TEXT = "text/plain; charset=utf-8"

LINES = [
    pytest.param("0", "", id="no-lines"),
    pytest.param("3", "line 1\nline 2\nline 3\n", id="three-lines"),
]


@pytest.mark.parametrize(("count", "body"), LINES)
def test_stream_after_validation(client: httpx.Client, count: str, body: str) -> None:
    response = client.get("/demos/streaming/lines", params={"count": count})
    assert response.status_code == 200
    assert response.headers["content-type"] == TEXT
    # No length is known up front: Gunicorn sends the body in chunks.
    assert response.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in response.headers
    assert response.text == body


@pytest.mark.parametrize("count", ["-1", "abc", "101", "\uff13", ""])
def test_bad_input_is_refused_before_streaming(client: httpx.Client, count: str) -> None:
    assert_problem(client.get("/demos/streaming/lines", params={"count": count}), 400)


def drain(response: httpx.Response, into: list[bytes]) -> None:
    """Read the raw body chunk by chunk, keeping what arrived before any error."""
    for chunk in response.iter_raw():
        into.append(chunk)


def test_failure_midway_leaves_a_200_and_a_truncated_body(
    make_client: Callable[..., httpx.Client],
) -> None:
    received: list[bytes] = []
    with make_client().stream("GET", "/demos/streaming/fails-midway") as response:
        # Status and headers arrived before the generator failed: they say all is well.
        assert response.status_code == 200
        assert response.headers["content-type"] == TEXT
        assert response.headers["transfer-encoding"] == "chunked"
        # Then the connection closes without the last chunk: the client must treat the body as broken.
        with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
            drain(response, received)
    assert b"".join(received) == b"line 1\nline 2\n"


def test_service_keeps_serving_after_a_broken_stream(make_client: Callable[..., httpx.Client]) -> None:
    broken = make_client()
    with pytest.raises(httpx.RemoteProtocolError):
        broken.get("/demos/streaming/fails-midway")
    assert broken.get("/healthz").status_code == 200
