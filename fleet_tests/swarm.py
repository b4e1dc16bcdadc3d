"""Docker Swarm for the fleet suite: join or create a swarm, deploy the stack, ask about its replicas.

Every docker call has a timeout and every wait a deadline. The suite leaves the swarm only if it
created it, and removes only its own stack.
"""

import json
import subprocess
import time
from dataclasses import dataclass

import httpx

CALL_SECONDS = 120.0


class DockerError(RuntimeError):
    """A docker command failed; the message carries its stderr."""


def docker(*args: str, timeout: float = CALL_SECONDS) -> str:
    done = subprocess.run(  # fixed argv: docker with the suite's own arguments, no shell
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise DockerError(f"docker {' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def swarm_active() -> bool:
    return docker("info", "--format", "{{.Swarm.LocalNodeState}}").strip() == "active"


@dataclass
class Stack:
    """One stack (`docker stack deploy -c <file> <name>`) whose `service` sits behind `haproxy`."""

    name: str
    file: str
    port: int

    @property
    def service(self) -> str:
        return f"{self.name}_service"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def deploy(self) -> None:
        # The images are built beforehand (make test-fleet): no registry is asked about them.
        docker("stack", "deploy", "--resolve-image", "never", "--compose-file", self.file, self.name)

    def remove(self, seconds: float = 60.0) -> None:
        docker("stack", "rm", self.name)
        # The stack's network goes only after its tasks: wait, so a next deploy does not collide.
        label = f"label=com.docker.stack.namespace={self.name}"
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not docker("network", "ls", "--quiet", "--filter", label) and not docker(
                "ps", "--all", "--quiet", "--filter", label
            ):
                return
            time.sleep(0.5)

    def healthy(self) -> list[str]:
        """Short IDs of the service's running, healthy containers: also their hostnames (X-Instance)."""
        return docker(
            "ps", "--quiet", "--filter", f"label=com.docker.swarm.service.name={self.service}",
            "--filter", "health=healthy",
        ).split()  # fmt: skip

    def tasks_running(self) -> int:
        """The service's tasks Swarm both wants and has running."""
        lines = docker(
            "service", "ps", self.service, "--filter", "desired-state=running", "--format", "{{json .}}"
        ).splitlines()
        return sum(1 for line in lines if json.loads(line)["CurrentState"].startswith("Running"))

    def wait_for(self, replicas: int, seconds: float) -> float:
        """Seconds until exactly `replicas` are healthy and HAProxy answers; raises after `seconds`."""
        started = time.monotonic()
        deadline = started + seconds
        while time.monotonic() < deadline:
            if len(self.healthy()) == replicas and self.tasks_running() == replicas and self.answers():
                return time.monotonic() - started
            time.sleep(0.2)
        raise TimeoutError(
            f"{self.service}: {len(self.healthy())} healthy replicas, not {replicas}, after {seconds:.0f} s"
        )

    def answers(self) -> bool:
        try:
            return httpx.get(f"{self.base_url}/healthz", timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    def instances_answering(self, count: int, seconds: float) -> set[str]:
        """The replicas (X-Instance) seen behind HAProxy until `count` have answered or `seconds` pass."""
        seen: set[str] = set()
        deadline = time.monotonic() + seconds
        with httpx.Client(base_url=self.base_url, timeout=5.0) as client:
            while len(seen) < count and time.monotonic() < deadline:
                seen.add(client.get("/healthz").headers.get("x-instance", "-"))
        return seen

    def update(self, seconds: float) -> None:
        """Replace every replica (same image, new containers), waiting until Swarm says it converged."""
        docker("service", "update", "--force", "--detach=false", "--quiet", self.service, timeout=seconds)

    def scale(self, replicas: int, seconds: float) -> None:
        docker("service", "scale", "--detach=false", f"{self.service}={replicas}", timeout=seconds)

    def kill(self, container: str) -> None:
        """SIGKILL, as the kernel's OOM killer would: no graceful stop, nothing finishes."""
        docker("kill", "--signal", "KILL", container, timeout=30)


STATS_SCRIPT = """
import csv, io, urllib.request
rows = csv.DictReader(io.StringIO(urllib.request.urlopen("http://haproxy:8404/stats;csv", timeout=5).read()
                                  .decode().lstrip("# ")))
row = next(r for r in rows if r["pxname"] == "replicas" and r["svname"] == "BACKEND")
print(row["wretr"] or 0, row["wredis"] or 0)
"""


def haproxy_retries(stack: Stack) -> tuple[int, int]:
    """HAProxy's backend counters (retries, redispatches), read from its stats page inside the overlay.

    The stats port is never published: a replica's own Python fetches it over the stack's network.
    """
    container = stack.healthy()[0]
    retries, redispatches = docker("exec", container, "python", "-c", STATS_SCRIPT, timeout=30).split()
    return int(retries), int(redispatches)
