"""axe-core in the explorer, at both sizes: no violation of any impact, and nothing serious left to review.

Run on the page as it first shows (every lesson closed) and with a lesson open and answered, so the
cards, the forms and the answers are checked too, not only the index.
"""

import json
import re

from axe_playwright_python.sync_playwright import Axe
from conftest import RESULTS, Watched
from playwright.sync_api import expect

# "Needs review" results (axe's `incomplete`) that block: those a person would have to check by hand.
REVIEW_BLOCKING = {"serious", "critical"}


def _findings(watched: Watched, state: str) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    response = Axe().run(watched.page).response
    summary = {
        kind: [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])} for v in response[kind]]
        for kind in ("violations", "incomplete")
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"axe-{state}-{watched.size}.json").write_text(json.dumps(summary, indent=2))
    print(f"axe {state} {watched.size}: {summary}")
    review = [f for f in summary["incomplete"] if f["impact"] in REVIEW_BLOCKING]
    return summary["violations"], review


def test_axe_finds_nothing_on_the_first_screen(learner: Watched, base_url: str) -> None:
    learner.page.goto(base_url + "/")
    expect(learner.page.locator("form.filter")).to_be_visible()  # the script ran
    violations, review = _findings(learner, "collapsed")
    assert violations == []
    assert review == []


def test_axe_finds_nothing_in_an_answered_lesson(learner: Watched, base_url: str) -> None:
    page = learner.page
    page.goto(base_url + "/#tutorial")
    for name in ("Send GET /wrong", "Send GET /right"):
        page.get_by_role("button", name=name, exact=True).click()
    expect(page.locator(".verdict").first).to_have_text(re.compile("^Identical"))
    page.goto(base_url + "/#get-demos-early-hints-preload")
    page.get_by_role("button", name="Send GET /demos/early-hints/preload", exact=True).click()
    expect(page.locator("pre.wire").first).to_be_visible()
    violations, review = _findings(learner, "answered")
    assert violations == []
    assert review == []


def test_axe_finds_nothing_in_an_edited_and_run_card(learner: Watched, base_url: str) -> None:
    page = learner.page
    page.goto(base_url + "/#get-wrong")
    article = page.locator("article#get-wrong")
    article.locator("button.edit").click()
    article.get_by_label("Predict, then run: which status will Flask send?").select_option("404")
    article.locator("button.run").click()
    expect(article.locator("form.send output .prediction")).to_be_visible(timeout=60_000)
    violations, review = _findings(learner, "run")
    assert violations == []
    assert review == []
