"""Fixtures for the fleet suite: a swarm (joined or created), the stack deployed on it, the figures.

Black-box like the other suites (nothing from service/ is imported). It runs on the host: it drives
docker (swarm, stack, service, kill) and sends HTTP only to HAProxy's port on 127.0.0.1. It leaves the
swarm only if it created it, and removes the stack it deployed even when a test fails.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from swarm import Stack, docker, swarm_active

# The figures table at the end of the run comes from the kit (testkit.plugin.FIGURES).
pytest_plugins = ["testkit.plugin"]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    made = Stack(
        name=os.environ.get("FLEET_STACK", "flask-status-codes-fleet"),
        file=os.environ.get("FLEET_STACK_FILE", str(ROOT / "deploy" / "swarm" / "stack.yaml")),
        port=int(os.environ.get("FLEET_PORT", "8080")),
    )
    created_swarm = not swarm_active()
    # The engine makes this bridge for swarm tasks and keeps it after `swarm leave`: ours if we made it.
    had_gwbridge = bool(docker("network", "ls", "--quiet", "--filter", "name=^docker_gwbridge$").strip())
    if created_swarm:
        # Loopback: a single-node swarm that nothing else can join.
        docker("swarm", "init", "--advertise-addr", "127.0.0.1")
    try:
        made.remove()  # a stack of the same name left by an interrupted run
        made.deploy()
        made.wait_for(3, seconds=120)
        yield made
    finally:
        try:
            made.remove()
        finally:
            if created_swarm:
                docker("swarm", "leave", "--force")
                if not had_gwbridge:
                    docker("network", "rm", "docker_gwbridge")
