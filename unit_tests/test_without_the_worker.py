"""Honest without Gunicorn: under app.test_client() (as under `flask run`), what needs the container's
worker says so with 501 problem+json, and /wire still shows a route's answer (made in-process)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from flask.testing import FlaskClient

from service.app import create_app
from service.settings import Settings
from testkit.host import free_port, stop

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return create_app(Settings()).test_client()


@pytest.mark.parametrize(
    "fault", ["empty", "reset", "truncate", "close", "stall-head", "stall-body", "overlong", "bad-chunk"]
)
def test_a_fault_that_needs_the_connection_answers_501(client: FlaskClient, fault: str) -> None:
    duration = "&duration=0" if fault.startswith("stall") else ""
    response = client.get(f"/status/200?fault={fault}{duration}")
    assert response.status_code == 501
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 501
    assert f"fault={fault}" in body["detail"]
    assert "Gunicorn worker" in body["detail"]


@pytest.mark.parametrize("fault", ["refuse", "goaway"])
def test_an_http2_fault_over_http1_is_400_before_any_worker_is_needed(
    client: FlaskClient, fault: str
) -> None:
    response = client.get(f"/status/200?fault={fault}")
    assert (response.status_code, response.content_type) == (400, "application/problem+json")
    assert "HTTP/2" in response.get_json()["detail"]


def test_the_attempt_log_needs_no_worker(client: FlaskClient) -> None:
    # The store is the process's; only the connection id (same_connection_as_previous) needs the worker.
    for _ in range(2):
        client.get("/status/503,200?sequence=no-worker")
    body = client.get("/sequences/no-worker").get_json()
    assert [a["status"] for a in body["attempts"]] == [503, 200]
    assert body["attempts"][1]["same_connection_as_previous"] is None


def test_drip_needs_no_worker(client: FlaskClient) -> None:
    response = client.get("/status/200?fault=drip&duration=0")
    assert response.status_code == 200
    assert response.get_data().startswith(b"200 OK")


def test_wire_answers_in_process(client: FlaskClient) -> None:
    response = client.post("/wire", json={"url": "/wrong"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == 404
    assert body["responses"][-1]["line"].startswith("HTTP/1.1 404")
    assert body["body"] == "Error"
    assert body["complete"] is True


def test_flask_run_serves_the_page_send_and_wire_and_refuses_a_fault() -> None:
    """The learner's first move after cloning, for real: Werkzeug's development server on a free port."""
    port = free_port()
    env = {**os.environ, "FLASK_APP": "service.app:create_app()"}
    flask = [sys.executable, "-m", "flask", "run", "--port", str(port)]
    quiet = subprocess.DEVNULL
    server = subprocess.Popen(flask, cwd=ROOT, env=env, stdout=quiet, stderr=quiet)  # noqa: S603 - fixed argv
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=10) as http:
            for _ in range(100):  # at most 10 s for the server to listen
                try:
                    http.get("/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            page = http.get("/", headers={"Accept": "text/html"})
            assert page.status_code == 200
            assert "text/html" in page.headers["content-type"]
            assert http.get("/wrong").status_code == 404  # what Send asks for
            wire = http.post("/wire", json={"url": "/wrong"}).json()
            assert wire["status"] == 404
            assert wire["responses"][-1]["headers"][0][0] == "Server"  # a real connection: the server's head
            fault = http.get("/status/200?fault=reset")
            assert fault.status_code == 501
            assert "Gunicorn worker" in fault.json()["detail"]
    finally:
        stop(server)
