"""The with-redis overlay (deploy/kubernetes/components/redis): the service's pods count sequences in a
hardened Redis that only they can reach. Rendered with `kubectl kustomize`, as `make lint` does."""

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KUBECTL = Path(sys.executable).parent / "kubectl"


@pytest.fixture(scope="module")
def objects() -> dict[tuple[str, str], dict[str, Any]]:
    out = subprocess.run(
        [str(KUBECTL), "kustomize", str(ROOT / "deploy/kubernetes/overlays/with-redis")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(out)}


def test_the_service_pods_point_state_url_at_the_redis_service(objects: dict[tuple[str, str], Any]) -> None:
    pod = objects[("Deployment", "flask-status-codes")]["spec"]["template"]["spec"]
    env = {e["name"]: e["value"] for e in pod["containers"][0]["env"]}
    service = objects[("Service", "flask-status-codes-redis")]
    assert (
        env["STATE_URL"] == f"redis://{service['metadata']['name']}:{service['spec']['ports'][0]['port']}/0"
    )
    assert service["metadata"]["namespace"] == "flask-status-codes"


def test_redis_is_one_hardened_pod_in_memory_only(objects: dict[tuple[str, str], Any]) -> None:
    deployment = objects[("Deployment", "flask-status-codes-redis")]
    assert (deployment["spec"]["replicas"], deployment["spec"]["strategy"]["type"]) == (1, "Recreate")
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["automountServiceAccountToken"] is False
    (container,) = pod["containers"]
    assert container["image"] == "redis:8.0"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert {"--save", "--appendonly", "--maxmemory"} <= set(container["args"])
    assert container["resources"]["limits"]["memory"]
    assert container["readinessProbe"]["exec"]["command"] == ["redis-cli", "ping"]


def test_only_the_service_pods_reach_redis_and_they_may(objects: dict[tuple[str, str], Any]) -> None:
    fence = objects[("NetworkPolicy", "flask-status-codes-redis")]["spec"]
    (rule,) = fence["ingress"]
    assert rule["from"] == [
        {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "flask-status-codes"}}}
    ]
    assert rule["ports"] == [{"port": 6379, "protocol": "TCP"}]
    egress = objects[("NetworkPolicy", "flask-status-codes")]["spec"]["egress"]
    to_redis = [r for r in egress if any(p["port"] == 6379 for p in r["ports"])]
    assert to_redis[0]["to"][0]["podSelector"]["matchLabels"] == {
        "app.kubernetes.io/name": "flask-status-codes-redis"
    }
