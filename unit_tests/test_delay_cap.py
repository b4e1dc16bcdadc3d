"""STATUS_MAX_DELAY: the delay pattern a cap yields, and an app built with a cap holds /status to it.

No Gunicorn: create_app(Settings(status_max_delay=...)) takes the cap as an argument. Its bounds are in
test_settings.py; Gunicorn's timeouts above it in deploy/tests.
"""

import re
from decimal import Decimal
from typing import Any

import pytest

from service.app import create_app
from service.contract import openapi
from service.settings import Settings
from service.tester import delay_cap

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


def _delay_schema(spec: dict[str, Any]) -> dict[str, Any]:
    parameters = spec["paths"]["/status/{codes}"]["get"]["parameters"]
    schema: dict[str, Any] = next(p["schema"] for p in parameters if p["name"] == "delay")
    return schema


def test_an_app_built_with_a_one_second_cap_holds_requests_and_its_schema_to_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The environment says otherwise: the Settings given win, and nothing sleeps (delay 0.0 below).
    monkeypatch.setenv("STATUS_MAX_DELAY", "600")
    app = create_app(Settings(status_max_delay=1))
    client = app.test_client()
    assert client.get("/status/200?delay=0.0").status_code == 200
    refused = client.get("/status/200?delay=1.5")
    assert refused.status_code == 400
    assert "from 0 to 1," in refused.get_json()["detail"]
    # A preflight promises no URL the request would refuse.
    preflight = {"Origin": "http://example.test", "Access-Control-Request-Method": "GET"}
    assert client.options("/status/200?delay=1.5", headers=preflight).status_code == 400
    assert client.options("/status/200?delay=1", headers=preflight).status_code == 204
    pattern = re.compile(_delay_schema(client.get("/openapi.json").get_json())["pattern"])
    assert pattern.search("1")
    assert not pattern.search("1.5")


def test_two_apps_with_different_caps_do_not_share_one() -> None:
    short, long = create_app(Settings(status_max_delay=1)), create_app(Settings(status_max_delay=300))
    assert short.test_client().get("/status/200?delay=2").status_code == 400
    assert "from 0 to 300," in long.test_client().get("/status/200?delay=301").get_json()["detail"]
    assert re.search(_delay_schema(openapi.spec(long))["pattern"], "299.5")
    assert not re.search(_delay_schema(openapi.spec(short))["pattern"], "299.5")
