"""Faults, nothing lost: a worker killed under load, a graceful stop with requests in flight, the main
process killed. Each test leaves the service healthy again; each wait is bounded.
"""

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest
from harness import Compose, ms

from testkit.health import healthy, wait_until_healthy
from testkit.plugin import FIGURES


@dataclass
class Outcome:
    """One request of a fault test: when it started and ended, and its status or the error it met."""

    path: str
    started: float
    ended: float
    status: int | None
    error: str = ""


def timed_get(client: httpx.Client, path: str) -> Outcome:
    started = time.monotonic()
    try:
        status: int | None = client.get(path).status_code
        error = ""
    except httpx.HTTPError as exc:
        status, error = None, f"{type(exc).__name__}: {exc}"
    return Outcome(path, started, time.monotonic(), status, error)


def expected_status(path: str) -> int:
    return int(path.split("/")[2].split("?")[0]) if path.startswith("/status/") else 200


@pytest.mark.status_api
def test_worker_killed_under_load(base_url: str, compose: Compose) -> None:
    """SIGKILL one Gunicorn worker while 16 clients keep requesting: only requests it held may fail."""
    before = compose.worker_pids()
    assert len(before) >= 2, f"expected several workers, found {before}"
    paths = ["/healthz", "/status/200?delay=0.5", "/success", "/status/418"]
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client_loop(offset: int) -> None:
        with httpx.Client(base_url=base_url, timeout=10.0) as client:
            for i in range(400):  # bounded in count as well as by the stop event
                if stop.is_set():
                    return
                outcome = timed_get(client, paths[(offset + i) % len(paths)])
                with lock:
                    outcomes.append(outcome)

    with ThreadPoolExecutor(max_workers=16) as pool:
        for offset in range(16):
            pool.submit(client_loop, offset)
        time.sleep(1.5)
        victim = before[0]
        killed_at = time.monotonic()
        compose.exec_python(f"import os, signal; os.kill({victim}, signal.SIGKILL)")
        kill_done = time.monotonic()  # the signal landed somewhere between killed_at and now
        replaced_at = None
        deadline = killed_at + 20
        while time.monotonic() < deadline:
            now = compose.worker_pids()
            if victim not in now and len(now) == len(before):
                replaced_at = time.monotonic()
                break
            time.sleep(0.1)
        time.sleep(1.5)
        stop.set()
    assert replaced_at is not None, "the master did not replace the killed worker within 20 s"

    failed = [o for o in outcomes if o.status is None]
    wrong = [o for o in outcomes if o.status is not None and o.status != expected_status(o.path)]
    assert not wrong, wrong[:5]
    # Only requests already under way on the killed worker may fail: none that started after the kill.
    assert all(o.started < kill_done for o in failed), failed
    assert len(failed) <= 16
    answered_after = min(o.ended for o in outcomes if o.status and o.started >= kill_done)
    FIGURES["worker SIGKILL: requests sent"] = str(len(outcomes))
    FIGURES["worker SIGKILL: failed (in flight on it)"] = (
        f"{len(failed)} ({', '.join(sorted({o.error.split(':')[0] for o in failed})) or 'none'})"
    )
    FIGURES["worker SIGKILL: first answer after kill"] = ms(answered_after - kill_done)
    FIGURES["worker SIGKILL: replacement worker up"] = ms(replaced_at - killed_at)
    wait_until_healthy(base_url, seconds=30)


@pytest.mark.status_api
def test_graceful_stop_completes_requests_in_flight(base_url: str, compose: Compose) -> None:
    """`docker compose stop` (SIGTERM) while requests are in flight, delayed ones included: all complete."""
    paths = [f"/status/200?delay={d}" for d in (3, 3, 2.5, 2.5, 2, 2)] + ["/status/201?delay=1.5"] * 2

    # Clients are made first (each builds an SSL context, slow on a busy machine), so requests start together.
    clients = [httpx.Client(base_url=base_url, timeout=30.0) for _ in paths]
    started = threading.Semaphore(0)

    def one(client: httpx.Client, path: str) -> Outcome:
        started.release()
        with client:
            return timed_get(client, path)

    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        futures = [pool.submit(one, client, path) for client, path in zip(clients, paths, strict=True)]
        for _ in paths:
            assert started.acquire(timeout=10)
        time.sleep(0.5)  # let every request reach the service before the stop
        stop_at = time.monotonic()
        compose.run("stop", "--timeout", "25", "service", timeout=60)
        stopped_in = time.monotonic() - stop_at
        outcomes = [future.result(timeout=40) for future in futures]
    try:
        in_flight = [o for o in outcomes if o.started < stop_at < o.ended]
        assert [(o.path, o.status, o.error) for o in outcomes] == [
            (o.path, expected_status(o.path), "") for o in outcomes
        ]
        # On a busy machine the stop may land late; the longest requests are in flight whatever happens.
        assert {o.path for o in in_flight} >= {"/status/200?delay=3", "/status/200?delay=2.5"}
    finally:
        compose.run("start", "service", timeout=60)
    restarted_in = wait_until_healthy(base_url, seconds=60)
    FIGURES["graceful stop: in flight at SIGTERM"] = (
        f"{len(in_flight)} of {len(paths)} (delays 1.5-3 s), all completed correctly"
    )
    FIGURES["graceful stop: container stopped after"] = ms(stopped_in)
    FIGURES["graceful stop: start again until /healthz 200"] = ms(restarted_in)


def test_main_process_killed_is_restarted(base_url: str, compose: Compose) -> None:
    """The container's PID 1 (Gunicorn's master) dies by SIGKILL: `restart: unless-stopped` brings it back."""
    if os.geteuid() != 0:
        pytest.skip("killing the container's main process from the host needs root")
    state = compose.inspect()["State"]
    assert isinstance(state, dict)
    restarts = compose.inspect()["RestartCount"]
    assert isinstance(restarts, int)
    killed_at = time.monotonic()
    os.kill(int(state["Pid"]), signal.SIGKILL)  # as the OOM killer or a crash would: Docker did not ask
    back_in = wait_until_healthy(base_url, seconds=60)
    healthy_in = None
    while time.monotonic() - killed_at < 60:
        health = compose.inspect()["State"]
        if isinstance(health, dict) and health.get("Health", {}).get("Status") == "healthy":
            healthy_in = time.monotonic() - killed_at
            break
        time.sleep(0.1)
    assert healthy_in is not None, "Docker never reported the restarted container healthy"
    assert compose.inspect()["RestartCount"] == restarts + 1
    FIGURES["main process SIGKILL: answering again after"] = ms(back_in)
    FIGURES["main process SIGKILL: Docker health 'healthy' after"] = ms(healthy_in)


def test_docker_kill_counts_as_a_manual_stop(base_url: str, compose: Compose) -> None:
    """`docker kill` is a user's stop: `unless-stopped` does not restart it (measured; Docker 20.10)."""
    container = compose.container_id()
    compose.run("kill", "--signal", "KILL", "service")
    try:
        time.sleep(3)
        state = compose.inspect()["State"]
        assert isinstance(state, dict)
        assert state["Running"] is False, f"restarted after docker kill: {container}"
        assert not healthy(base_url, timeout=1.0)
    finally:
        compose.run("start", "service", timeout=60)
    wait_until_healthy(base_url, seconds=60)
    FIGURES["docker kill -s KILL"] = "not restarted (a manual stop for unless-stopped); docker compose start"
