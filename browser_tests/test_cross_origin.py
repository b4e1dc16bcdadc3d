"""CORS from a real browser: a page on a second origin reads the service's answers, preflight included."""

from playwright.sync_api import Page

# fetch() from the page, bounded; returns what a script on that origin may read, or the failure.
FETCH = """async ([url, init]) => {
  try {
    const r = await fetch(url, {...init, signal: AbortSignal.timeout(5000)});
    return {status: r.status, statusText: r.statusText, retryAfter: r.headers.get("retry-after"),
            body: await r.text()};
  } catch (error) {
    return {error: String(error)};
  }
}"""


def test_second_origin_reads_a_503_and_its_retry_after(page: Page, base_url: str, other_origin: str) -> None:
    page.goto(other_origin + "/")
    result = page.evaluate(FETCH, [base_url + "/status/503", {}])
    assert result.get("error") is None
    assert result["status"] == 503
    assert result["retryAfter"] == "1"
    assert result["body"].startswith("503 ")


def test_second_origin_preflighted_put_reads_418(page: Page, base_url: str, other_origin: str) -> None:
    page.goto(other_origin + "/")
    # PUT and a custom header make this a non-simple request: the browser sends a preflight first.
    init = {"method": "PUT", "headers": {"X-Custom": "yes", "Content-Type": "application/json"}, "body": "{}"}
    result = page.evaluate(FETCH, [base_url + "/status/418", init])
    assert result.get("error") is None
    assert result["status"] == 418


def test_the_browser_enforces_cors_where_the_service_sends_none(
    page: Page, base_url: str, other_origin: str
) -> None:
    # The control: /healthz sends no CORS headers, so the same fetch fails. The headers are what work.
    page.goto(other_origin + "/")
    result = page.evaluate(FETCH, [base_url + "/healthz", {}])
    assert "TypeError" in result["error"]
