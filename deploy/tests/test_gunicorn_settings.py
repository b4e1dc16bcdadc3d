"""STATUS_MAX_DELAY under a real Gunicorn: its timeouts stay above the cap, and a started server honours it.

These start Gunicorn processes, so they live beside the other deployment settings checks (`make lint`),
not in the in-process unit layer; the cap's bounds and pattern are unit-tested in unit_tests/.
"""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
# Metrics off: a metrics port inherited from the caller's environment may be taken by a running container.
QUIET = {"METRICS_PORT": "0"}


def gunicorn(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Gunicorn's config check with the service's config file and these variables set."""
    return subprocess.run(
        [str(GUNICORN), "--config", "service/server/gunicorn.conf.py", *args],
        cwd=ROOT,
        env={**os.environ, **QUIET, **env},
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
    server = subprocess.Popen(
        [str(GUNICORN), "--config", "service/server/gunicorn.conf.py", "--workers", "1"],
        cwd=ROOT,
        env={**os.environ, **QUIET, "STATUS_MAX_DELAY": "1", "GUNICORN_BIND": f"127.0.0.1:{port}"},
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
