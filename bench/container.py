"""The container's figures for `make bench`: cold start, the image's added size, memory, `make test` time."""

import argparse
import os
import re
import subprocess
import threading
import time
from pathlib import Path

from bench.harness import ROOT, children, fetch, peak_rss_mb, wrk


def container(args: argparse.Namespace, client_cpus: str | None, logdir: Path) -> dict[str, object]:
    """Cold start to healthy, the image's added size, a worker's peak memory, and `make test`'s wall time."""
    env = dict(os.environ)
    port = env.setdefault("SERVICE_PORT", "8000")
    compose = ["docker", "compose"]
    out: dict[str, object] = {}

    def run(argv: list[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=True
        )

    print("container: build ...", flush=True)
    run([*compose, "--profile", "test", "build", "--quiet"], timeout=600)
    try:
        waits, firsts = [], []
        for _ in range(3):
            run([*compose, "--profile", "test", "down", "--remove-orphans", "--timeout", "5"])
            first: list[float] = []
            t0 = time.monotonic()
            poller = threading.Thread(
                target=poll_health, args=(f"http://127.0.0.1:{port}/healthz", t0, first)
            )
            poller.start()
            run([*compose, "up", "--detach", "--wait", "service"], timeout=60)
            waits.append(time.monotonic() - t0)
            poller.join(timeout=30)
            if first:
                firsts.append(first[0])
        out["cold_wait_s"] = waits
        out["cold_first_200_s"] = firsts
        cid = run([*compose, "ps", "-q", "service"]).stdout.strip()
        image = run(["docker", "inspect", "-f", "{{.Image}}", cid]).stdout.strip()
        base = env.get("PYTHON_IMAGE", "python:3.13-slim")
        size = int(run(["docker", "image", "inspect", "-f", "{{.Size}}", image]).stdout)
        base_size = int(run(["docker", "image", "inspect", "-f", "{{.Size}}", base]).stdout)
        out["image_mb"], out["base_mb"], out["base"] = size / 1e6, base_size / 1e6, base
        out["added_mb"] = (size - base_size) / 1e6
        layers = run(
            ["docker", "history", "--no-trunc", "--format", "{{.Size}}\t{{.CreatedBy}}", image]
        ).stdout
        base_layers = len(run(["docker", "history", "-q", base]).stdout.split())
        out["layers"] = [line.split("\t", 1) for line in layers.splitlines()[: -base_layers or None]]
        master = int(run(["docker", "inspect", "-f", "{{.State.Pid}}", cid]).stdout)
        wrk(f"http://127.0.0.1:{port}{args.ours_path}", client_cpus, args.connections, 3)
        out["rss_mb"] = [peak_rss_mb(pid) for pid in children(master)]
        out["stats_mem"] = run(
            ["docker", "stats", "--no-stream", "--format", "{{.MemUsage}}", cid]
        ).stdout.strip()
        run([*compose, "--profile", "test", "down", "--remove-orphans", "--timeout", "5"])
        print("container: make test (warm build cache) ...", flush=True)
        t0 = time.monotonic()
        test = subprocess.run(
            ["make", "test"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        out["make_test_s"] = time.monotonic() - t0
        out["make_test_rc"] = test.returncode
        (logdir / "make-test.log").write_text(test.stdout + test.stderr)
        tail = [
            x for x in (test.stdout + test.stderr).splitlines() if re.search(r"passed|failed|coverage", x)
        ]
        out["make_test_tail"] = tail[-3:]
    finally:
        subprocess.run(
            [*compose, "--profile", "test", "down", "--remove-orphans", "--timeout", "5"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=False,
            timeout=120,
        )
    return out


def poll_health(url: str, t0: float, first: list[float]) -> None:
    """Record when /healthz first answers 200 on the host: readiness, free of the health check's interval."""
    while time.monotonic() - t0 < 30:
        if fetch(url, timeout=1) == 200:
            first.append(time.monotonic() - t0)
            return
        time.sleep(0.02)
