"""The learner's tasks, at 1280x800 and at 390x844, each done from the page alone in a few actions.

(a) /wrong and /right: their code, and that their answers are identical; (b) 201 with Location;
(c) a custom 4xx as JSON, with the handler's code; (d) a 503 with Retry-After from the /status card;
(e) the 103 of the Early Hints demo; (f) the Set-Cookie headers of the cookie demos; (g) an httpbin
route found by a word and sent. After each: no horizontal scroll, no console error but the statuses the
page asked for, no CSP violation.
"""

import json
import re

from conftest import RESULTS, SCREENSHOTS, Watched
from playwright.sync_api import Locator, Page, expect

# Chromium logs every fetch answered with a 4xx/5xx as "Failed to load resource: ...": asked for.
ASKED_FOR = re.compile(r"^Failed to load resource: the server responded with a status of \d{3}")
HEX = "[0-9a-f]{32}"


def card(page: Page, method_and_path: str) -> Locator:
    return page.locator("article", has=page.get_by_role("heading", name=method_and_path, exact=True))


def send(article: Locator) -> Locator:
    """Press the card's (first) Send; return its output once an answer line or a failure is in."""
    article.locator("form.send button[type=submit]").first.click()
    output = article.locator("output").first
    expect(output.locator(".answer-line, .failed").first).to_be_visible()
    return output


def find(page: Page, words: str) -> None:
    """Type into the filter box, as a learner looking for a status or a word would."""
    page.get_by_label("Find a status or a lesson").fill(words)


def from_index(page: Page, base_url: str, code: int, heading: str) -> Locator:
    """From the first screen: type the status into the filter, follow its row to the card, Send."""
    page.goto(base_url + "/")
    find(page, str(code))
    page.locator(f"#status-{code}").get_by_role("link", name=heading).click()
    return send(card(page, heading))


def assert_clean(watched: Watched) -> None:
    page = watched.page
    wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], f"horizontal scroll: the page is {wide[0]} px wide in {wide[1]} px"
    assert [e for e in watched.errors if not ASKED_FOR.match(e)] == []
    assert watched.violations() == []


def shot(watched: Watched, name: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(RESULTS / f"{name}-{watched.size}.png"))


def test_a_wrong_and_right_code_and_identical_answers(learner: Watched, base_url: str) -> None:
    page = learner.page
    page.goto(base_url + "/")
    shot(learner, "collapsed")
    page.get_by_role("link", name="the tutorial's four routes").click()  # the first screen's first step
    wrong, right = card(page, "GET /wrong"), card(page, "GET /right")
    expect(wrong.locator(".code pre").first).to_contain_text('return "Error", "404"')
    expect(right.locator(".code pre").first).to_contain_text('return "Error", 404')
    shot(learner, "lesson-open")
    expect(send(wrong).locator(".answer-line")).to_have_text(re.compile(r"^404 \S"))
    expect(send(right).locator(".answer-line")).to_have_text(re.compile(r"^404 \S"))
    verdict = page.locator(".pair", has=wrong).locator(".verdict")
    expect(verdict).to_have_text(re.compile(r"^Identical on the wire"))
    wrong.scroll_into_view_if_needed()
    wrong.evaluate("node => node.closest('.pair').scrollIntoView({block: 'start'})")
    shot(learner, "sent")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / ("explorer.png" if learner.size == "desktop" else "explorer-phone.png")
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000  # a real picture, not a blank page
    assert_clean(learner)


def test_b_201_with_location(learner: Watched, base_url: str) -> None:
    output = from_index(learner.page, base_url, 201, "POST /demos/success/items")
    expect(output.locator(".answer-line")).to_have_text(re.compile(r"^201 \S"))
    documented = output.locator("li.doc")
    expect(documented).to_have_text(re.compile(rf"^location: /demos/success/items/{HEX} documented$"))
    assert_clean(learner)


