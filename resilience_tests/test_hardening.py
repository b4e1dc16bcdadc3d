"""Hardening, checked on the running container: who it runs as, what it may do, what it gives away."""

import re

import httpx
import pytest
from harness import Compose, media_type

PROC_STATUS = "print(open('/proc/1/status').read())"


@pytest.fixture(scope="module")
def proc_status(compose: Compose) -> dict[str, str]:
    """/proc/1/status of the container's main process (Gunicorn's master), as name -> value."""
    fields = {}
    for line in compose.exec_python(PROC_STATUS).splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return fields


def test_runs_as_non_root(proc_status: dict[str, str], compose: Compose) -> None:
    uids = {int(uid) for uid in proc_status["Uid"].split()}  # real, effective, saved, filesystem
    gids = {int(gid) for gid in proc_status["Gid"].split()}
    assert uids == {10001}
    assert 0 not in gids
    assert compose.exec_python("import os; print(os.getuid())").strip() == "10001"


@pytest.mark.parametrize("field", ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"])
def test_no_capabilities(proc_status: dict[str, str], field: str) -> None:
    assert int(proc_status[field], 16) == 0


def test_no_new_privileges(proc_status: dict[str, str]) -> None:
    assert proc_status["NoNewPrivs"] == "1"


def test_read_only_root_filesystem(compose: Compose) -> None:
    host_config = compose.inspect()["HostConfig"]
    assert isinstance(host_config, dict)
    assert host_config["ReadonlyRootfs"] is True
    # And the kernel agrees: writing next to the code fails with EROFS (30), not a permission error.
    out = compose.exec_python(
        "import errno\n"
        "for path in ('/app/planted.py', '/opt/venv/planted', '/etc/planted'):\n"
        "    try: open(path, 'w')\n"
        "    except OSError as e: print(e.errno)\n"
        "    else: print('written')\n"
    )
    assert out.split() == ["30", "30", "30"]


def test_unhandled_exception_is_generic_and_logged(client: httpx.Client, compose: Compose) -> None:
    response = client.get("/demos/handlers/unhandled")
    assert response.status_code == 500
    assert media_type(response.headers.get("content-type")) == "application/problem+json"
    body = response.json()
    assert set(body) <= {"type", "title", "status", "detail", "request_id"}
    for secret in ("Traceback", "DeliberateError", "secret detail", 'File "', "/app/service"):
        assert secret not in response.text
    logs = compose.run("logs", "--no-color", "service")
    assert "Traceback (most recent call last)" in logs
    assert "DeliberateError: a secret detail that must never reach the client" in logs


def test_werkzeug_debugger_is_unreachable(client: httpx.Client) -> None:
    """Neither the console nor the debugger's resources answer, even on a failing request."""
    assert client.get("/console").status_code == 404
    response = client.get("/demos/handlers/unhandled", params={"__debugger__": "yes", "cmd": "resource"})
    assert response.status_code == 500
    assert media_type(response.headers.get("content-type")) == "application/problem+json"
    assert "debugger" not in response.text.lower()


# One of each kind the app answers: 200 JSON and HTML, 404, 405 with Allow, 500, HEAD, OPTIONS.
RESPONSES = [
    pytest.param("GET", "/healthz", id="200-json"),
    pytest.param("GET", "/success", id="200-html"),
    pytest.param("GET", "/", id="index-html"),
    pytest.param("GET", "/notfound", id="404-html"),
    pytest.param("GET", "/openapi.json", id="openapi"),
    pytest.param("GET", "/no/such/page", id="404-problem"),
    pytest.param("POST", "/success", id="405-problem"),
    pytest.param("GET", "/demos/handlers/unhandled", id="500-problem"),
    pytest.param("HEAD", "/healthz", id="head"),
    pytest.param("OPTIONS", "/healthz", id="options"),
]


@pytest.mark.parametrize(("method", "path"), RESPONSES)
def test_security_headers(client: httpx.Client, method: str, path: str) -> None:
    # A browser's Accept, so the index answers its HTML page.
    response = client.request(method, path, headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.headers.get("x-content-type-options") == "nosniff"
    # The Server header names the software at most, never its version.
    server = response.headers.get("server", "")
    assert not re.search(r"\d", server)
    assert "/" not in server
    if media_type(response.headers.get("content-type")) == "text/html":
        csp = response.headers["content-security-policy"]
        directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
        assert directives["default-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        if path == "/":
            # The explorer runs its own script file only: never inline, never from another origin.
            assert directives["script-src"] == ["'self'"]
        else:
            assert "script-src" not in directives  # so default-src 'none' forbids every script
        assert "unsafe" not in csp


def test_gunicorn_logs_no_errors_at_boot(compose: Compose) -> None:
    """Gunicorn's own log (lines tagged [ERROR]) stays clean; the app's deliberate 500s log apart."""
    logs = compose.run("logs", "--no-color", "service")
    assert "Booting worker" in logs
    assert "] [ERROR] " not in logs
