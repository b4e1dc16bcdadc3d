"""/redirect/<n>: n hops to /get (another method: /anything) in the form and code asked for, or a loop."""

from collections.abc import Callable

import httpx
import pytest
from helpers import assert_problem

pytestmark = pytest.mark.both_protocols

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# RFC 9110 §15.4: the codes a redirect chain may use, and whether a client keeps the method and body.
KEEPS_METHOD = {301: False, 302: False, 303: False, 307: True, 308: True}


@pytest.mark.parametrize("method", METHODS)
def test_every_method_gets_a_hop(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/redirect/3", content=b"x" if method not in ("GET", "HEAD") else None)
    assert response.status_code == 302
    assert response.headers["location"] == "/redirect/2"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["requested-status"] == "302"


@pytest.mark.parametrize("code", sorted(KEEPS_METHOD))
def test_each_code_keeps_its_query_down_the_chain(client: httpx.Client, code: int) -> None:
    response = client.get(f"/redirect/2?status={code}")
    assert response.status_code == code
    assert response.headers["location"] == f"/redirect/1?status={code}"
    assert client.get(f"/redirect/1?status={code}").headers["location"] == "/get"


def test_a_following_client_lands_on_get_after_n_hops(make_client: Callable[..., httpx.Client]) -> None:
    response = make_client(follow_redirects=True).get("/redirect/5")
    assert response.status_code == 200
    assert response.url.path == "/get"
    assert len(response.history) == 5


@pytest.mark.parametrize("method", METHODS)
def test_the_last_hop_ends_on_get_for_a_get_and_on_anything_otherwise(
    client: httpx.Client, method: str
) -> None:
    # httpbin's chains end on /get, which answers only GET (and HEAD); /anything echoes any method.
    end = "/get" if method in ("GET", "HEAD") else "/anything"
    assert client.request(method, "/redirect/1").headers["location"] == end


@pytest.mark.parametrize(("code", "keeps"), sorted(KEEPS_METHOD.items()))
def test_anything_shows_what_the_client_resent(
    make_client: Callable[..., httpx.Client], code: int, keeps: bool
) -> None:
    response = make_client(follow_redirects=True).post(f"/redirect/2?status={code}", content=b"payload")
    echoed = response.json()
    if keeps:  # 307, 308: the same method and body (RFC 9110 §15.4.8, §15.4.9)
        assert (echoed["method"], echoed["data"]) == ("POST", "payload")
    else:  # 303 must become GET; 301/302 may, and httpx (as browsers) does: the GET ends on /get
        assert (response.url.path, echoed["method"]) == ("/get", "GET")


def test_relative_form(client: httpx.Client) -> None:
    assert client.get("/redirect/2?form=relative").headers["location"] == "1?form=relative"
    assert client.get("/redirect/1?form=relative").headers["location"] == "../get"


def test_relative_form_resolves_to_get(make_client: Callable[..., httpx.Client]) -> None:
    response = make_client(follow_redirects=True).get("/redirect/3?form=relative")
    assert (response.url.path, len(response.history)) == ("/get", 3)


def test_absolute_form_names_the_origin_the_client_addressed(client: httpx.Client, base_url: str) -> None:
    origin = base_url.rstrip("/")
    assert client.get("/redirect/2?form=absolute").headers["location"] == f"{origin}/redirect/1?form=absolute"
    assert client.get("/redirect/1?form=absolute").headers["location"] == f"{origin}/get"


def test_absolute_form_echoes_another_host_only_to_who_asked_for_it(client: httpx.Client) -> None:
    response = client.get("/redirect/1?form=absolute", headers={"Host": "example.test:8080"})
    assert response.headers["location"] == "http://example.test:8080/get"


@pytest.mark.parametrize("host", ["evil.test/path", "user@evil.test", "evil.test:80:80", "-evil.test"])
def test_absolute_form_refuses_a_host_that_is_not_host_port(client: httpx.Client, host: str) -> None:
    body = assert_problem(client.get("/redirect/1?form=absolute", headers={"Host": host}), 400)
    assert "Host" in body["detail"]


def test_loop_points_at_itself(client: httpx.Client) -> None:
    response = client.get("/redirect/4?loop=1&status=307")
    assert (response.status_code, response.headers["location"]) == (307, "/redirect/4?loop=1&status=307")


def test_a_loop_stops_a_client_at_its_limit(make_client: Callable[..., httpx.Client]) -> None:
    with pytest.raises(httpx.TooManyRedirects):
        make_client(follow_redirects=True, max_redirects=7).get("/redirect/1?loop=1")


BAD = [
    ("/redirect/0", "n must"),
    ("/redirect/21", "n must"),
    ("/redirect/abc", "n must"),
    ("/redirect/01", "n must"),
    ("/redirect/2?status=304", "status must"),
    ("/redirect/2?status=200", "status must"),
    ("/redirect/2?form=full", "form must"),
    ("/redirect/2?loop=yes", "loop must"),
    ("/redirect/2?hops=3", "unknown query parameter"),
    ("/redirect/2?status=301&status=302", "once"),
]


@pytest.mark.parametrize(("path", "words"), BAD)
def test_bad_input_is_400_naming_the_parameter(client: httpx.Client, path: str, words: str) -> None:
    body = assert_problem(client.get(path), 400)
    assert words in body["detail"]


@pytest.mark.parametrize("method", METHODS)
def test_bad_input_is_400_for_every_method(client: httpx.Client, method: str) -> None:
    assert client.request(method, "/redirect/99").status_code == 400


EVERY = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@pytest.mark.parametrize("method", EVERY)
@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/relative-redirect/3", "/relative-redirect/2"),
        ("/relative-redirect/1", "/get"),
        ("/absolute-redirect/2", "{origin}/absolute-redirect/1"),
        ("/absolute-redirect/1", "{origin}/get"),
    ],
)
def test_relative_and_absolute_chains(
    client: httpx.Client, base_url: str, method: str, path: str, location: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 302
    expected = location.format(origin=base_url.rstrip("/"))
    if method != "GET" and expected.endswith("/get"):
        expected = expected.removesuffix("/get") + "/anything"  # a chain ends on /anything for other methods
    assert response.headers["location"] == expected
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("kind", ["relative", "absolute"])
def test_a_following_client_ends_on_get(make_client: Callable[..., httpx.Client], kind: str) -> None:
    response = make_client(follow_redirects=True).get(f"/{kind}-redirect/4")
    assert (response.url.path, len(response.history), response.status_code) == ("/get", 4, 200)


def test_a_long_chain_stops_a_client_at_its_limit(make_client: Callable[..., httpx.Client]) -> None:
    # Up to 100 hops: past the 20 (httpx) or 30 (requests) a client follows by default.
    with pytest.raises(httpx.TooManyRedirects) as raised:
        make_client(follow_redirects=True, max_redirects=30).get("/relative-redirect/50")
    # The client gave up with hops still to go: the chain outlasts its limit.
    assert int(raised.value.request.url.path.rsplit("/", 1)[1]) > 1


def test_absolute_true_is_httpbins_form_absolute(client: httpx.Client, base_url: str) -> None:
    response = client.get("/redirect/1?absolute=true")
    assert response.headers["location"] == base_url.rstrip("/") + "/get"


@pytest.mark.parametrize("method", EVERY)
@pytest.mark.parametrize(
    "path",
    ["/relative-redirect/0", "/relative-redirect/101", "/absolute-redirect/x", "/absolute-redirect/-1"],
)
def test_bad_hop_counts_are_400(client: httpx.Client, method: str, path: str) -> None:
    assert assert_problem(client.request(method, path), 400)["parameter"] == "n"


def test_absolute_redirect_refuses_a_host_that_is_not_host_port(client: httpx.Client) -> None:
    body = assert_problem(client.get("/absolute-redirect/1", headers={"Host": "evil.test/x"}), 400)
    assert body["parameter"] == "Host"
