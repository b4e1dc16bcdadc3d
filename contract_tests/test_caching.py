"""Caching: /cache and /etag/<etag> answer conditional requests as RFC 9110 §13 says; /cache/<n> and
/response-headers set the headers asked for, within /status?header='s rules."""

import httpx
import pytest
from helpers import assert_problem, media_type

pytestmark = pytest.mark.both_protocols


def test_cache_gives_validators_then_304_to_each(client: httpx.Client) -> None:
    first = client.get("/cache")
    assert first.status_code == 200
    assert set(first.json()) == {"args", "headers", "origin", "url"}
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    for conditional in (
        {"If-None-Match": etag},
        {"If-Modified-Since": modified},
        {"If-None-Match": f'"x", {etag}'},
    ):
        again = client.get("/cache", headers=conditional)
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag


@pytest.mark.parametrize(
    "headers",
    [{"If-None-Match": '"other"'}, {"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}],
)
def test_cache_answers_200_when_the_validators_do_not_match(
    client: httpx.Client, headers: dict[str, str]
) -> None:
    assert client.get("/cache", headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("n", "value"),
    [("0", "public, max-age=0"), ("60", "public, max-age=60"), ("31536000", "public, max-age=31536000")],
)
def test_cache_n_sets_max_age(client: httpx.Client, n: str, value: str) -> None:
    response = client.get(f"/cache/{n}")
    assert (response.status_code, response.headers["cache-control"]) == (200, value)


@pytest.mark.parametrize("n", ["-1", "31536001", "1.5", "a"])
def test_cache_n_refuses_what_is_out_of_bounds(client: httpx.Client, n: str) -> None:
    assert assert_problem(client.get(f"/cache/{n}"), 400)["parameter"] == "n"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 200),
        ({"If-None-Match": '"abc"'}, 304),
        ({"If-None-Match": '"x", "abc"'}, 304),
        ({"If-None-Match": "*"}, 304),
        ({"If-None-Match": '"x"'}, 200),
        ({"If-Match": '"abc"'}, 200),
        ({"If-Match": '"x"'}, 412),
        ({"If-Match": "*"}, 200),
    ],
)
def test_etag_conditions(client: httpx.Client, headers: dict[str, str], status: int) -> None:
    response = client.get("/etag/abc", headers=headers)
    assert response.status_code == status
    if status == 412:
        assert_problem(response, 412)
    else:
        assert response.headers["etag"] == '"abc"'
    if status == 304:
        assert response.content == b""


@pytest.mark.parametrize("etag", ['a"b', "a%20b", "x" * 129])
def test_etag_refuses_what_is_no_entity_tag(client: httpx.Client, etag: str) -> None:
    assert assert_problem(client.get(f"/etag/{etag}"), 400)["parameter"] == "etag"


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])  # go-httpbin: any method
def test_response_headers_sets_each_parameter(client: httpx.Client, method: str) -> None:
    response = client.request(
        method, "/response-headers?X-Flavour=oat&X-Flavour=rye&Cache-Control=max-age%3D60"
    )
    assert response.status_code == 200
    assert response.headers.get_list("x-flavour") == ["oat", "rye"]
    assert response.headers["cache-control"] == "max-age=60"
    assert media_type(response) == "application/json"
    assert response.json() == {
        "Content-Type": "application/json",
        "X-Flavour": ["oat", "rye"],
        "Cache-Control": "max-age=60",
    }


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_response_headers_sets_location_and_a_host_cookie_on_its_200(
    client: httpx.Client, method: str
) -> None:
    # As httpbin: requests' suite reads a 200's Location in a redirect hook and expires a cookie this way.
    query = "Location=/html&Set-Cookie=a%3Ddeleted%3B%20Max-Age%3D0"
    response = client.request(method, f"/response-headers?{query}")
    assert response.status_code == 200
    assert (response.headers["location"], response.headers["set-cookie"]) == ("/html", "a=deleted; Max-Age=0")


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("Content-Type=text/html", "Content-Type"),
        ("Set-Cookie=a%3D1%3B%20Domain%3Dexample.test", "Set-Cookie"),
        ("Set-Cookie=a%0D%0AX:1", "Set-Cookie"),
        ("Content-Security-Policy=none", "Content-Security-Policy"),
        ("Access-Control-Allow-Origin=x", "Access-Control-Allow-Origin"),
        ("X-Bad=a%0D%0ASet-Cookie:x", "X-Bad"),
        ("X(bad)=1", "X(bad)"),
        ("&".join(f"X-{i}=1" for i in range(11)), "headers"),
    ],
)
def test_response_headers_refuses_what_status_header_refuses(
    client: httpx.Client, method: str, query: str, parameter: str
) -> None:
    response = client.request(method, f"/response-headers?{query}")
    assert assert_problem(response, 400)["parameter"] == parameter


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_response_headers_refuses_the_same_to_every_method(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/response-headers?Content-Type=text/html")
    assert assert_problem(response, 400)["parameter"] == "Content-Type"
