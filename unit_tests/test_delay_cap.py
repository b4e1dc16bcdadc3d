"""STATUS_MAX_DELAY: the bounds it accepts and the delay pattern it yields (Gunicorn's side: deploy/tests)."""

import re
from decimal import Decimal

import pytest

from service import delay_cap

# Plain decimals (no sign, exponent or leading zero), up to 6 decimals: the only spelling allowed.
PLAIN = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]{1,6})?")
CANDIDATES = [
    *(str(n) for n in range(0, 1300)),
    *(f"{n}.{f}" for n in range(0, 700) for f in ("0", "5", "000001", "999999", "0000000", "1234567")),
    *("01", "00", "010", "1e1", "-1", "+1", ".5", "5.", "nan", "inf", " 1", "1 ", "٣"),
]


@pytest.mark.parametrize("cap", [0, 1, 2, 9, 10, 11, 19, 59, 60, 99, 100, 101, 110, 599, 600])
def test_the_pattern_accepts_exactly_the_plain_delays_up_to_the_cap(cap: int) -> None:
    allowed = re.compile(delay_cap.pattern(cap))
    for text in CANDIDATES:
        expected = bool(PLAIN.fullmatch(text)) and Decimal(text) <= cap
        assert bool(allowed.fullmatch(text)) is expected, (cap, text)


@pytest.mark.parametrize(("raw", "cap"), [(None, 10), ("0", 0), ("10", 10), ("300", 300), ("600", 600)])
def test_the_cap_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, raw: str | None, cap: int
) -> None:
    if raw is None:
        monkeypatch.delenv("STATUS_MAX_DELAY", raising=False)
    else:
        monkeypatch.setenv("STATUS_MAX_DELAY", raw)
    assert delay_cap.from_environment() == cap


@pytest.mark.parametrize("raw", ["601", "-1", "1.5", "1e2", "", " 5", "ten", "٣"])
def test_a_cap_out_of_bounds_is_refused_with_the_variable_and_its_range(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("STATUS_MAX_DELAY", raw)
    with pytest.raises(ValueError, match=r"STATUS_MAX_DELAY=.*from 0 to 600"):
        delay_cap.from_environment()
