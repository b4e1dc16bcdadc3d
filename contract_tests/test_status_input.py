"""/status/<codes> input: the code-list syntax, the random choice, and the bounded options."""

import re

import httpx
import pytest
from helpers import assert_problem

TEXT = "text/plain; charset=utf-8"
# Bounds docs/status-target.md gives: 20 entries, 200 characters, delay 0-10 s, reason 64, 10 headers of 256.
TWENTY_ONE = ",".join(["200"] * 21)
LONG_LIST = ",".join(["200:100000.5"] * 17)  # 17 entries but 220 characters

BAD_CODES = [
    pytest.param("abc", id="not-a-number"),
    pytest.param("2OO", id="letter-o"),
    pytest.param("99", id="two-digits"),
    pytest.param("0200", id="four-digits"),
    pytest.param("+200", id="sign"),
    pytest.param("%20200", id="leading-space"),
    pytest.param("600", id="above-599"),
    pytest.param("999", id="httpbin-sends-999"),
    pytest.param("1000", id="httpbin-500s-on-1000"),
    pytest.param("-1", id="httpbin-500s-on-minus-1"),
    pytest.param("000", id="zero"),
    pytest.param("200,", id="trailing-comma"),
    pytest.param(",200", id="leading-comma"),
    pytest.param("200,,500", id="empty-entry"),
    pytest.param("200:", id="empty-weight"),
    pytest.param("200:-1", id="negative-weight"),
    pytest.param("200:abc", id="word-weight"),
    pytest.param("200:1e3", id="exponent-weight"),
    pytest.param("200:nan", id="nan-weight"),
    pytest.param("200:inf", id="inf-weight"),
    pytest.param("200:1:2", id="two-weights"),
    pytest.param("200:01", id="weight-leading-zero"),
    pytest.param("200:3.", id="weight-bare-point"),
    pytest.param("200:1234567", id="weight-over-6-digits"),
    pytest.param("200:0.1234567", id="weight-over-6-decimals"),
    pytest.param("200:00", id="zero-weight-leading-zero"),
    pytest.param("200:-0", id="zero-weight-with-sign"),
    pytest.param("200:0e0", id="zero-weight-exponent"),
    pytest.param("200:0.0000000", id="zero-weight-over-6-decimals"),
    pytest.param("200:.0", id="zero-weight-no-integer-part"),
    pytest.param(TWENTY_ONE, id="21-entries"),
    pytest.param(LONG_LIST, id="over-200-characters"),
]


@pytest.mark.parametrize("codes", BAD_CODES)
def test_bad_code_list_is_400_problem_json(client: httpx.Client, codes: str) -> None:
    body = assert_problem(client.get(f"/status/{codes}"), 400)
    assert body["detail"]


def test_longest_allowed_list_is_served(client: httpx.Client) -> None:
    codes = ",".join(["200:1"] * 20)  # 20 entries, 119 characters: at the entry bound
    response = client.get(f"/status/{codes}")
    assert response.status_code == 200
    assert response.headers["content-type"] == TEXT


@pytest.mark.parametrize("codes", ["200:999999.999999,500:0.000001", "200:0.000001", "200:0.5"])
def test_weights_at_the_bounds_are_accepted(client: httpx.Client, codes: str) -> None:
    assert client.get(f"/status/{codes}").status_code in {200, 500}


ALL_ZERO = [
    pytest.param("200:0", id="one-entry"),
    pytest.param("200:0,500:0", id="httpbin-500s-on-zero-weights"),
    pytest.param("200:0,500:0.0,503:0.000000", id="every-spelling-of-zero"),
    pytest.param(",".join(["200:0"] * 20), id="20-entries"),
]


@pytest.mark.parametrize("codes", ALL_ZERO)
def test_all_weights_zero_is_400_saying_so(client: httpx.Client, codes: str) -> None:
    body = assert_problem(client.get(f"/status/{codes}"), 400)
    assert "weight" in body["detail"]
    assert " 0" in body["detail"]


@pytest.mark.parametrize(
    ("codes", "always"),
    [
        pytest.param("200:1,500:0", 200, id="switch-a-failure-off"),
        pytest.param("200:0,503", 503, id="zero-then-default-weight"),
        pytest.param("500:0.0,418:0.5,502:0.000000", 418, id="zero-spellings-around-one-code"),
    ],
)
def test_a_zero_weight_is_never_chosen(client: httpx.Client, codes: str, always: int) -> None:
    # 100 tries, all answered by the one code whose weight is above 0.
    assert {client.get(f"/status/{codes}").status_code for _ in range(100)} == {always}


