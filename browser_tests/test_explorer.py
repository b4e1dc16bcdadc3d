"""The explorer in a real browser: each lesson's own code, Send, and the answer as it arrived."""

import json
import re

import pytest
from conftest import RESULTS, TIMEOUT_MS, Watched
from playwright.sync_api import Browser, Locator, Page, expect

# Chromium logs every fetch answered with a 4xx/5xx (or cut off) as "Failed to load resource: ...".
# Those statuses are what the page asked for; any other console error is a defect.
ASKED_FOR = re.compile(r"^Failed to load resource: (the server responded with a status of \d{3}|net::ERR_)")
# The two endpoints that break the connection on purpose: the page must say so, not hang.
BREAKS = {"Send GET /demos/streaming/fails-midway", "Send GET /demos/pitfalls/final-1xx/wrong"}
# Opens every lesson, as a learner clicking each one would.
OPEN_ALL = "document.querySelectorAll('details').forEach((d) => { d.open = true; })"


def opened(page: Page, base_url: str) -> Page:
    page.goto(base_url + "/")
    page.evaluate(OPEN_ALL)
    return page


def send(page: Page, name: str) -> Locator:
    """Click the Send button with this accessible name; return its output once an answer is in."""
    return click(page.get_by_role("button", name=name, exact=True))


# The page itself gives up on a Send after 4 s without a head and 10 s more without the whole body
# (explorer.js's TIMEOUT_MS and BODY_TIMEOUT_MS), and then says so: wait past both, so a slow machine
# sees the page's own verdict rather than the test's impatience.
SEND_BOUND_MS = 4_000 + 10_000 + 2_000


def click(button: Locator) -> Locator:
    button.click()
    output = button.locator("xpath=ancestor::form").locator("output")
    expect(output.locator(".answer-line, .failed").first).to_be_visible(timeout=SEND_BOUND_MS)
    return output


def article(page: Page, name: str) -> Locator:
    return page.locator("article", has=page.get_by_role("button", name=name, exact=True))


def test_wrong_shows_its_code_and_send_shows_404(page: Page, base_url: str) -> None:
    opened(page, base_url)
    expect(article(page, "Send GET /wrong").locator(".code pre").first).to_contain_text(
        'return "Error", "404"'
    )
    output = send(page, "Send GET /wrong")
    expect(output.locator(".answer-line")).to_have_text(re.compile(r"^404 \S"))
    expect(output.locator("pre.body")).to_have_text("Error")


CASES = [
    pytest.param(
        "Send POST /demos/success/items", 201, r"location: /demos/success/items/[0-9a-f]{32}", id="201"
    ),
    pytest.param("Send GET /demos/handlers/unavailable", 503, r"retry-after: \d+", id="503"),
]


@pytest.mark.parametrize(("name", "status", "header"), CASES)
def test_send_shows_status_and_header(page: Page, base_url: str, name: str, status: int, header: str) -> None:
    opened(page, base_url)
    output = send(page, name)
    expect(output.locator(".answer-line")).to_have_text(re.compile(rf"^{status} \S"))
    expect(output.locator("ul.headers")).to_contain_text(re.compile(header))


def test_send_shows_204_with_no_body(page: Page, base_url: str) -> None:
    opened(page, base_url)
    output = send(page, "Send DELETE /demos/success/items/00000000000000000000000000000000")
    expect(output.locator(".answer-line")).to_have_text(re.compile(r"^204 \S"))
    expect(output).to_contain_text("(no body)")
    expect(output.locator("pre.body")).to_have_count(0)


def test_page_loads_without_console_error_or_csp_violation(watched: Watched, base_url: str) -> None:
    watched.page.goto(base_url + "/")
    expect(watched.page.locator("form.filter")).to_be_visible()  # the script ran
    assert watched.errors == []
    assert watched.violations() == []


