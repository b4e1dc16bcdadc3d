"""WebSocket: /websocket/echo and /websocket/close/<code>, spoken to by a real client (PyPI websockets).

Expectations come from RFC 6455 (the 101 handshake §4.2.2, messages §5.6, close codes §7.4: 1009 for a
message too big, 1005/1006/1015 never sent) and go-httpbin's documented /websocket/echo parameters. The
handshake is HTTP/1.1 only (RFC 6455 §4.1); a request that is not one gets 400 problem+json, over
HTTP/1.1 and HTTP/2 alike.
"""

from collections.abc import Callable, Iterator
from urllib.parse import quote

import httpx
import pytest
from contract_coverage import RECORDER
from helpers import assert_problem
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

pytestmark = pytest.mark.both_protocols


def ws_url(base_url: str, path: str) -> str:
    return base_url.replace("http", "ws", 1).rstrip("/") + path


@pytest.fixture
def opened(base_url: str) -> Iterator[ClientConnection]:
    with connect(
        ws_url(base_url, "/websocket/echo?max_fragment_size=64&max_message_size=100"),
        open_timeout=10,
        close_timeout=5,
    ) as connection:
        RECORDER.seen.add(("GET", "/websocket/echo", 101))
        yield connection


@pytest.mark.parametrize("message", ["hello", "héllo 🎉", b"\x00\x01\xff", b"", "x" * 64])
def test_echo_sends_each_message_back_in_its_kind(opened: ClientConnection, message: str | bytes) -> None:
    opened.send(message)
    assert opened.recv(timeout=5) == message


def test_echo_joins_fragments_into_one_message(opened: ClientConnection) -> None:
    opened.send(["ab", "cd", "ef"])  # one text message in three frames
    assert opened.recv(timeout=5) == "abcdef"


def test_echo_answers_a_ping(opened: ClientConnection) -> None:
    assert opened.ping(b"p").wait(timeout=5)


@pytest.mark.parametrize(("message", "why"), [("y" * 101, "message"), (["y" * 65], "frame")])
def test_a_message_or_frame_too_big_closes_with_1009(
    opened: ClientConnection, message: object, why: str
) -> None:
    def send_then_read() -> None:  # the close may come while the rest is sent, or on the next read
        opened.send(message)  # type: ignore[arg-type]
        opened.recv(timeout=5)

    with pytest.raises(ConnectionClosed) as closed:
        send_then_read()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (1000, ""),
        (1001, "bye"),
        (1011, "oops"),
        (1013, "try later"),
        (3000, "registered"),
        (4000, "private"),
        (4999, "last"),
    ],
)
def test_close_closes_with_the_code_and_reason(base_url: str, code: int, reason: str) -> None:
    path = f"/websocket/close/{code}"
    with connect(
        ws_url(base_url, f"{path}?reason={quote(reason)}"), open_timeout=10, close_timeout=5
    ) as connection:
        RECORDER.seen.add(("GET", path, 101))
        with pytest.raises(ConnectionClosed) as closed:
            connection.recv(timeout=5)
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (code, reason)


@pytest.mark.parametrize("code", [1004, 1005, 1006, 1015, 1016, 2999, 999, 5000, "x"])
def test_a_code_a_server_may_not_send_is_400(client: httpx.Client, code: object) -> None:
    assert assert_problem(client.get(f"/websocket/close/{code}"), 400)["parameter"] == "code"


def test_a_reason_longer_than_a_close_frame_holds_is_400(client: httpx.Client) -> None:
    assert (
        assert_problem(client.get("/websocket/close/1000?reason=" + "r" * 124), 400)["parameter"] == "reason"
    )


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("max_fragment_size=0", "max_fragment_size"),
        ("max_message_size=1048577", "max_message_size"),
        ("max_fragment_size=10&max_message_size=5", "max_fragment_size"),
    ],
)
def test_echo_bad_limits_are_400(client: httpx.Client, query: str, parameter: str) -> None:
    assert assert_problem(client.get(f"/websocket/echo?{query}"), 400)["parameter"] == parameter


@pytest.mark.parametrize("path", ["/websocket/echo", "/websocket/close/1000"])
def test_a_request_that_is_no_handshake_is_400(client: httpx.Client, path: str) -> None:
    assert_problem(client.get(path), 400)


@pytest.mark.parametrize("path", ["/websocket/echo", "/websocket/close/1000"])
def test_a_version_other_than_13_is_426_naming_13(
    make_client: Callable[..., httpx.Client], path: str
) -> None:
    # RFC 6455 §4.4: the server answers with the version(s) it speaks. HTTP/1.1: a handshake is one.
    handshake = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "8",
    }
    response = make_client().get(path, headers=handshake)
    assert_problem(response, 426)
    assert response.headers["sec-websocket-version"] == "13"