def seen_codes(client: httpx.Client, path: str, want: set[int], limit: int) -> set[int]:
    """Request until every wanted code was seen or `limit` requests were sent; return what was seen."""
    seen: set[int] = set()
    for _ in range(limit):
        seen.add(client.get(path).status_code)
        if want <= seen:
            break
    return seen


@pytest.mark.parametrize(
    ("codes", "want"),
    [
        pytest.param("200,201", {200, 201}, id="uniform"),
        pytest.param("200:3,500:1", {200, 500}, id="weighted"),
        pytest.param("202,503:2", {202, 503}, id="default-weight-1"),
        pytest.param("200:0.5,418:0.25", {200, 418}, id="fractional"),
    ],
)
def test_a_list_answers_each_of_its_codes_and_nothing_else(
    client: httpx.Client, codes: str, want: set[int]
) -> None:
    # 200 tries: missing a code with probability 1/4 or more each time is below 1e-24.
    assert seen_codes(client, f"/status/{codes}", want, 200) == want


GOOD_OPTIONS = [
    pytest.param({"delay": "0.1"}, 202, {}, id="delay"),
    pytest.param({"delay": "0"}, 202, {}, id="delay-zero"),
    pytest.param({"delay": "0.000001"}, 202, {}, id="delay-smallest"),
    pytest.param({"header": "X-Test: yes"}, 202, {"x-test": "yes"}, id="header"),
    pytest.param(
        {"header": "Cache-Control:no-store"}, 202, {"cache-control": "no-store"}, id="header-no-space"
    ),
    pytest.param({"header": "X-Empty:"}, 202, {"x-empty": ""}, id="header-empty-value"),
]


@pytest.mark.parametrize(("params", "code", "headers"), GOOD_OPTIONS)
def test_options(client: httpx.Client, params: dict[str, str], code: int, headers: dict[str, str]) -> None:
    response = client.get(f"/status/{code}", params=params)
    assert response.status_code == code
    assert response.headers["content-type"] == TEXT
    assert response.text.startswith(f"{code} ")
    for name, value in headers.items():
        assert response.headers[name] == value


def test_header_option_bounds_are_inclusive(client: httpx.Client) -> None:
    params = [("header", f"X-{n}: {n}") for n in range(9)] + [("header", "N" * 64 + ": " + "v" * 256)]
    response = client.get("/status/200", params=tuple(params))
    assert response.status_code == 200
    assert response.headers["x-8"] == "8"
    assert response.headers["n" * 64] == "v" * 256


def test_header_option_repeats_and_works_on_204(client: httpx.Client) -> None:
    params = [("header", "X-One: 1"), ("header", "X-Two: 2"), ("header", "X-One: again")]
    response = client.get("/status/204", params=tuple(params))
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers.get_list("x-one") == ["1", "again"]
    assert response.headers["x-two"] == "2"


@pytest.mark.parametrize("reason", ["Brewing", "Try again: later (maybe)", "x" * 64])
def test_reason_phrase_goes_on_the_wire(client: httpx.Client, reason: str) -> None:
    response = client.get("/status/418", params={"reason": reason})
    assert response.status_code == 418
    assert response.reason_phrase == reason
    assert response.text.startswith("418 ")  # the body still names the status, never the reflected text
    assert reason not in response.text


