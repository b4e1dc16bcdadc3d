"""Fixtures for the browser suite: the running service (BASE_URL), a real Chromium, a second origin.

Black-box like the other suites: it imports nothing from service/. Playwright drives Debian's chromium
(CHROMIUM, /usr/bin/chromium by default): `playwright install` is never run. Every wait is bounded.
"""

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, ViewportSize, sync_playwright

from testkit.chromium import CHROMIUM, FLAGS

# --base-url / BASE_URL and the `base_url` fixture (a bounded wait for /healthz) come from the kit.
pytest_plugins = ["testkit.plugin"]
ROOT = Path(__file__).resolve().parent.parent
# Where the screenshots of each state, axe's findings and the page's figures go.
RESULTS = Path(os.environ.get("BROWSER_RESULTS", ROOT / "results"))
# Where the README's screenshots (desktop and phone width, the page and an edited card) are written: the
# suite makes them.
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", ROOT / "docs"))
# The two screens every learner task runs on: a laptop and a phone.
SIZES: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
# Playwright's ceiling for each action and expectation, in milliseconds.
TIMEOUT_MS = 10_000
# Records what a page must never do: a CSP violation (the listener is added before any page script).
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, timeout=30_000)
    yield browser
    browser.close()


@dataclass
class Watched:
    """A page with every console error it logged."""

    page: Page
    errors: list[str] = field(default_factory=list)
    size: str = "desktop"

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__violations || []")
        return found


def _watched(browser: Browser, viewport: ViewportSize, **options: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport=viewport, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    result = Watched(page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            result.errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: result.errors.append(f"uncaught: {error}"))
    yield result
    context.close()


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    yield from _watched(browser, {"width": 1280, "height": 900})


@pytest.fixture(params=list(SIZES))
def learner(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Watched]:
    """A page at desktop and at phone width (a touch screen on the phone), watched for errors."""
    size = str(request.param)
    phone = size == "phone"
    for watched_page in _watched(browser, SIZES[size], is_mobile=phone, has_touch=phone):
        watched_page.size = size
        yield watched_page


@pytest.fixture
def page(watched: Watched) -> Page:
    return watched.page


class _OtherOrigin(BaseHTTPRequestHandler):
    """Serves one blank page: the origin that calls the service from outside."""

    def do_GET(self) -> None:
        body = b"<!doctype html><title>another origin</title><p>another origin</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="session")
def other_origin() -> Iterator[str]:
    """http://127.0.0.1:<free port>: a second origin (another port is another origin), served here."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OtherOrigin)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
