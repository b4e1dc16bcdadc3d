"""Fixtures for the client matrix: the running service (BASE_URL) and one run of every client over it.

Black-box like the other suites: nothing here imports service/. The clients are separate programs
(clients/), run by matrix.py against the base URL; every client run is bounded in time, and all
traffic goes to the address given, 127.0.0.1 under `make test-clients`.
"""

import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import matrix

Results = dict[str, tuple[str, dict[str, dict[str, Any]]]]


def pytest_addoption(parser: pytest.Parser) -> None:
    port = os.environ.get("SERVICE_PORT", "8000")
    parser.addoption(
        "--base-url",
        default=os.environ.get("BASE_URL", f"http://127.0.0.1:{port}"),
        help="the service under test (default: $BASE_URL or http://127.0.0.1:$SERVICE_PORT)",
    )


@pytest.fixture(scope="session")
def base_url(request: pytest.FixtureRequest) -> str:
    url = str(request.config.getoption("--base-url")).rstrip("/")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:  # noqa: S310 - our base URL
                if answer.status == 200:
                    return url
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    pytest.exit(f"{url} did not become healthy within 60 s", returncode=3)


@pytest.fixture(scope="session")
def results(base_url: str) -> Results:
    """{column: (version, {row: observation})}: every client over every row, once per session."""
    return matrix.run_all(base_url)
