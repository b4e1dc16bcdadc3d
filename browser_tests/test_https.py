"""Over HTTPS (make test-https): Chromium speaks HTTP/2 to the service and takes its 103 Early Hints.

Browsers speak HTTP/2, and act on 103, only over TLS; these tests need a `https://` --base-url and skip
otherwise. The certificate is `make tls-cert`'s self-signed one, so the context ignores its issuer.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Error, Page

TIMEOUT_MS = 10_000
NAVIGATION = "performance.getEntriesByType('navigation')[0]"


def goto(page: Page, url: str) -> None:
    """page.goto, tried again when Chromium saw the host's interfaces change (other containers' networks
    coming and going on a shared machine abort a navigation with ERR_NETWORK_CHANGED, reported either as
    that error or as the navigation being replaced by Chromium's own error page)."""
    for attempt in range(3):
        try:
            page.goto(url)
            return
        except Error as error:
            changed = "ERR_NETWORK_CHANGED" in str(error) or "chrome-error://chromewebdata" in str(error)
            if not changed or attempt == 2:
                raise


@pytest.fixture
def tls_page(browser: Browser, base_url: str) -> Iterator[Page]:
    if not base_url.startswith("https://"):
        pytest.skip("an https:// --base-url is needed (make test-https)")
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def test_the_explorer_loads_over_http2(tls_page: Page, base_url: str) -> None:
    goto(tls_page, base_url + "/")
    assert tls_page.evaluate(f"{NAVIGATION}.nextHopProtocol") == "h2"
    # Its style sheet and script came over the same protocol.
    loaded = tls_page.evaluate(
        "performance.getEntriesByType('resource').map(e => [new URL(e.name).pathname, e.nextHopProtocol])"
    )
    assert {path for path, _ in loaded} >= {"/static/explorer.css", "/static/explorer.js"}
    assert {protocol for _, protocol in loaded} == {"h2"}


def test_chromium_takes_the_103_and_fetches_its_preload(tls_page: Page, base_url: str) -> None:
    goto(tls_page, base_url + "/demos/early-hints/preload")
    timing = tls_page.evaluate(
        f"(() => {{ const n = {NAVIGATION}; return [n.nextHopProtocol, n.firstInterimResponseStart,"
        " n.finalResponseHeadersStart]; })()"
    )
    protocol, interim, final = timing
    assert protocol == "h2"
    # Chromium records when a 103 arrived: it came, before the final response's headers.
    assert 0 < interim <= final
    tls_page.wait_for_function(
        "performance.getEntriesByType('resource').some(e => new URL(e.name).pathname === '/healthz')"
    )


def test_without_a_103_chromium_records_none(tls_page: Page, base_url: str) -> None:
    # The witness: /absent sends the same final answer with no 103, and the timing says so.
    goto(tls_page, base_url + "/demos/early-hints/absent")
    assert tls_page.evaluate(f"{NAVIGATION}.firstInterimResponseStart") == 0