BAD_OPTIONS = [
    pytest.param([("delay", "10.5")], id="delay-over-cap"),
    pytest.param([("delay", "11")], id="delay-11"),
    pytest.param([("delay", "-1")], id="delay-negative"),
    pytest.param([("delay", "abc")], id="delay-word"),
    pytest.param([("delay", "nan")], id="delay-nan"),
    pytest.param([("delay", "1e1")], id="delay-exponent"),
    pytest.param([("delay", "010")], id="delay-leading-zero"),
    pytest.param([("delay", "10.000001")], id="delay-just-over-cap"),
    pytest.param([("delay", "1"), ("delay", "2")], id="delay-twice"),
    pytest.param([("reason", "")], id="reason-empty"),
    pytest.param([("reason", " padded")], id="reason-leading-space"),
    pytest.param([("reason", "padded ")], id="reason-trailing-space"),
    pytest.param([("reason", "caf\u00e9")], id="reason-not-ascii"),
    pytest.param([("reason", "a\r\nSet-Cookie: x=1")], id="reason-crlf"),
    pytest.param([("reason", "tab\there")], id="reason-tab"),
    pytest.param([("reason", "x" * 65)], id="reason-too-long"),
    pytest.param([("reason", "a"), ("reason", "b")], id="reason-twice"),
    pytest.param([("header", "no colon")], id="header-no-colon"),
    pytest.param([("header", "Bad Name: x")], id="header-name-not-token"),
    pytest.param([("header", ": x")], id="header-empty-name"),
    pytest.param([("header", "X-A: 1\r\nSet-Cookie: x=1")], id="header-crlf"),
    pytest.param([("header", "X-A: 1\x00")], id="header-nul"),
    pytest.param([("header", "X-A: caf\u00e9")], id="header-not-ascii"),
    pytest.param([("header", "X-A: " + "v" * 257)], id="header-value-too-long"),
    pytest.param([("header", "X" * 65 + ": 1")], id="header-name-too-long"),
    pytest.param([("header", f"X-{n}: {n}") for n in range(11)], id="eleven-headers"),
    pytest.param([("unknown", "1")], id="unknown-parameter"),
    pytest.param([("Delay", "1")], id="parameter-names-are-case-sensitive"),
]
REFUSED = [
    # hop-by-hop (PEP 3333) and written by Gunicorn
    *("Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Trailers"),
    *("Transfer-Encoding", "Upgrade"),
    *("Server", "Date"),
    # framing and type: the body and its meaning are the service's
    *("Content-Length", "Content-Type", "Content-Encoding", "Content-Disposition"),
    # the status's own headers
    *(
        "Location",
        "WWW-Authenticate",
        "Allow",
        "Retry-After",
        "Content-Range",
        "Vary",
        "X-Content-Type-Options",
    ),
    # what a browser would obey on this origin
    *("Set-Cookie", "Refresh", "Content-Security-Policy", "Strict-Transport-Security", "Alt-Svc"),
    *("Clear-Site-Data", "Access-Control-Allow-Origin"),
]


@pytest.mark.parametrize("params", BAD_OPTIONS)
def test_bad_option_is_400_problem_json(client: httpx.Client, params: list[tuple[str, str]]) -> None:
    body = assert_problem(client.get("/status/200", params=tuple(params)), 400)
    assert body["detail"]


@pytest.mark.parametrize("name", REFUSED)
def test_refused_header_names_are_400(client: httpx.Client, name: str) -> None:
    for spelled in (name, name.lower()):
        response = client.get("/status/302", params={"header": f"{spelled}: https://example.com/"})
        body = assert_problem(response, 400)
        assert name.lower() in body["detail"].lower()
        assert "example.com" not in response.headers.get("location", "")


def test_openapi_patterns_agree_with_what_is_answered(client: httpx.Client) -> None:
    # Schema-valid means answered: Schemathesis may send anything the patterns allow.
    operation = client.get("/openapi.json").json()["paths"]["/status/{codes}"]["get"]
    schemas = {p["name"]: p["schema"] for p in operation["parameters"]}
    codes = re.compile(schemas["codes"]["pattern"])
    not_all_zero = re.compile(schemas["codes"]["not"]["pattern"])
    for good in ("418", "200,500", "200:3,500:1", "202,503:2", "200:0.5,599:999999.999999", "200:1,500:0"):
        assert codes.search(good)
        assert not not_all_zero.search(good)
        assert client.get(f"/status/{good}").status_code in {int(e[:3]) for e in good.split(",")}
    for bad in ("100", "200,101", "600", "200:01", "200,", "2OO"):
        assert not codes.search(bad)
        assert client.get(f"/status/{bad}").status_code == 400
    for all_zero in ("200:0", "200:0,500:0.000000"):
        assert codes.search(all_zero)  # well-formed, but the `not` refuses it, as the service does
        assert not_all_zero.search(all_zero)
        assert client.get(f"/status/{all_zero}").status_code == 400
    delay = re.compile(schemas["delay"]["pattern"])
    assert all(delay.search(d) for d in ("0", "0.5", "10", "10.000000"))
    assert not any(delay.search(d) for d in ("10.5", "11", "-1", "1e1", "010", "nan"))
    header = schemas["header"]["items"]
    assert re.search(header["pattern"], "X-Test: yes")
    assert not re.search(header["not"]["pattern"], "X-Test: yes")
    assert re.search(header["not"]["pattern"], "set-COOKIE: a=b")
    assert re.search(header["not"]["pattern"], "Access-Control-Allow-Origin: *")
