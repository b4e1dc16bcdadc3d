"""Fixtures for the docs suite: where the documents are, and the running service their transcripts show.

Black-box like the other suites: it imports nothing from service/. It runs on the host (it needs the
repository's Markdown files and curl) against the container `make test` started.
"""

import os
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
# The documents a reader sees: the README and every page under docs/.
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])


def pytest_addoption(parser: pytest.Parser) -> None:
    port = os.environ.get("SERVICE_PORT", "8000")
    parser.addoption(
        "--base-url",
        default=os.environ.get("BASE_URL", f"http://127.0.0.1:{port}"),
        help="the service the transcripts are replayed against (default: $BASE_URL or the compose port)",
    )


@pytest.fixture(scope="session")
def base_url(request: pytest.FixtureRequest) -> str:
    """The running service, once /healthz answers (bounded wait)."""
    url = str(request.config.getoption("--base-url")).rstrip("/")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return url
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.exit(f"The service at {url} did not become healthy within 30 s.", returncode=3)
