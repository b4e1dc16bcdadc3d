"""STATUS_MAX_DELAY: the bounds it accepts, the delay pattern it yields, and Gunicorn's timeouts above it."""

import os
import re
import socket
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from service import delay_cap

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
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


def gunicorn(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Gunicorn's config check with the service's config file and these variables set."""
    return subprocess.run(  # noqa: S603 - our own venv's gunicorn, fixed arguments
        [str(GUNICORN), "--config", "service/gunicorn.conf.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(("cap", "timeout", "graceful"), [("10", 30, 20), ("0", 30, 20), ("120", 140, 130)])
def test_gunicorns_timeouts_stay_above_the_cap(cap: str, timeout: int, graceful: int) -> None:
    printed = gunicorn("--print-config", STATUS_MAX_DELAY=cap)
    assert printed.returncode == 0, printed.stderr
    settings = dict(re.findall(r"^(\w+)\s+= (.*)$", printed.stdout, re.MULTILINE))
    assert (int(settings["timeout"]), int(settings["graceful_timeout"])) == (timeout, graceful)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"STATUS_MAX_DELAY": "601"},
            "STATUS_MAX_DELAY='601': expected a whole number of seconds from 0 to 600",
        ),
        (
            {"STATUS_MAX_DELAY": "60", "GUNICORN_GRACEFUL_TIMEOUT": "30"},
            "GUNICORN_GRACEFUL_TIMEOUT='30': expected a whole number from 61 to 3600",
        ),
    ],
)
def test_gunicorn_refuses_to_start_with_a_cap_it_cannot_honour(env: dict[str, str], message: str) -> None:
    checked = gunicorn("--check-config", **env)
    assert checked.returncode != 0
    assert message in checked.stdout + checked.stderr


def test_a_server_started_with_a_one_second_cap_holds_requests_and_its_schema_to_it() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn, fixed arguments
        [str(GUNICORN), "--config", "service/gunicorn.conf.py", "--workers", "1"],
        cwd=ROOT,
        env={**os.environ, "STATUS_MAX_DELAY": "1", "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    client.get("/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            assert client.get("/status/200?delay=1").status_code == 200
            refused = client.get("/status/200?delay=1.5")
            assert refused.status_code == 400
            assert "from 0 to 1," in refused.json()["detail"]
            schema = next(
                p["schema"]
                for p in client.get("/openapi.json").json()["paths"]["/status/{codes}"]["get"]["parameters"]
                if p["name"] == "delay"
            )
            assert re.search(schema["pattern"], "1")
            assert not re.search(schema["pattern"], "1.5")
    finally:
        server.terminate()
        server.wait(timeout=30)
