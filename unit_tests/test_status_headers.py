"""status_headers and describe: what RFC 9110 asks of each status, as docs/status-target.md's table says."""

import pytest

from service.tester.status import describe, status_headers

VARY = ("Vary", "Accept")
ALLOW = ("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
LOCATION = ("Location", "/status/200")
RETRY = ("Retry-After", "1")
# draft-ietf-httpapi-ratelimit-headers: the policy, and its quota used up until Retry-After.
POLICY = ("RateLimit-Policy", '"status";q=60;w=60')

HEADERS = [
    pytest.param(200, "GET", [VARY], id="200"),
    pytest.param(204, "GET", [VARY], id="204"),
    pytest.param(300, "GET", [VARY, LOCATION], id="300-optional-location-sent"),
    pytest.param(301, "POST", [VARY, LOCATION], id="301"),
    pytest.param(306, "GET", [VARY, LOCATION], id="306-unused"),
    pytest.param(308, "PUT", [VARY, LOCATION], id="308"),
    pytest.param(399, "GET", [VARY, LOCATION], id="399-unassigned"),
    pytest.param(304, "GET", [VARY], id="304-is-no-redirect"),
    pytest.param(401, "GET", [VARY, ("WWW-Authenticate", 'Basic realm="status", charset="UTF-8"')], id="401"),
    pytest.param(405, "GET", [VARY, ALLOW], id="405"),
    pytest.param(407, "GET", [VARY], id="407-proxy-authenticate-is-hop-by-hop"),
    pytest.param(416, "GET", [VARY, ("Content-Range", "bytes */0")], id="416"),
    pytest.param(426, "GET", [VARY], id="426-upgrade-is-hop-by-hop"),
    pytest.param(429, "GET", [VARY, RETRY, POLICY, ("RateLimit", '"status";r=0;t=1')], id="429"),
    pytest.param(503, "GET", [VARY, RETRY], id="503"),
    pytest.param(500, "GET", [VARY], id="500"),
    pytest.param(200, "OPTIONS", [VARY, ALLOW], id="options-200"),
    pytest.param(302, "OPTIONS", [VARY, LOCATION, ALLOW], id="options-302"),
    pytest.param(405, "OPTIONS", [VARY, ALLOW], id="options-405-one-allow"),
    pytest.param(503, "OPTIONS", [VARY, ALLOW, RETRY], id="options-503"),
]


@pytest.mark.parametrize(("code", "method", "headers"), HEADERS)
def test_status_headers(code: int, method: str, headers: list[tuple[str, str]]) -> None:
    assert sorted(status_headers(code, method)) == sorted(headers)


RETRY_AFTER = [
    pytest.param(301, "120", [VARY, LOCATION, ("Retry-After", "120")], id="3xx-takes-it"),
    pytest.param(304, "0", [VARY, ("Retry-After", "0")], id="304-takes-it"),
    pytest.param(503, "86400", [VARY, ("Retry-After", "86400")], id="503-replaces-the-default"),
    pytest.param(
        429,
        "7",
        [VARY, ("Retry-After", "7"), POLICY, ("RateLimit", '"status";r=0;t=7')],
        id="429-ratelimit-resets-with-it",
    ),
    pytest.param(
        429,
        "Sun, 06 Nov 1994 08:49:37 GMT",
        [VARY, ("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"), POLICY, ("RateLimit", '"status";r=0;t=0')],
        id="429-a-past-date-resets-now",
    ),
    pytest.param(
        429,
        "Sat, 31 Feb 2026 00:00:00 GMT",
        [VARY, ("Retry-After", "Sat, 31 Feb 2026 00:00:00 GMT"), POLICY],
        id="429-no-calendar-date-no-ratelimit",
    ),
    pytest.param(200, "5", [VARY], id="200-ignores-it"),
]


@pytest.mark.parametrize(("code", "retry_after", "headers"), RETRY_AFTER)
def test_retry_after(code: int, retry_after: str, headers: list[tuple[str, str]]) -> None:
    assert sorted(status_headers(code, "GET", retry_after)) == sorted(headers)


TITLES = [
    pytest.param(200, "OK", id="200"),
    pytest.param(404, "Not Found", id="404"),
    pytest.param(418, "I'm a Teapot", id="418-not-werkzeugs-upper-case"),
    pytest.param(299, "Unassigned", id="299"),
    pytest.param(306, "Unused", id="306"),
    pytest.param(599, "Unassigned", id="599"),
]


@pytest.mark.parametrize(("code", "title"), TITLES)
def test_describe_titles(code: int, title: str) -> None:
    assert describe(code)[0] == title


@pytest.mark.parametrize(("code", "klass"), [(299, "200"), (399, "300"), (499, "400"), (599, "500")])
def test_unassigned_codes_are_described_as_their_class(code: int, klass: str) -> None:
    assert f"treats it as {klass}" in describe(code)[1]


@pytest.mark.parametrize("code", [407, 426])
def test_hop_by_hop_codes_say_why_their_header_is_missing(code: int) -> None:
    assert "PEP 3333" in describe(code)[1]


def test_every_final_code_has_a_title_and_a_sentence() -> None:
    for code in range(200, 600):
        title, description = describe(code)
        assert title
        assert title != "UNKNOWN"
        assert description.endswith(".")
