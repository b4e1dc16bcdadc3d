"""Fixtures for the client matrix: one run of every client against the running service.

Black-box like the other suites: nothing here imports service/. `--base-url` / BASE_URL and the
`base_url` fixture (a bounded wait for /healthz) come from the shared kit (testkit/). The clients are
separate programs (clients/), run by matrix.py against the base URL; each client's run is bounded in
time, and all traffic goes to the address given, 127.0.0.1 under `make test-clients`.
"""

from typing import Any

import matrix
import pytest

pytest_plugins = ["testkit.plugin"]

Results = dict[str, tuple[str, dict[str, dict[str, Any]]]]
# (committed, fresh) "Versions measured" lines that differ within a major release (test_matrix.py).
MOVED = pytest.StashKey[list[tuple[str, str]]]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Say which clients moved to another version of the same major release: not a failure, but
    docs/clients.md should say what was measured (`make clients-table` rewrites it)."""
    moved = config.stash.get(MOVED, [])
    if moved:
        terminalreporter.section("client versions moved (make clients-table rewrites docs/clients.md)")
        for committed, fresh in moved:
            terminalreporter.write_line(f"{committed.removeprefix('- ')}  ->  {fresh.removeprefix('- ')}")


@pytest.fixture(scope="session")
def results(base_url: str) -> Results:
    """{column: (version, {row: observation})}: every client over every row, once per session."""
    return matrix.run_all(base_url)
