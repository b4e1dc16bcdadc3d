"""Echo: /get, /post, /put, /patch, /delete, /anything and friends answer in httpbin's JSON shape.

The keys and their forms are httpbin's documented ones (args with a repeated name as a list, form and
files parsed, json decoded or null, a body that is not UTF-8 as a data: URL); a wrong method is 405
with Allow (RFC 9110 §15.5.6); a body past the service's 1 MiB limit is 413 (README).
"""

import base64
import ipaddress
from collections.abc import Callable

import httpx
import pytest
from helpers import allowed_methods, assert_problem, media_type

pytestmark = pytest.mark.both_protocols

LIMIT = 1024 * 1024  # the service's documented body limit (README)
ANY = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
BODY_KEYS = {"args", "data", "files", "form", "headers", "json", "method", "origin", "url"}
# (method, path): every route that reads a body, with its method(s).
WITH_BODY = [
    ("POST", "/post"),
    ("PUT", "/put"),
    ("PATCH", "/patch"),
    ("DELETE", "/delete"),
    *((method, "/anything") for method in ANY),
    *((method, "/anything/sub") for method in ANY),
    *((method, "/dump/request") for method in ANY),
]
# (path, the one method it answers, a method it refuses)
ONE_METHOD = [
    ("/get", "GET", "POST"),
    ("/post", "POST", "GET"),
    ("/put", "PUT", "POST"),
    ("/patch", "PATCH", "PUT"),
    ("/delete", "DELETE", "PATCH"),
    ("/head", "HEAD", "GET"),
]
# Routes go-httpbin answers whatever the method (httpbin 0.10: GET alone), with the keys each answers.
EVERY_METHOD = {
    "/headers": {"headers"},
    "/ip": {"origin"},
    "/user-agent": {"user-agent"},
    "/uuid": {"uuid"},
    "/hostname": {"hostname"},
    "/env": {"env"},
    "/version": {"service", "version"},
}


def echo(response: httpx.Response) -> dict[str, object]:
    assert response.status_code == 200
    assert media_type(response) == "application/json"
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, object] = response.json()
    return body


def test_get_shows_args_headers_origin_and_url(client: httpx.Client, base_url: str) -> None:
    body = echo(client.get("/get?a=1&a=2&b=3", headers={"X-Probe": "yes"}))
    assert set(body) == {"args", "headers", "method", "origin", "url"}  # method: go-httpbin's addition
    assert body["method"] == "GET"
    assert body["args"] == {"a": ["1", "2"], "b": "3"}
    assert body["headers"]["X-Probe"] == "yes"  # type: ignore[index]
    ipaddress.ip_address(str(body["origin"]))  # the peer's address: the suite's own, wherever it runs
    assert body["url"] == base_url.rstrip("/") + "/get?a=1&a=2&b=3"


@pytest.mark.parametrize(("method", "path"), WITH_BODY[:16])
def test_every_body_route_shows_httpbins_keys(client: httpx.Client, method: str, path: str) -> None:
    body = echo(client.request(method, path + "?q=1", content=b"plain words"))
    assert set(body) == BODY_KEYS
    assert (body["method"], body["args"], body["data"]) == (method, {"q": "1"}, "plain words")
    assert (body["form"], body["files"], body["json"]) == ({}, {}, None)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_anything_takes_any_path_below_it(client: httpx.Client, method: str, base_url: str) -> None:
    body = echo(client.request(method, "/anything/any/path?x=1"))
    assert (body["method"], body["url"]) == (method, base_url.rstrip("/") + "/anything/any/path?x=1")


def test_a_urlencoded_body_is_a_form_and_no_data(client: httpx.Client) -> None:
    body = echo(client.post("/post", data={"name": "flask", "tag": ["a", "b"]}))
    assert (body["form"], body["data"], body["json"]) == ({"name": "flask", "tag": ["a", "b"]}, "", None)


def test_a_multipart_body_gives_form_and_files(client: httpx.Client) -> None:
    files = {"text": ("a.txt", b"hello", "text/plain"), "blob": ("b.bin", b"\xff\x00", "image/png")}
    body = echo(client.post("/post", data={"field": "1"}, files=files))
    assert body["form"] == {"field": "1"}
    assert body["files"] == {
        "text": "hello",
        "blob": "data:image/png;base64," + base64.b64encode(b"\xff\x00").decode(),
    }
    assert body["data"] == ""


def test_json_is_parsed_and_kept_as_data(client: httpx.Client) -> None:
    body = echo(client.put("/put", json={"a": [1, 2], "b": None}))
    assert body["json"] == {"a": [1, 2], "b": None}
    assert body["data"] == '{"a":[1,2],"b":null}'


def test_a_body_that_is_not_utf8_is_a_data_url(client: httpx.Client) -> None:
    data = bytes(range(256))
    body = echo(client.patch("/patch", content=data))
    assert body["data"] == "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    assert body["json"] is None


def test_go_httpbins_any_method_routes_answer_every_method(client: httpx.Client) -> None:
    for path, keys in EVERY_METHOD.items():
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"]:
            response = client.request(method, path)
            assert response.status_code == 200, f"{method} {path}"
            assert keys <= set(response.json()), f"{method} {path}"


