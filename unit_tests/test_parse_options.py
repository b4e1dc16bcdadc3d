"""parse_options and parse_header: the /status query options docs/status-target.md documents, as tables."""

from collections.abc import Callable

import pytest
from werkzeug.datastructures import MultiDict

from service.tester.status_input import NAMES, Options, parse_codes, parse_header, parse_options

TEAPOT = parse_codes("418")

GOOD = [
    pytest.param([], Options(0.0, None, ()), id="none"),
    pytest.param([("delay", "0.5")], Options(delay=0.5), id="delay"),
    pytest.param([("delay", "0")], Options(delay=0.0), id="delay-zero"),
    pytest.param([("delay", "0.000001")], Options(delay=0.000001), id="delay-smallest"),
    pytest.param([("delay", "10")], Options(delay=10.0), id="delay-cap"),
    pytest.param([("delay", "10.000000")], Options(delay=10.0), id="delay-cap-6-decimals"),
    pytest.param([("reason", "Brewing")], Options(reason="Brewing"), id="reason"),
    pytest.param([("reason", "x" * 64)], Options(reason="x" * 64), id="reason-64"),
    pytest.param(
        [("reason", "Try again: later")], Options(reason="Try again: later"), id="reason-inner-space"
    ),
    pytest.param([("header", "X-Test: yes")], Options(headers=(("X-Test", "yes"),)), id="header"),
    pytest.param([("header", "X-A:no-space")], Options(headers=(("X-A", "no-space"),)), id="header-no-space"),
    pytest.param([("header", "X-Empty:")], Options(headers=(("X-Empty", ""),)), id="header-empty-value"),
    pytest.param([("header", "X-Pad:   v w   ")], Options(headers=(("X-Pad", "v w"),)), id="header-trimmed"),
    pytest.param(
        [("header", "X-One: 1"), ("header", "X-Two: 2"), ("header", "X-One: again")],
        Options(headers=(("X-One", "1"), ("X-Two", "2"), ("X-One", "again"))),
        id="header-repeats-in-order",
    ),
    pytest.param(
        [("delay", "1"), ("reason", "Later"), ("header", "X-A: 1")],
        Options(1.0, "Later", (("X-A", "1"),)),
        id="all-three",
    ),
]


@pytest.mark.parametrize(("args", "options"), GOOD)
def test_good_options_parse(args: list[tuple[str, str]], options: Options) -> None:
    assert parse_options(MultiDict(args), TEAPOT, 10) == options


def test_header_bounds_are_inclusive() -> None:
    args = [("header", f"X-{n}: {n}") for n in range(9)] + [("header", "N" * 64 + ": " + "v" * 256)]
    options = parse_options(MultiDict(args), TEAPOT, 10)
    assert len(options.headers) == 10
    assert options.headers[-1] == ("N" * 64, "v" * 256)


# Outside 0-10, or not written plainly (sign, exponent, leading zero, over 6 decimals, padding).
BAD_DELAYS = [
    *("10.5", "11", "10.000001", "10.0000000", "0.1234567", "-1", "+1", "abc", "nan", "inf", "1e1"),
    *("010", "", " 1", "1."),
]
BAD = [
    pytest.param([("unknown", "1")], "unknown", id="unknown"),
    pytest.param([("Delay", "1")], "unknown", id="names-are-case-sensitive"),
    pytest.param([("delay", "1"), ("delay", "2")], "once", id="delay-twice"),
    pytest.param([("reason", "a"), ("reason", "b")], "once", id="reason-twice"),
    *(pytest.param([("delay", value)], "delay", id=f"delay-{value!r}") for value in BAD_DELAYS),
    *(
        pytest.param([("reason", value)], "reason", id=f"reason-{value!r}")
        for value in ("", " padded", "padded ", "caf\u00e9", "a\r\nSet-Cookie: x=1", "tab\there", "x" * 65)
    ),
    pytest.param([("header", f"X-{n}: {n}") for n in range(11)], "at most 10", id="eleven-headers"),
]


def test_the_unknown_parameter_error_names_every_option() -> None:
    with pytest.raises(ValueError, match="bogus") as raised:
        parse_options(MultiDict([("bogus", "1")]), TEAPOT, 10)
    assert str(raised.value) == (
        "unknown query parameter 'bogus': the options are delay, reason, header, sequence, retry_after, "
        "fault and duration"
    )
    assert NAMES == ("delay", "reason", "header", "sequence", "retry_after", "fault", "duration")


@pytest.mark.parametrize(("args", "says"), BAD)
def test_bad_options_raise_value_error_saying_why(args: list[tuple[str, str]], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_options(MultiDict(args), TEAPOT, 10)


BAD_HEADERS = [
    pytest.param("no colon", "token", id="no-colon"),
    pytest.param("Bad Name: x", "token", id="name-not-token"),
    pytest.param(": x", "token", id="empty-name"),
    pytest.param("X" * 65 + ": 1", "token", id="name-over-64"),
    pytest.param("Caf\u00e9: 1", "token", id="name-not-ascii"),
    pytest.param("X-A: 1\r\nSet-Cookie: x=1", "printable", id="crlf"),
    pytest.param("X-A: 1\x00", "printable", id="nul"),
    pytest.param("X-A: a\tb", "printable", id="tab"),
    pytest.param("X-A: caf\u00e9", "printable", id="not-ascii"),
    pytest.param("X-A: " + "v" * 257, "printable", id="value-over-256"),
]


@pytest.mark.parametrize(("text", "says"), BAD_HEADERS)
def test_bad_headers_raise_value_error_saying_why(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_header(text)


# The names docs/status-target.md says `header` refuses, whatever their case.
REFUSED = [
    *("Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE"),
    *("Trailer", "Trailers", "Transfer-Encoding", "Upgrade", "Server", "Date"),
    *("Content-Length", "Content-Type", "Content-Encoding", "Content-Disposition"),
    *("Location", "WWW-Authenticate", "Allow", "Retry-After", "Content-Range", "Vary"),
    *("X-Content-Type-Options", "Set-Cookie", "Set-Cookie2", "Refresh", "Content-Security-Policy"),
    *("Strict-Transport-Security", "Alt-Svc", "Clear-Site-Data", "Access-Control-Allow-Origin"),
    "Access-Control-Anything",
]


@pytest.mark.parametrize("name", REFUSED)
@pytest.mark.parametrize("spell", [str, str.lower, str.upper], ids=["as-written", "lower", "upper"])
def test_refused_names_raise_value_error_naming_them(name: str, spell: Callable[[str], str]) -> None:
    spelled = spell(name)
    with pytest.raises(ValueError, match=f"'{spelled}' is not one a client may set"):
        parse_header(f"{spelled}: x")


@pytest.mark.parametrize(
    "name", ["X-Test", "Cache-Control", "Link", "ETag", "Content-Language", "X-Location"]
)
def test_other_names_pass(name: str) -> None:
    assert parse_header(f"{name}: v") == (name, "v")
