"""The client-testing options of /status: each schema accepts exactly what its parser accepts; steps."""

from datetime import timedelta
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from service.tester import status_input
from service.tester.status_input import parameters, parse_codes, parse_options

CAP = 10  # the default delay cap (STATUS_MAX_DELAY)
CLIENT_TESTING = ("sequence", "retry_after", "fault", "duration")
SCHEMAS: dict[str, dict[str, Any]] = {
    p["name"]: p["schema"] for p in parameters(CAP, 600, 10_000) if p["name"] in CLIENT_TESTING
}
VALID = {name: jsonschema_rs.Draft202012Validator(schema).is_valid for name, schema in SCHEMAS.items()}
BOUNDED = settings(max_examples=150, deadline=timedelta(seconds=1), database=None,
                   suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
# A context in which each option, taken alone, is allowed: a 503 takes retry_after, drip takes duration.
CONTEXT = {"sequence": [], "retry_after": [], "fault": [], "duration": [("fault", "drip")]}


def accepted(name: str, value: str) -> bool:
    try:
        parse_options(MultiDict([(name, value), *CONTEXT[name]]), parse_codes("503"), CAP)
    except ValueError:
        return False
    return True


NEAR = {
    "sequence": ["a", "k" * 64, "k" * 65, "", "a b", "a/b", "é", "a.b_c-D9", "a\n"],
    "retry_after": [
        *("0", "1", "86400", "86401", "00", "01", "-1", "1.0", "1e3", " 1", "1 "),
        *("Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC"),
        *("Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 24:00:00 GMT"),
        *("Sun, 32 Nov 1994 08:49:37 GMT", "Sat, 31 Feb 2026 23:59:60 GMT", "sun, 06 Nov 1994 08:49:37 GMT"),
    ],
    "fault": ["empty", "reset", "truncate", "drip", "Reset", "", "close", "drip "],
    "duration": ["0", "0.5", "10", "10.0", "10.000001", "11", "-1", "1e1", "01", ".5", "5."],
}
CASES = [
    pytest.param(name, value, id=f"{name}={value!r}") for name, values in NEAR.items() for value in values
]


@pytest.mark.parametrize(("name", "value"), CASES)
def test_schema_and_parser_agree_on_near_misses(name: str, value: str) -> None:
    assert VALID[name](value) == accepted(name, value)


@BOUNDED
@given(st.sampled_from(sorted(NEAR)), st.text(max_size=40))
def test_schema_and_parser_agree_on_any_text(name: str, value: str) -> None:
    assert VALID[name](value) == accepted(name, value)


@BOUNDED
@given(
    st.sampled_from(sorted(NEAR)).flatmap(
        lambda n: st.tuples(
            st.just(n), st.from_regex(SCHEMAS[n].get("pattern", "^(?:empty|reset)$"), fullmatch=True)
        )
    )
)
def test_what_the_schema_allows_is_accepted(pair: tuple[str, str]) -> None:
    assert accepted(*pair)


STEPS = [
    ("503:2,200", [503, 503, 200, 200, 200]),
    ("500,502:0,503:2,200", [500, 503, 503, 200, 200]),
    ("429:3", [429, 429, 429, 429]),
    ("200", [200, 200]),
]


@pytest.mark.parametrize(("codes", "expected"), STEPS)
def test_a_weight_is_a_repeat_count_then_the_last_code_stays(codes: str, expected: list[int]) -> None:
    choice = parse_codes(codes)
    assert [choice.step(n) for n in range(1, len(expected) + 1)] == expected


RULES = [
    ({"sequence": "k"}, "503:1.5,200", "repeat count"),
    ({"retry_after": "5"}, "200,404", "3xx, 429 and 503"),
    ({"duration": "1"}, "200", "fault=drip"),
    ({"fault": "drip", "duration": "6", "delay": "5"}, "200", "together"),
    ({"sequence": "a", "fault": "reset", "retry_after": "1", "duration": "1"}, "503", "fault=drip"),
    ({"fault": "reset", "delay": "x"}, "200", "delay must be"),  # the request-shaped ones come first
]


@pytest.mark.parametrize(("args", "codes", "words"), RULES)
def test_rules_across_parameters(args: dict[str, str], codes: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_options(MultiDict(args), parse_codes(codes), CAP)


def test_drip_defaults_to_a_second_within_the_cap() -> None:
    options = parse_options(MultiDict({"fault": "drip"}), parse_codes("200"), CAP)
    assert options.duration == status_input.DEFAULT_DRIP


@pytest.mark.parametrize("name", CLIENT_TESTING)
def test_each_client_testing_option_may_be_given_once(name: str) -> None:
    value = {"sequence": "k", "retry_after": "1", "fault": "reset", "duration": "1"}[name]
    with pytest.raises(ValueError, match=f"{name} may be given once"):
        parse_options(MultiDict([(name, value), (name, value)]), parse_codes("503"), CAP)


def test_client_testing_options_are_not_request_shaped() -> None:
    for name, value in {"sequence": "k", "retry_after": "1", "fault": "reset"}.items():
        assert not parse_options(MultiDict({name: value}), parse_codes("503"), CAP).request_shaped
    assert parse_options(
        MultiDict({"delay": "1", "header": "X-A: 1"}), parse_codes("503"), CAP
    ).request_shaped
