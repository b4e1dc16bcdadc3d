"""The bodies and WebSocket routes' pure parts, and what they answer where no worker serves them.

In-process (Flask's test client): it hands a view no connection, so the two routes that need the
container's worker (a WebSocket handshake, trailers) must say so with 501 rather than pretend.
"""

import pytest
from flask.testing import FlaskClient

from service.app import create_app
from service.httpbin.content import bodies, websocket

HANDSHAKE = {
    "Upgrade": "websocket",
    "Connection": "Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
}


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return create_app().test_client()


@pytest.mark.parametrize(
    ("size", "most", "pieces"), [(10, 1000, 10), (5000, 1000, 1000), (1001, 1000, 501), (0, 5, 0)]
)
def test_split_keeps_every_byte_in_at_most_most_pieces(size: int, most: int, pieces: int) -> None:
    data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    parts = bodies.split(data, most)
    assert b"".join(parts) == data
    assert len(parts) == pieces <= most


def test_paced_yields_every_piece_in_order() -> None:
    assert list(bodies.paced([b"a", b"b", b"c"], 0)) == [b"a", b"b", b"c"]


@pytest.mark.parametrize("code", [1005, 1006, 1015])
def test_the_codes_rfc_6455_forbids_in_a_close_frame_are_unsendable(code: int) -> None:
    assert code in websocket.UNSENDABLE


@pytest.mark.parametrize(
    "code", [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999]
)
def test_registered_and_private_codes_are_sendable(code: int) -> None:
    assert code not in websocket.UNSENDABLE


@pytest.mark.parametrize("path", ["/websocket/echo", "/websocket/close/4000"])
def test_a_handshake_without_a_connection_to_take_over_is_501(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers=HANDSHAKE)
    assert response.status_code == 501
    assert response.mimetype == "application/problem+json"
    assert "Gunicorn worker" in response.get_json()["detail"]


def test_trailers_without_the_worker_is_501(client: FlaskClient) -> None:
    response = client.get("/trailers?X-A=1")
    assert response.status_code == 501
    assert "Gunicorn worker" in response.get_json()["detail"]