@pytest.mark.parametrize(("path", "allowed", "refused"), ONE_METHOD)
def test_a_wrong_method_is_405_with_allow(
    client: httpx.Client, path: str, allowed: str, refused: str
) -> None:
    response = client.request(refused, path)
    assert_problem(response, 405)
    assert allowed in allowed_methods(response)
    assert refused not in allowed_methods(response)


@pytest.mark.parametrize(
    ("path", "key", "expected"),
    [
        ("/headers", "headers", None),
        ("/ip", "origin", None),
        ("/user-agent", "user-agent", "probe/1.0"),
        ("/hostname", "hostname", None),
        ("/uuid", "uuid", None),
    ],
)
def test_one_key_routes(client: httpx.Client, path: str, key: str, expected: str | None) -> None:
    body = echo(client.get(path, headers={"User-Agent": "probe/1.0", "X-Probe": "yes"}))
    assert list(body) == [key]
    if expected is not None:
        assert body[key] == expected
    elif key == "headers":
        assert body[key]["X-Probe"] == "yes"  # type: ignore[index]
    elif key == "origin":
        ipaddress.ip_address(str(body[key]))
    elif key == "uuid":
        assert str(body[key])[14] == "4"  # a version 4 UUID: 8-4-4-4-12, the third group starting with 4
    else:
        assert isinstance(body[key], str)
        assert body[key]


def test_head_answers_head_alone_with_gets_headers(client: httpx.Client) -> None:
    response = client.head("/head")
    assert (response.status_code, response.content) == (200, b"")
    assert media_type(response) == "application/json"
    assert int(response.headers["content-length"]) > 0  # the length of the body a GET of /get would get


def test_env_reveals_nothing_and_version_names_the_service(client: httpx.Client) -> None:
    assert echo(client.get("/env")) == {"env": {}}
    version = echo(client.get("/version"))
    assert set(version) == {"service", "version"}
    assert version["version"] == client.get("/openapi.json").json()["info"]["version"]


def test_headers_are_the_clients_own_over_each_protocol(client: httpx.Client) -> None:
    # Over HTTP/2 Gunicorn puts the protocol's version in the environ as HTTP_VERSION, which is no header
    # the client sent: the echo leaves it out (httpbin, over HTTP/1.1, never shows one).
    assert "Version" not in echo(client.get("/headers"))["headers"]  # type: ignore[operator]
    assert client.get("/headers", headers={"Version": "7"}).json()["headers"].get("Version") in ("7", None)


def test_uuids_differ(client: httpx.Client) -> None:
    assert client.get("/uuid").json() != client.get("/uuid").json()


def test_trace_is_not_echoed(client: httpx.Client) -> None:
    # httpbin echoes TRACE on /anything; here it is 405 (a TRACE echo is how cross-site tracing worked).
    response = client.request("TRACE", "/anything")
    assert_problem(response, 405)
    assert "TRACE" not in allowed_methods(response)


def test_html_is_never_the_answer(client: httpx.Client) -> None:
    assert media_type(client.get("/anything", headers={"Accept": "text/html"})) == "application/json"


@pytest.mark.parametrize("method", ANY)
def test_dump_request_writes_the_request_as_text(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/dump/request?x=1", content=b"payload", headers={"X-Probe": "yes"})
    assert response.status_code == 200
    assert media_type(response) == "text/plain"
    text = response.text
    assert text.startswith(f"{method} /dump/request?x=1 HTTP/")
    assert "\r\nX-Probe: yes\r\n" in text
    assert text.endswith("\r\n\r\npayload")


@pytest.mark.parametrize(("method", "path"), WITH_BODY)
def test_a_body_over_the_limit_is_413(
    make_client: Callable[..., httpx.Client], method: str, path: str
) -> None:
    # HTTP/1.1 only: over HTTP/2 Gunicorn 27 sends the 413, then ends the connection with a GOAWAY that
    # names no stream, and httpx reports the GOAWAY instead of the answer (measured; Gunicorn's behaviour).
    with make_client() as once:  # Gunicorn closes a connection whose body it could not drain
        response = once.request(method, path, content=b"x" * (LIMIT + 1))
    assert_problem(response, 413)


def test_a_chunked_body_over_the_limit_is_413_not_cut(make_client: Callable[..., httpx.Client]) -> None:
    with make_client() as once:
        response = once.post("/anything", content=iter([b"x" * LIMIT, b"y"]))
    assert_problem(response, 413)


def test_a_form_at_the_limit_is_parsed(client: httpx.Client) -> None:
    # Flask's own form ceiling (500 kB) is no second limit: a form of up to 1 MiB is parsed.
    value = "x" * (LIMIT - len("big="))
    assert len(echo(client.post("/post", data={"big": value}))["form"]["big"]) == len(value)  # type: ignore[index]


def test_a_body_at_the_limit_is_echoed(client: httpx.Client) -> None:
    assert len(echo(client.post("/anything", content=b"x" * LIMIT))["data"]) == LIMIT  # type: ignore[arg-type]
