"""Third-party judges: REDbot, an HTTP linter, finds nothing BAD on a representative set of endpoints.

REDbot always exits 0, so the gate is its HAR output: every note carries a level (good, info, warn,
bad). Warnings are reported, not failed (e.g. FRESHNESS_HEURISTIC: no Cache-Control on a 200).
"""

import json
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from testkit.plugin import FIGURES

REDBOT = Path(sys.executable).with_name("redbot")
ENDPOINTS = [
    pytest.param("/", 200, id="index"),
    pytest.param("/healthz", 200, id="healthz"),
    pytest.param("/success", 200, id="html-200"),
    pytest.param("/notfound", 404, id="html-404"),
    pytest.param("/no/such/page", 404, id="problem-404"),
    pytest.param("/openapi.json", 200, id="openapi"),
    pytest.param("/demos/handlers/unhandled", 500, id="problem-500"),
    pytest.param("/status/200", 200, id="status-200", marks=pytest.mark.status_api),
    pytest.param("/status/418", 418, id="status-418", marks=pytest.mark.status_api),
    pytest.param("/status/204", 204, id="status-204", marks=pytest.mark.status_api),
    pytest.param("/status/301", 301, id="status-301", marks=pytest.mark.status_api),
    pytest.param("/status/503", 503, id="status-503", marks=pytest.mark.status_api),
    pytest.param("/demos/redirects/308", 308, id="redirect-308", marks=pytest.mark.redirects_api),
    pytest.param("/demos/redirects/target", 200, id="redirect-target", marks=pytest.mark.redirects_api),
]
WARNINGS: Counter[str] = Counter()


def redbot(url: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - REDbot from our venv, against 127.0.0.1
        [REDBOT, "--output-format", "har", url], capture_output=True, text=True, timeout=90, check=False
    )
    har: dict[str, Any] = json.loads(done.stdout)
    return har


@pytest.fixture(scope="module")
def verdicts(base_url: str) -> dict[str, dict[str, Any]]:
    """REDbot on every endpoint at once (each run makes several requests: plain, conditional, ranged...)."""
    paths = [str(param.values[0]) for param in ENDPOINTS]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(paths, pool.map(lambda p: redbot(base_url + p), paths), strict=True))


@pytest.mark.parametrize(("path", "status"), ENDPOINTS)
def test_redbot_finds_nothing_bad(verdicts: dict[str, dict[str, Any]], path: str, status: int) -> None:
    entries = verdicts[path]["log"]["entries"]
    assert entries, f"REDbot got no response from {path}"
    assert entries[0]["response"]["status"] == status
    notes = [note for entry in entries for note in entry["_red_messages"]]
    bad = [f"{n['note_id']}: {n['summary']}" for n in notes if n["level"].lower() == "bad"]
    assert not bad
    WARNINGS.update(n["note_id"] for n in notes if n["level"].lower() == "warn")
    listed = ", ".join(f"{note} x{count}" for note, count in sorted(WARNINGS.items())) or "none"
    FIGURES["REDbot: BAD notes / warnings"] = f"0 / {sum(WARNINGS.values())} ({listed})"
