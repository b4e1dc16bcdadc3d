"""Chromium's fetch(), run in a page through Playwright with Debian's chromium (never `playwright install`).

`python chromium_fetch.py BASE_URL ROW...`: the page is on the service's own origin (its /healthz), so
every fetch() is same-origin and CORS plays no part; what shows is the browser's own handling of the
status. fetch() shows no 1xx and no connection, so those fields stay out of its observations; an error
is the rejection's name and message, which the browser keeps free of addresses ("Failed to fetch").
"""

from typing import Any

from common import TIMEOUT, Client, Observation, Row, main, pause
from playwright.sync_api import Page, sync_playwright

from testkit.chromium import CHROMIUM, FLAGS  # the repository root is on PYTHONPATH (matrix.py)

# One request in the page: what the script sees of the answer, or the rejection.
FETCH = """async ([url, init, show]) => {
  try {
    const response = await fetch(url, {...init, signal: AbortSignal.timeout(TIMEOUT_MS)});
    const body = await response.text();
    let echoed = {};
    try { const seen = JSON.parse(body); if (seen && "method" in seen) echoed = {method: seen.method,
      body: (seen.body || seen.data || "") === "ping"}; } catch (e) {}
    const found = {status: response.status, reason: response.statusText, ok: response.ok,
      followed: response.redirected, bytes: new TextEncoder().encode(body).length, ...echoed};
    const length = response.headers.get("content-length");
    if (length !== null) found.length = Number(length);
    if (show) found.shown = response.headers.get(show);
    return found;
  } catch (e) {
    return {error: e.name + ": " + e.message};
  }
}""".replace("TIMEOUT_MS", str(int(TIMEOUT * 1000)))

PAGE: list[Page] = []


def _send(row: Row, url: str) -> Observation:
    headers = dict(row.get("headers", {}))
    init: dict[str, Any] = {"method": row["method"], "headers": headers}
    init["redirect"] = "follow" if row.get("follow") else "manual"
    if row.get("body"):
        init["body"] = row["body"]
    found: Observation = PAGE[0].evaluate(FETCH, [url, init, row.get("show")])
    return found


def pair(row: Row, url: str, then: str) -> Observation:
    found = _send(row, url)
    pause(row)
    following = _send({"method": "GET"}, then)
    found["next"] = following.get("status", following.get("error"))
    return found


def retry(row: Row, url: str) -> Observation:
    return {**_send(row, url), "attempts": 1}  # fetch() has no retry policy


if __name__ == "__main__":
    import sys

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS, timeout=30_000)
        # Credentials as a user would type them into the browser's prompt: sent in answer to a challenge.
        page = browser.new_page(http_credentials={"username": "user", "password": "secret"})
        page.goto(sys.argv[1].rstrip("/") + "/healthz", timeout=30_000)
        PAGE.append(page)
        main(Client("Chromium fetch", browser.version, _send, pair, retry))
        browser.close()