def test_every_send_gets_an_answer_and_only_the_breakers_fail(watched: Watched, base_url: str) -> None:
    # A learner can see the live answer of every technique: each Send ends in a status line, or in a
    # clear "the connection failed" for the two endpoints that cut the connection on purpose.
    page = opened(watched.page, base_url)
    buttons = page.locator("form.send button[type=submit]")
    assert buttons.count() > 50
    failed: dict[str, str] = {}
    for index in range(buttons.count()):
        output = click(buttons.nth(index))
        if output.locator(".failed").count():
            expect(output.locator(".failed")).to_contain_text("The connection failed")
            failed[buttons.nth(index).inner_text()] = output.locator(".failed").inner_text()
    assert set(failed) == BREAKS, failed
    assert [e for e in watched.errors if not ASKED_FOR.match(e)] == []
    assert watched.violations() == []


def test_keyboard_alone_sends(page: Page, base_url: str) -> None:
    page.goto(base_url + "/#tutorial")
    button = page.get_by_role("button", name="Send GET /right", exact=True)
    button.focus()
    page.keyboard.press("Enter")
    output = button.locator("xpath=ancestor::form").locator("output")
    expect(output.locator(".answer-line")).to_have_text(re.compile(r"^404 \S"))


@pytest.mark.parametrize(
    "wrong_path",
    [pytest.param("/demos/pitfalls/float-status/wrong", id="pitfall"), pytest.param("/wrong", id="tutorial")],
)
def test_wrong_and_right_sit_side_by_side(page: Page, base_url: str, wrong_path: str) -> None:
    opened(page, base_url)
    wrong = article(page, f"Send GET {wrong_path}").bounding_box()
    right = article(page, f"Send GET {wrong_path.removesuffix('wrong')}right").bounding_box()
    assert wrong is not None
    assert right is not None
    assert abs(wrong["y"] - right["y"]) < 2
    assert right["x"] > wrong["x"] + wrong["width"] - 1


def test_without_javascript_the_page_reads_and_links(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(base_url + "/")
        expect(page.locator("form.send").first).to_be_hidden()
        page.locator("#tutorial > summary").click()  # <details> opens without a script
        expect(page.locator("#tutorial .code pre").first).to_be_visible()
        response = None
        with page.expect_navigation() as navigation:
            page.locator("#get-wrong .link").get_by_role("link", name="/wrong", exact=True).click()
        response = navigation.value
        assert response is not None
        assert response.status == 404
    finally:
        context.close()


def test_page_figures_are_recorded_and_the_page_stays_light(learner: Watched, base_url: str) -> None:
    # Figures, not timed asserts (speed targets live in benchmarks): the size is a budget, the paint a note.
    page = learner.page
    page.goto(base_url + "/")
    expect(page.locator("form.filter")).to_be_visible()
    figures = page.evaluate(
        """() => {
          const nav = performance.getEntriesByType("navigation")[0];
          const paint = performance.getEntriesByName("first-contentful-paint")[0];
          // Every resource of the first load (the page, its stylesheet and script), headers included.
          const loaded = performance.getEntriesByType("resource").reduce((sum, r) => sum + r.transferSize, 0);
          return {wire_bytes: nav.encodedBodySize, html_bytes: nav.decodedBodySize,
                  first_load_bytes: nav.transferSize + loaded,
                  first_contentful_paint_ms: paint ? Math.round(paint.startTime) : null,
                  dom_content_loaded_ms: Math.round(nav.domContentLoadedEventEnd),
                  screens: +(document.documentElement.scrollHeight / innerHeight).toFixed(1)};
        }"""
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"page-{learner.size}.json").write_text(json.dumps(figures, indent=2))
    print(f"explorer at {learner.size}: {figures}")
    assert figures["wire_bytes"] < 64 * 1024  # gzipped: every lesson's code and the status index
    # Issue 25's budget: everything the first visit transfers, every part collapsed, at most 75 KB.
    assert 0 < figures["first_load_bytes"] <= 75 * 1024
    assert figures["screens"] <= 5  # every lesson collapsed: the page fits in a few screens
