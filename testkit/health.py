"""Where the service under test is, and one bounded wait until its /healthz answers 200."""

import os
import time

import httpx

# One default for every suite: BASE_URL, else the loopback port compose publishes on (SERVICE_PORT).
DEFAULT_BASE_URL = f"http://127.0.0.1:{os.environ.get('SERVICE_PORT', '8000')}"
# How long a suite waits for /healthz before it gives up (the container may still be starting).
HEALTH_WAIT_SECONDS = float(os.environ.get("HEALTH_WAIT_SECONDS", "60"))


def base_url_default() -> str:
    return os.environ.get("BASE_URL", DEFAULT_BASE_URL)


def healthy(base_url: str, timeout: float = 2.0) -> bool:
    """Whether GET /healthz answers 200 within `timeout` seconds."""
    try:
        return httpx.get(base_url + "/healthz", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until_healthy(base_url: str, seconds: float = HEALTH_WAIT_SECONDS) -> float:
    """Poll /healthz every 50 ms (fine enough to time a restart) until it answers 200.

    Returns the seconds waited; raises TimeoutError, naming the URL and the bound, if it never does.
    """
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if healthy(base_url, timeout=1.0):
            return time.monotonic() - start
        time.sleep(0.05)
    raise TimeoutError(f"{base_url}/healthz did not answer 200 within {seconds:.0f} s")
