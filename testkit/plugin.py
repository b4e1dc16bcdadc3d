"""The pytest side of the kit: `--base-url`, a `base_url` fixture that waits for health, the figures.

A suite's conftest.py loads it with `pytest_plugins = ["testkit.plugin"]`; its pytest.ini puts the
repository root on sys.path (`pythonpath = ..`). Tests record measured figures in `FIGURES[name] = value`;
they are printed in one table at the end of the run.
"""

import pytest

from testkit.health import HEALTH_WAIT_SECONDS, base_url_default, wait_until_healthy

# Figures printed at the end of the run, in the order they were recorded.
FIGURES: dict[str, str] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--base-url",
        default=base_url_default(),
        help="the service under test (default: $BASE_URL, else http://127.0.0.1:$SERVICE_PORT, port 8000)",
    )
    parser.addoption(
        "--health-wait",
        type=float,
        default=HEALTH_WAIT_SECONDS,
        help="seconds to wait for /healthz before the run stops (default: $HEALTH_WAIT_SECONDS or 60)",
    )


@pytest.fixture(scope="session")
def base_url(request: pytest.FixtureRequest) -> str:
    """The service under test, once its /healthz answers; the whole run stops with one message if not."""
    url = str(request.config.getoption("--base-url")).rstrip("/")
    try:
        wait_until_healthy(url, float(request.config.getoption("--health-wait")))
    except TimeoutError as exc:
        pytest.exit(
            f"{exc}. Start it (make up) or point BASE_URL / --base-url at a running one.", returncode=3
        )
    return url


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if not FIGURES:
        return
    terminalreporter.section(f"{config.rootpath.name} figures")
    width = max(len(name) for name in FIGURES)
    for name, value in FIGURES.items():
        terminalreporter.write_line(f"{name:<{width}}  {value}")
