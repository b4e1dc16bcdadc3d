"""The service's Gunicorn worker serves the app it is given: the service's factory when the command line
names none (the config's wsgi_app), any other app when it names one. make bench runs its floors (a
minimal Flask app, a bare WSGI callable) and httpbin under this same config; a worker that always built
the service made every one of them the service, and every ratio a comparison of the service with itself.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from testkit.host import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
BARE = "bench.floors:bare_wsgi"  # answers every path with 200 and `Success!`, nothing else


def serve_once(*app: str) -> httpx.Response:
    """GET /status/418 from Gunicorn under service/server/gunicorn.conf.py, given these app arguments."""
    port = free_port()
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "METRICS_PORT": "0", "WEB_CONCURRENCY": "1"}
    argv = [sys.executable, "-m", "gunicorn", "--config", "service/server/gunicorn.conf.py", *app]
    quiet = subprocess.DEVNULL
    server = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=quiet, stderr=quiet)  # noqa: S603 - fixed argv
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            for _ in range(150):  # at most 15 s for a worker to listen
                try:
                    return http.get("/status/418")
                except httpx.TransportError:
                    time.sleep(0.1)
        pytest.fail("Gunicorn never answered")
    finally:
        stop(server)


def test_without_an_app_argument_the_worker_serves_the_service() -> None:
    assert serve_once().status_code == 418


def test_an_app_named_on_the_command_line_is_what_answers() -> None:
    response = serve_once(BARE)
    assert (response.status_code, response.text) == (200, "Success!")