def test_c_custom_4xx_as_json_with_the_handler_code(learner: Watched, base_url: str) -> None:
    output = from_index(learner.page, base_url, 409, "POST /demos/handlers/conflict")
    code = card(learner.page, "POST /demos/handlers/conflict").locator(".code")
    expect(code).to_contain_text("class ResourceConflict(Exception):")
    expect(code).to_contain_text("@bp.app_errorhandler(ResourceConflict)")
    expect(code).to_contain_text("def handle_conflict(")
    expect(output.locator(".answer-line")).to_have_text(re.compile(r"^409 \S"))
    body = json.loads(output.locator("pre.body").inner_text())
    assert body["status"] == 409
    assert body["resource"] == "/demos/success/items/demo"
    expect(output.locator("pre.body")).to_contain_text('\n  "status": 409')  # pretty-printed
    assert_clean(learner)


def test_d_503_with_retry_after_from_the_status_card(learner: Watched, base_url: str) -> None:
    page = learner.page
    page.goto(base_url + "/")
    page.get_by_role("link", name="503", exact=True).click()  # the 5xx chip opens the index row
    page.locator("#status-503").get_by_role("link", name="/status/503").click()
    target = card(page, "GET HEAD POST PUT PATCH DELETE OPTIONS /status/{codes}")
    target.get_by_role("button", name="503 Service Unavailable").click()
    output = target.locator("output").first
    expect(output.locator(".answer-line")).to_have_text(re.compile(r"^503 \S"))
    expect(output.locator("li.doc", has_text="retry-after")).to_have_text(re.compile(r"^retry-after: \d+"))
    expect(target.locator(".curl").first).to_have_text(f"curl -i {base_url}/status/503")
    shot(learner, "status-503")
    assert_clean(learner)


def test_e_the_103_of_early_hints(learner: Watched, base_url: str) -> None:
    output = from_index(learner.page, base_url, 103, "GET /demos/early-hints/preload")
    wire = output.locator("pre.wire")
    expect(wire).to_contain_text(
        re.compile(r"^HTTP/1\.1 103 \S.*\nLink: </healthz>; rel=preload; as=fetch\n")
    )
    expect(wire).to_contain_text(re.compile(r"\nHTTP/1\.1 200 \S"))
    wire.scroll_into_view_if_needed()
    shot(learner, "wire")
    assert_clean(learner)


def test_f_the_set_cookie_headers_of_the_cookie_demos(learner: Watched, base_url: str) -> None:
    page = learner.page
    page.goto(base_url + "/")
    find(page, "cookie")
    expected = {"GET /demos/responses/set-cookie": 2, "GET /demos/tuples/cookies-dict": 1}
    for heading, count in expected.items():
        # Inside a closed lesson the heading is hidden, so it is found by its text, not by its role.
        lesson = page.locator("details.lesson", has=page.locator("h4", has_text=re.compile(f"^{heading}$")))
        if lesson.get_attribute("open") is None:
            lesson.locator("summary").click()
        wire = send(card(page, heading)).locator("pre.wire")
        expect(wire).to_contain_text("Set-Cookie: ")
        assert len(re.findall(r"^Set-Cookie: ", wire.inner_text(), re.MULTILINE)) == count, heading
    assert_clean(learner)


def test_g_a_tester_finds_an_httpbin_route_and_sends_it(learner: Watched, base_url: str) -> None:
    # The part "For testing clients" starts collapsed; a query that matches one of its groups opens it.
    page = learner.page
    page.goto(base_url + "/")
    expect(page.locator("details.part")).not_to_have_attribute("open", "")
    find(page, "basic-auth")
    expect(page.locator("details.part")).to_have_attribute("open", "")
    page.locator("#clients-auth > summary").click()
    output = send(card(page, "GET POST PUT PATCH DELETE /basic-auth/{user}/{passwd}"))
    expect(output.locator(".answer-line")).to_have_text(re.compile(r"^200 \S"))
    expect(output).to_contain_text('"authenticated": true')
    find(page, "")
    expect(page.locator("details.part")).not_to_have_attribute("open", "")
    assert_clean(learner)
