"""The invariants of the Swarm stack and its HAProxy config, read from the files `make test-fleet` deploys.

`make test-fleet` proves the behaviour under load; these checks keep the settings it relies on from
being edited away unnoticed (and run in `make lint`, with no engine).
"""

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SWARM = ROOT / "deploy" / "swarm"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
STACK: dict[str, Any] = yaml.safe_load((SWARM / "stack.yaml").read_text())
SERVICE: dict[str, Any] = STACK["services"]["service"]
HAPROXY: dict[str, Any] = STACK["services"]["haproxy"]
CONFIG = (SWARM / "haproxy" / "haproxy.cfg").read_text()
DEFAULT_DELAY_CAP = 10  # seconds: /status's delay cap unless STATUS_MAX_DELAY says otherwise


def default(value: str) -> str:
    """The default of a `${...:-default}` interpolation, as `docker stack deploy` would use it."""
    match = re.fullmatch(r"\$\{\w+:-([^}]*)\}", value)
    return match.group(1) if match else value


def directive(name: str) -> list[str]:
    """The arguments of every line of haproxy.cfg that starts with the words of `name`."""
    words = name.split()
    found = []
    for line in CONFIG.splitlines():
        parts = line.split()
        if parts[: len(words)] == words:
            found.append(" ".join(parts[len(words) :]))
    return found


def test_images_are_pinned_by_tag_never_latest() -> None:
    assert default(SERVICE["image"]) == f"flask-status-codes:{VERSION}"
    name, _, tag = default(HAPROXY["image"]).partition(":")
    assert name == "haproxy"
    assert re.fullmatch(r"[0-9]+\.[0-9]+", tag)


def test_replicas_are_reached_by_dns_round_robin_behind_a_host_mode_port() -> None:
    assert SERVICE["deploy"]["replicas"] == 3
    assert SERVICE["deploy"]["endpoint_mode"] == "dnsrr"
    assert "ports" not in SERVICE
    (port,) = HAPROXY["ports"]
    assert port["mode"] == "host"


def test_updates_start_the_new_replica_first_and_roll_back_on_failure() -> None:
    deploy = SERVICE["deploy"]
    assert deploy["update_config"]["order"] == "start-first"
    assert deploy["update_config"]["failure_action"] == "rollback"
    assert deploy["rollback_config"]["order"] == "start-first"
    assert deploy["restart_policy"]["condition"] == "any"
    assert "/healthz" in " ".join(SERVICE["healthcheck"]["test"])


def test_the_instance_header_is_on_in_the_stack() -> None:
    assert SERVICE["environment"]["INSTANCE_HEADER"] == "1"


def test_haproxy_finds_checks_and_retries_the_replicas() -> None:
    assert directive("nameserver") == ["dns 127.0.0.11:53"]
    (template,) = directive("server-template")
    assert template.split()[2] == "tasks.service:8000"
    assert int(template.split()[1]) >= 6 + 1  # the suite's largest scale, plus a start-first extra
    assert "check" in directive("default-server")[0].split()
    assert directive("http-check send") == ["meth GET uri /healthz ver HTTP/1.1 hdr Host haproxy"]
    assert set(directive("retry-on")[0].split()) == {"conn-failure", "empty-response"}
    assert directive("option redispatch")


def test_haproxy_waits_longer_than_the_slowest_answer() -> None:
    assert directive("timeout server") == ['"${HAPROXY_SERVER_TIMEOUT}"']
    timeout = default(HAPROXY["environment"]["HAPROXY_SERVER_TIMEOUT"])
    assert timeout.endswith("s")
    assert int(timeout.removesuffix("s")) > DEFAULT_DELAY_CAP
