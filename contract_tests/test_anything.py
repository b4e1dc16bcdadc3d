"""/anything: the request echoed as JSON, for every method, never cached and never HTML."""

import base64
from collections.abc import Callable

import httpx
import pytest
from helpers import assert_problem, media_type

pytestmark = pytest.mark.both_protocols

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
LIMIT = 1024 * 1024  # the service's documented body limit (README)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_is_echoed(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/anything?b=2&a=1&a=3", content=b"hello", headers={"X-Probe": "yes"})
    assert response.status_code == 200
    assert media_type(response) == "application/json"
    assert response.headers["cache-control"] == "no-store"
    if method == "HEAD":
        assert response.content == b""
        return
    echoed = response.json()
    assert echoed["method"] == method
    assert echoed["path"] == "/anything"
    assert echoed["query"] == [["b", "2"], ["a", "1"], ["a", "3"]]
    assert echoed["headers"]["X-Probe"] == "yes"
    assert (echoed["body"], echoed["body_encoding"], echoed["body_bytes"]) == ("hello", "utf-8", 5)


def test_html_is_never_the_answer(client: httpx.Client) -> None:
    response = client.get("/anything", headers={"Accept": "text/html"})
    assert media_type(response) == "application/json"


def test_a_binary_body_comes_back_as_base64(client: httpx.Client) -> None:
    data = bytes(range(256))
    echoed = client.post("/anything", content=data).json()
    assert echoed["body_encoding"] == "base64"
    assert base64.b64decode(echoed["body"]) == data


def test_the_protocol_is_shown(client: httpx.Client, protocol: str) -> None:
    assert client.get("/anything").json()["protocol"].startswith(protocol.split(".")[0])


@pytest.mark.parametrize("method", METHODS)
def test_a_body_over_the_limit_is_413(make_client: Callable[..., httpx.Client], method: str) -> None:
    # HTTP/1.1 only: over HTTP/2 Gunicorn 27 sends the 413, then ends the connection with a GOAWAY that
    # names no stream, and httpx reports the GOAWAY instead of the answer (measured; Gunicorn's behaviour).
    with make_client() as once:  # Gunicorn closes a connection whose body it could not drain
        response = once.request(method, "/anything", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    if method != "HEAD":
        assert_problem(response, 413)


def test_a_chunked_body_over_the_limit_is_413_not_cut(make_client: Callable[..., httpx.Client]) -> None:
    with make_client() as once:
        response = once.post("/anything", content=iter([b"x" * LIMIT, b"y"]))
    assert_problem(response, 413)


def test_a_body_at_the_limit_is_echoed(client: httpx.Client) -> None:
    assert client.post("/anything", content=b"x" * LIMIT).json()["body_bytes"] == LIMIT
