"""service/httpbin/params.py: each parameter kind takes its bounds, refuses the rest with BadParameter."""

import pytest

from service.httpbin.params import BadParameter, Number, OneOf, Whole

N = Whole("n", 1, 20)
SECONDS = Number("delay", 0, 10)
QOP = OneOf("qop", ("auth", "auth-int"))


@pytest.mark.parametrize(("raw", "value"), [("1", 1), ("20", 20), ("07", 7)])
def test_whole_accepts_its_bounds(raw: str, value: int) -> None:
    assert N.parse(raw) == value


@pytest.mark.parametrize("raw", [None, "", "0", "21", "-1", "+3", "1.0", "1e1", " 3", "٣", "9" * 12])
def test_whole_refuses_the_rest_naming_itself(raw: str | None) -> None:
    with pytest.raises(BadParameter) as caught:
        N.parse(raw)
    assert caught.value.code == 400
    assert caught.value.description == "n must be a whole number from 1 to 20"
    assert caught.value.problem == {"parameter": "n"}


@pytest.mark.parametrize(("raw", "value"), [("0", 0.0), ("10", 10.0), ("0.5", 0.5), ("2.125", 2.125)])
def test_number_accepts_its_bounds(raw: str, value: float) -> None:
    assert SECONDS.parse(raw) == value


@pytest.mark.parametrize("raw", ["10.1", "-0", "inf", "nan", "1e0", ".5", "5.", "0.1234567"])
def test_number_refuses_the_rest(raw: str) -> None:
    with pytest.raises(BadParameter, match="delay must be a number from 0 to 10"):
        SECONDS.parse(raw)


def test_one_of_and_defaults() -> None:
    assert QOP.parse("auth-int") == "auth-int"
    assert QOP.parse(None, "auth") == "auth"
    assert N.parse(None, 3) == 3
    with pytest.raises(BadParameter, match="qop must be one of auth, auth-int"):
        QOP.parse("AUTH")


def test_docs_carry_the_same_bounds() -> None:
    assert Whole("n", 1, 20, "hops", where="path").doc == {
        "name": "n",
        "in": "path",
        "description": "hops (a whole number from 1 to 20)",
        "schema": {"type": "integer", "minimum": 1, "maximum": 20},
        "required": True,
    }
    assert QOP.doc["schema"] == {"type": "string", "enum": ["auth", "auth-int"]}
    assert SECONDS.doc["schema"] == {"type": "number", "minimum": 0, "maximum": 10}
