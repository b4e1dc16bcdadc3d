"""parse_codes: the /status/<codes> syntax docs/status-target.md documents, as tables, in-process."""

import pytest

from service.tester.status_input import Choice, parse_codes

GOOD = [
    pytest.param("418", (418,), (1.0,), id="one-code"),
    pytest.param("200,500", (200, 500), (1.0, 1.0), id="uniform"),
    pytest.param("200:3,500:1", (200, 500), (3.0, 1.0), id="weighted"),
    pytest.param("202,503:2", (202, 503), (1.0, 2.0), id="no-weight-weighs-1"),
    pytest.param("200:0.5,418:0.25", (200, 418), (0.5, 0.25), id="fractional"),
    pytest.param("200:999999.999999,599:0.000001", (200, 599), (999999.999999, 0.000001), id="bounds"),
    pytest.param("299", (299,), (1.0,), id="unassigned-2xx"),
    # A weight of 0 means never: the code is not among those drawn.
    pytest.param("200:1,500:0", (200,), (1.0,), id="zero-switches-off"),
    pytest.param("200:0,503", (503,), (1.0,), id="zero-then-default"),
    pytest.param("500:0.0,418:0.5,502:0.000000", (418,), (0.5,), id="every-spelling-of-zero"),
    pytest.param(",".join(["200:1"] * 20), (200,) * 20, (1.0,) * 20, id="20-entries"),
]


@pytest.mark.parametrize(("text", "codes", "weights"), GOOD)
def test_good_lists_parse(text: str, codes: tuple[int, ...], weights: tuple[float, ...]) -> None:
    assert parse_codes(text) == Choice(codes, weights)


BAD = [
    pytest.param("abc", "not a status code", id="word"),
    pytest.param("", "not a status code", id="empty"),
    pytest.param("2OO", "not a status code", id="letter-o"),
    pytest.param("\uff12\uff10\uff10", "not a status code", id="full-width-digits"),
    pytest.param("99", "not a status code", id="two-digits"),
    pytest.param("0200", "not a status code", id="four-digits"),
    pytest.param("+200", "not a status code", id="sign"),
    pytest.param(" 200", "not a status code", id="leading-space"),
    pytest.param("600", "not a status code", id="above-599"),
    pytest.param("000", "not a status code", id="zero"),
    pytest.param("200,", "not a status code", id="trailing-comma"),
    pytest.param("200,,500", "not a status code", id="empty-entry"),
    pytest.param("200:1:2", "weight", id="two-weights"),
    pytest.param("200:", "weight", id="empty-weight"),
    pytest.param("200:-1", "weight", id="negative"),
    pytest.param("200:-0", "weight", id="negative-zero"),
    pytest.param("200:1e3", "weight", id="exponent"),
    pytest.param("200:nan", "weight", id="nan"),
    pytest.param("200:inf", "weight", id="inf"),
    pytest.param("200:01", "weight", id="leading-zero"),
    pytest.param("200:00", "weight", id="zero-leading-zero"),
    pytest.param("200:3.", "weight", id="bare-point"),
    pytest.param("200:.5", "weight", id="no-integer-part"),
    pytest.param("200:1234567", "weight", id="over-6-digits"),
    pytest.param("200:0.1234567", "weight", id="over-6-decimals"),
    pytest.param("200:0.0000000", "weight", id="zero-over-6-decimals"),
    pytest.param("200: 1", "weight", id="space"),
    pytest.param("100", "1xx", id="100"),
    pytest.param("199", "1xx", id="199"),
    pytest.param("200,101", "1xx", id="1xx-among-others"),
    pytest.param("200:1,100:0", "1xx", id="1xx-even-at-weight-0"),
    pytest.param("200:0", "every weight", id="one-zero"),
    pytest.param("200:0,500:0.0,503:0.000000", "every weight", id="all-zero"),
    pytest.param(",".join(["200"] * 21), "at most 20", id="21-entries"),
    pytest.param(",".join(["200:100000.5"] * 17), "at most 200", id="220-characters"),
]


@pytest.mark.parametrize(("text", "says"), BAD)
def test_bad_lists_raise_value_error_saying_why(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_codes(text)


def test_1xx_refusal_points_to_expect_100_continue() -> None:
    with pytest.raises(ValueError, match="100-continue"):
        parse_codes("100")


@pytest.mark.parametrize(
    ("text", "drawn"), [("418", {418}), ("200:1,500:0", {200}), ("200,500", {200, 500})], ids=str
)
def test_pick_draws_only_codes_with_a_weight(text: str, drawn: set[int]) -> None:
    choice = parse_codes(text)
    # 200 draws: missing one of two equally weighted codes has probability 2**-199.
    assert {choice.pick() for _ in range(200)} == drawn
