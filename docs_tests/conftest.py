"""Fixtures for the docs suite: where the documents are, and the running service their transcripts show.

Black-box like the other suites: it imports nothing from service/. It runs on the host (it needs the
repository's Markdown files and curl) against the container `make test` started.
"""

from pathlib import Path

# --base-url / BASE_URL and the `base_url` fixture (a bounded wait for /healthz) come from the kit.
pytest_plugins = ["testkit.plugin"]
ROOT = Path(__file__).resolve().parent.parent
# The documents a reader sees: the README and every page under docs/.
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
