"""Property tests: the OpenAPI schema of each /status parameter accepts exactly what its parser accepts.

Schemathesis (and any client) trusts /openapi.json, so a string the schema allows must parse and a
string it forbids must raise ValueError (a 400). The oracle is a real JSON Schema validator on the very
schema objects of status_input.parameters(...) at the default settings — maxLength, maxItems and `not`
included. It is jsonschema-rs, whose regexes follow ECMA-262 as JSON Schema asks: Python's re would let
`^...$` match "200\\n".
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import jsonschema_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from service.settings import Settings
from service.tester.status_input import parameters, parse_codes, parse_options

DEFAULTS = Settings()
CAP = DEFAULTS.status_max_delay  # the default, 10 s

SCHEMAS: dict[str, dict[str, Any]] = {
    p["name"]: p["schema"] for p in parameters(CAP, DEFAULTS.sequence_ttl, DEFAULTS.sequence_max_keys)
}
VALID = {name: jsonschema_rs.Draft202012Validator(schema).is_valid for name, schema in SCHEMAS.items()}
ITEM_VALID = jsonschema_rs.Draft202012Validator(SCHEMAS["header"]["items"]).is_valid
# Bounded, so the whole unit layer stays well under 5 s; no example database written into the tree.
BOUNDED = settings(
    max_examples=100,
    deadline=timedelta(seconds=1),
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# The positive direction only confirms what the agreement tests check too, from the schema's own regex.
FROM_SCHEMA = settings(BOUNDED, max_examples=50)


def parses(parse: Callable[[Any], object], value: Any) -> bool:
    """True if `parse` accepts `value`, False on ValueError; any other exception fails the test."""
    try:
        parse(value)
    except ValueError:
        return False
    return True


def option(name: str) -> Callable[[Any], object]:
    return lambda value: parse_options(
        MultiDict([(name, v) for v in value] if name == "header" else [(name, value)]), TEAPOT, CAP
    )


TEAPOT = parse_codes("418")


def around(bound: int) -> st.SearchStrategy[str]:
    """Strings near a length bound, padded or not, cheap to make: text of that size costs Hypothesis."""
    return st.builds(
        lambda lead, size, last, trail: " " * lead + "v" * size + last + " " * trail,
        st.sampled_from([0, 0, 1, 2]),
        st.integers(bound - 2, bound),
        st.sampled_from(["", "v", "~", " ", "\t", "\n", "\u00e9"]),
        st.sampled_from([0, 0, 1, 2]),
    )


# Near-misses the grammar must tell apart: zero spellings, signs, exponents, padding, 7 digits.
WEIGHTS = [
    *("0", "0.0", "0.000000", "0.0000000", "00", "-0", "+0", "0e0", ".0", "0.", "0x0"),
    *("1", "0.5", "0.000001", "999999.999999", "1000000", "01", "1e3", "nan", "inf", " 1", "1 ", "1.5.5"),
]
CODES = [
    "099",
    "100",
    "101",
    "199",
    "200",
    "299",
    "500",
    "599",
    "600",
    "2OO",
    "+200",
    " 200",
    "\uff12\uff10\uff10",
    "",
]
entry = st.tuples(
    st.one_of(st.sampled_from(CODES), st.integers(0, 1000).map(str)),
    st.one_of(
        st.none(), st.sampled_from(WEIGHTS), st.from_regex(r"-?[0-9]{0,8}(\.[0-9]{0,8})?", fullmatch=True)
    ),
).map(lambda pair: pair[0] if pair[1] is None else f"{pair[0]}:{pair[1]}")
# Lists where every weight is some spelling of zero, or all but one: the `not` pattern's boundary.
zero_entry = st.tuples(
    st.sampled_from(["200", "418", "599"]),
    st.sampled_from(["0", "0.0", "0.000000", "0.000001", "1"]),
)


def list_of_length(length: int) -> str:
    """Twelve well-formed entries, `length` characters in all: the 200-character bound, from both sides."""
    sizes = [17] * 12  # "200:999999.999999"
    for i in range(12 * 18 - 1 - length):
        sizes[i % 12] -= 1
    return ",".join("200:" + weight_of(size - 4) for size in sizes)


def weight_of(size: int) -> str:
    """A well-formed nonzero weight of `size` characters (1 to 13)."""
    if size <= 6:
        return "9" * size
    whole = min(6, size - 2)
    return "9" * whole + "." + "9" * (size - 1 - whole)


code_lists = st.one_of(
    st.lists(entry, min_size=1, max_size=22).map(",".join),
    st.lists(zero_entry, min_size=1, max_size=3).map(lambda es: ",".join(f"{c}:{w}" for c, w in es)),
    st.from_regex(r"[0-9]{2,4}(:[0-9.]{0,8})?(,[0-9]{2,4}(:[0-9.]{0,8})?){0,21}[\n ,:]?", fullmatch=True),
    st.text(alphabet="0123456789:,.-e ", max_size=40),
    st.text(max_size=30),
)


@BOUNDED
@given(code_lists)
def test_codes_schema_accepts_exactly_what_parse_codes_accepts(text: str) -> None:
    assert VALID["codes"](text) == parses(parse_codes, text)


@FROM_SCHEMA
@given(st.from_regex(SCHEMAS["codes"]["pattern"], fullmatch=True).filter(VALID["codes"]))
def test_every_schema_valid_code_list_parses(text: str) -> None:
    assert parses(parse_codes, text)


delays = st.one_of(
    st.from_regex(r"[-+]?[0-9]{0,3}(\.[0-9]{0,8})?(e[0-9])?[\n ]?", fullmatch=True),
    st.sampled_from(["nan", "inf", "10", "10.0", "10.000000", "10.0000000", "10.000001", "9.999999", "010"]),
    st.text(max_size=12),
)


@BOUNDED
@given(delays)
def test_delay_schema_accepts_exactly_what_parse_options_accepts(text: str) -> None:
    assert VALID["delay"](text) == parses(option("delay"), text)


@FROM_SCHEMA
@given(st.from_regex(SCHEMAS["delay"]["pattern"], fullmatch=True).filter(VALID["delay"]))
def test_every_schema_valid_delay_parses(text: str) -> None:
    assert parses(option("delay"), text)


reasons = st.one_of(
    st.from_regex(r"[ \t]?[ -~]{0,3}[ \t\n]?", fullmatch=True),
    around(64),
    st.text(alphabet=st.characters(max_codepoint=0xFF), max_size=70),
    st.text(max_size=70),
)


@BOUNDED
@given(reasons)
def test_reason_schema_accepts_exactly_what_parse_options_accepts(text: str) -> None:
    assert VALID["reason"](text) == parses(option("reason"), text)


@FROM_SCHEMA
@given(st.from_regex(SCHEMAS["reason"]["pattern"], fullmatch=True).filter(VALID["reason"]))
def test_every_schema_valid_reason_parses(text: str) -> None:
    assert parses(option("reason"), text)


# Names docs/status-target.md refuses (any case, and the Access-Control- prefix), beside ordinary ones.
REFUSED = [
    "Set-Cookie",
    "Location",
    "TE",
    "Content-Length",
    "Vary",
    "Alt-Svc",
    "Access-Control-",
    "Set-Cookie2",
]
names = st.one_of(
    st.sampled_from(REFUSED).flatmap(lambda n: st.sampled_from([n, n.lower(), n.upper(), n.swapcase()])),
    st.sampled_from(["Set-Cookies", "XLocation", "Access-Control", "TEs", "Vary-"]),
    st.from_regex(r"[A-Za-z0-9!#$%&'*+.^_`|~ \-]{0,66}", fullmatch=True),
)
values = st.one_of(
    st.from_regex(r" {0,3}[ -~]{0,4}[ \t\r\n\x00]? {0,3}", fullmatch=True),
    around(256),
    st.text(max_size=8),
)
headers = st.one_of(
    st.tuples(names, st.sampled_from([":", ": ", " :", ""]), values).map("".join),
    st.text(max_size=20),
)


@BOUNDED
@given(headers)
def test_header_schema_accepts_exactly_what_parse_options_accepts(text: str) -> None:
    assert VALID["header"]([text]) == parses(option("header"), [text])


@BOUNDED
@given(st.lists(st.sampled_from(["X-A: 1", "X-B:", "Set-Cookie: a", "bad"]), max_size=12))
def test_header_list_schema_accepts_exactly_what_parse_options_accepts(texts: list[str]) -> None:
    assert VALID["header"](texts) == parses(option("header"), texts)


# Each length or count bound, approached from both sides: 200 characters and 20 entries of codes, 64
# characters of reason, 256 of a header value, 10 headers.
at_the_bounds = st.one_of(
    st.tuples(st.just("codes"), st.integers(197, 203).map(list_of_length)),
    st.tuples(
        st.just("codes"),
        st.lists(st.sampled_from(["200", "500:1", "418:0"]), min_size=19, max_size=21).map(",".join),
    ),
    st.tuples(st.just("reason"), around(64)),
    st.tuples(
        st.just("header"),
        st.builds(lambda sep, value: ["X-Long" + sep + value], st.sampled_from([":", ": "]), around(256)),
    ),
    st.tuples(st.just("header"), st.lists(st.sampled_from(["X-A: 1", "X-B:"]), min_size=9, max_size=11)),
)
PARSERS: dict[str, Callable[[Any], object]] = {
    "codes": parse_codes,
    "reason": option("reason"),
    "header": option("header"),
}


@BOUNDED
@given(at_the_bounds)
def test_schemas_and_parsers_agree_at_every_length_and_count_bound(case: tuple[str, Any]) -> None:
    name, value = case
    assert VALID[name](value) == parses(PARSERS[name], value)


@FROM_SCHEMA
@given(st.from_regex(SCHEMAS["header"]["items"]["pattern"], fullmatch=True).filter(ITEM_VALID))
def test_every_schema_valid_header_parses(text: str) -> None:
    assert parses(option("header"), [text])
