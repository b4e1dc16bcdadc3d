"""Edit and Run in a real browser: the learner's code with real Flask in Pyodide, in a worker, on this page.

Every file Run loads comes from the container; the figures (first Run cold, later Runs, the page's first
load) are recorded in results/ and printed, never asserted as times (docs/performance.md has them).
"""

import json
import os
import re
import time

from conftest import RESULTS, SCREENSHOTS, TIMEOUT_MS, Watched
from playwright.sync_api import Locator, Page, expect

# Starting Python the first time (about 17 MB from the container), then one Run: a bounded wait.
FIRST_RUN_MS = 60_000
# The page stops a Run after 5 s; the wait for its message allows that and a margin.
STOPPED_MS = 15_000
# Differ on every answer, whoever sends it: left out of the comparison.
PER_ANSWER = {"content-length"}
ID = re.compile(r"[0-9a-f]{32}")  # a created item's id: new on every answer


def card(page: Page, anchor: str) -> Locator:
    return page.locator(f"article#{anchor}")


def edit(page: Page, anchor: str) -> Locator:
    """Open the card's lesson, press Edit; the card once its editor has focus."""
    page.goto(page.url.split("#")[0] + f"#{anchor}")
    article = card(page, anchor)
    article.locator("button.edit").click()
    expect(article.locator(".cm-content")).to_be_focused()
    return article


def replace_code(page: Page, article: Locator, code: str) -> None:
    """Select everything in the editor, delete it and put the new code in, as a paste does. (Text inserted
    over a selection of many lines would be Chromium's own editing, which writes style attributes the
    page's CSP refuses; CodeMirror handles typing, deleting and pasting itself.)"""
    article.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)


# Waits in the page for Run's answer: a MutationObserver on the card's output, bounded by a timer. Not
# expect()'s polling: each poll resolves its selector from the document down (shadow roots too), which
# on the page with every lesson open kept the page's own thread busy for seconds, delaying the answer it
# was waiting for (and the figures taken from it).
ANSWERED = """(output, limit) => new Promise((resolve, reject) => {
  const answered = () => output.querySelector(".ran, .failed");
  if (answered()) return resolve();
  const observer = new MutationObserver(() => {
    if (answered()) { clearTimeout(timer); observer.disconnect(); resolve(); }
  });
  const timer = setTimeout(() => {
    observer.disconnect();
    reject(new Error(`no answer in ${limit} ms`));
  }, limit);
  observer.observe(output, { childList: true, subtree: true });
})"""


def run(article: Locator, timeout: int = FIRST_RUN_MS) -> Locator:
    output = article.locator("form.send output").first
    article.locator("button.run").click()
    output.evaluate(ANSWERED, timeout)
    return output


def code_of(article: Locator) -> str:
    return str(article.locator(".code pre").first.text_content())


def not_here(output: Locator) -> set[str]:
    """The headers Run's answer lacks, as the page states them under every Run (lower-cased)."""
    return {str(name).lower() for name in output.locator(".not-here code").all_text_contents()}


def test_wrong_edited_to_an_int_runs_404_and_says_what_changed(learner: Watched, base_url: str) -> None:
    page = learner.page
    page.goto(base_url + "/")
    article = edit(page, "get-wrong")
    replace_code(page, article, code_of(article).replace('"404"', "404"))
    expect(article.locator(".cm-content")).to_contain_text('return "Error", 404')
    output = run(article)
    ran = "Ran in your browser (Flask 3.1.3, Werkzeug 3.1.9 in Pyodide)"  # requirements.lock's versions
    expect(output.locator(".ran")).to_contain_text(ran)
    expect(output.locator(".answer-line")).to_have_text(re.compile(r"^404 NOT FOUND$"))
    expect(output.locator("pre.body")).to_have_text("Error")
    # An int and the string '404' send the same answer: the edit changes nothing on the wire.
    expect(output.locator(".changed")).to_have_text("Your edit changed nothing Flask sends.")
    edited = 'print("Is a string status sent?")\n    return "Error", "200 OK"'
    replace_code(page, article, code_of(article).replace('return "Error", "404"', edited))
    output = run(article)
    expect(output.locator(".answer-line")).to_have_text("200 OK")
    expect(output.locator(".changed")).to_have_text("Your edit changed what Flask sends: status 404 → 200.")
    expect(output.locator(".printed pre")).to_have_text("Is a string status sent?")
    output.scroll_into_view_if_needed()
    article.locator(".editor").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    article.screenshot(path=str(SCREENSHOTS / f"explorer-run-{learner.size}.png"))
    assert learner.errors == []
    assert learner.violations() == []


def test_a_syntax_error_shows_pythons_message_and_line(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "/")
    article = edit(page, "get-wrong")
    replace_code(page, article, code_of(article).replace('"404"', '"404" +'))
    output = run(article)
    error = output.locator("pre.python-error")
    expect(error).to_contain_text('File "your code", line 3')
    expect(error).to_contain_text("SyntaxError: invalid syntax")
    expect(output.locator(".answer-line")).to_have_count(0)


def test_an_exception_shows_the_500_and_pythons_message(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "/")
    article = edit(page, "get-wrong")
    replace_code(page, article, code_of(article).replace('return "Error", "404"', "return missing"))
    output = run(article)
    expect(output.locator(".answer-line")).to_have_text(re.compile(r"^500 "))
    expect(output.locator("pre.python-error")).to_contain_text('File "your code", line 3, in wrong')
    expect(output.locator("pre.python-error")).to_contain_text("NameError: name 'missing' is not defined")


def test_an_endless_loop_is_stopped_and_python_starts_again(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "/")
    article = edit(page, "get-wrong")
    run(article)  # Python started: what follows measures the limit, not the start
    replace_code(page, article, code_of(article).replace('return "Error", "404"', "while True: pass"))
    began = time.monotonic()
    output = run(article, timeout=STOPPED_MS)
    expect(output.locator(".failed")).to_contain_text("Stopped after 5 s: the code did not finish")
    print(f"endless loop stopped after {time.monotonic() - began:.1f} s")
    article.locator("button.reset").click()
    output = run(article)
    expect(output.locator(".answer-line")).to_have_text("404 NOT FOUND")


def test_stop_ends_a_run(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "/")
    article = edit(page, "get-wrong")
    run(article)
    replace_code(page, article, code_of(article).replace('return "Error", "404"', "while True: pass"))
    article.locator("button.run").click()
    article.locator("button.stop").click()
    expect(article.locator("form.send output .failed")).to_contain_text("Stopped by you.")


def test_a_custom_exception_runs_with_its_handler(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "/")
    article = edit(page, "post-demos-handlers-conflict")
    # The card shows both: the exception class and the handler registered for it.
    expect(article.locator(".used code").filter(has_text="ResourceConflict")).to_have_count(1)
    expect(article.locator(".used code").filter(has_text="handle_conflict")).to_have_count(1)
    replace_code(page, article, code_of(article).replace("'demo'", "'tea'"))
    output = run(article)
    expect(output.locator(".answer-line")).to_have_text("409 CONFLICT")
    expect(output.locator("ul.headers")).to_contain_text("Content-Type: application/problem+json")
    expect(output.locator("pre.body")).to_contain_text("An item named 'tea' already exists.")
    expect(output.locator(".changed")).to_have_text("Your edit changed what Flask sends: body.")


def test_predict_then_run_answers_with_the_lessons_own_why(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "/")
    article = edit(page, "get-wrong")
    article.get_by_label("Predict, then run: which status will Flask send?").select_option("200")
    output = run(article)
    why = str(article.locator(".summary + p").first.text_content()).split(";")[0]
    verdict = "You predicted 200; Flask sent 404. Flask did not agree."
    expect(output.locator(".prediction")).to_contain_text(verdict)
    expect(output.locator(".prediction")).to_contain_text(f"Why: {why}")
    # Only the pitfall and mistake lessons ask for a prediction.
    other = edit(page, "get-demos-tuples-body-status")
    expect(other.locator("select.predict")).to_have_count(0)


def test_reset_and_an_edit_kept_in_the_link_or_this_browser(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "/")
    article = edit(page, "get-wrong")
    original = code_of(article)
    article.get_by_label("Keep my edit").select_option("link")
    replace_code(page, article, original.replace('"404"', "404"))
    assert page.evaluate("location.hash").startswith("#edit:get-wrong:")
    page.reload()
    expect(card(page, "get-wrong").locator(".cm-content")).to_contain_text('return "Error", 404')
    article = card(page, "get-wrong")
    article.get_by_label("Keep my edit").select_option("local")
    page.goto(base_url + "/#tutorial")
    article = edit(page, "get-wrong")
    expect(article.locator(".cm-content")).to_contain_text('return "Error", 404')
    article.locator("button.reset").click()
    expect(article.locator(".cm-content")).to_contain_text('return "Error", "404"')
    page.goto(base_url + "/#tutorial")
    article = edit(page, "get-wrong")
    expect(article.locator(".cm-content")).to_contain_text('return "Error", "404"')
    assert watched.errors == []


def test_keyboard_alone_edits_and_runs(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "/#get-wrong")
    page.get_by_role("button", name="Edit and run GET /wrong", exact=True).focus()
    page.keyboard.press("Enter")
    article = card(page, "get-wrong")
    expect(article.locator(".cm-content")).to_be_focused()
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # out of the editor: the next control is Run
    expect(article.locator("button.run")).to_be_focused()
    page.keyboard.press("Enter")
    output = article.locator("form.send output").first
    expect(output.locator(".answer-line")).to_have_text("404 NOT FOUND", timeout=FIRST_RUN_MS)


def test_cards_that_cannot_run_say_why(page: Page, base_url: str) -> None:
    page.goto(base_url + "/#get-demos-streaming-lines")
    article = card(page, "get-demos-streaming-lines")
    expect(article.locator("button.edit")).to_have_count(0)
    expect(article.locator(".no-run")).to_contain_text("No Edit and Run in your browser for this card: a")
    expect(card(page, "get-demos-early-hints-preload").locator(".no-run")).to_contain_text("103 Early Hints")


def _send_answer(article: Locator) -> tuple[int, list[str]]:
    """The status and headers Send showed: from fetch, or from the wire for what fetch hides."""
    article.locator("form.send button[type=submit]").first.click()
    output = article.locator("form.send output").first
    expect(output.locator(".answer-line, .failed").first).to_be_visible(timeout=TIMEOUT_MS)
    if article.get_attribute("data-wire") is not None:
        expect(output.locator("pre.wire, .wire-answer .failed").first).to_be_visible(timeout=TIMEOUT_MS)
        heads = str(output.locator("pre.wire").text_content()).split("\n\n")
        final = [block for block in heads if block.startswith("HTTP/")][-1].splitlines()
        status = int(final[0].split()[1])
        lines = final[1:]
    else:
        status = int(str(output.locator(".answer-line").text_content()).split()[0])
        items = output.locator("ul.headers li").all()
        lines = [str(item.text_content()).removesuffix(" documented") for item in items]
        if output.locator("details.more pre").count():
            lines += str(output.locator("details.more pre").text_content()).splitlines()
    return status, lines


def _headers(lines: list[str], leave_out: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        name, _, value = line.partition(": ")
        if name.lower() not in leave_out | PER_ANSWER:
            if name.lower() == "allow":  # Werkzeug lists the methods of a set: any order
                value = ", ".join(sorted(value.split(", ")))
            found[name.lower()] = ID.sub("<id>", value)
    return found


def test_send_and_run_agree_on_every_card_that_runs(watched: Watched, base_url: str) -> None:
    # Unchanged, each card's Run (Flask in this page) and its Send (the container) answer the same status
    # and headers, but for those the page says Run lacks (the service's after every view, its server's),
    # which are then exactly what Send has more. Set-Cookie aside: fetch() never shows it to a page.
    page = watched.page
    page.goto(base_url + "/")
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    anchors = page.eval_on_selector_all("article[data-run]", "(nodes) => nodes.map((n) => n.id)")
    assert len(anchors) > 60
    load = os.getloadavg()
    first: dict[str, object] = {}
    python_ms: list[int] = []  # the Run in the worker alone, without the page around it
    invalid = 0
    later: list[int] = []
    began = time.monotonic()
    disagree = {}
    stated: set[str] = set()
    more_in_send: set[str] = set()
    for number, anchor in enumerate(anchors):
        article = card(page, anchor)
        sent_status, sent_lines = _send_answer(article)
        article.locator("button.edit").click()
        output = run(article)
        stated = not_here(output)
        ran_status = int(str(output.locator(".answer-line").text_content()).split()[0])
        ran_lines = [str(li.text_content()) for li in output.locator("ul.headers li").all()]
        ran = (ran_status, _headers(ran_lines, stated | {"set-cookie"}))
        sent = (sent_status, _headers(sent_lines, stated | {"set-cookie"}))
        more_in_send |= set(_headers(sent_lines, {"set-cookie"})) - set(_headers(ran_lines, {"set-cookie"}))
        python_ms.append(int(output.get_attribute("data-python-ms") or 0))
        if not 100 <= ran_status <= 599:
            # Flask's status that no status line carries (the pitfalls that teach it): Gunicorn answers 500.
            expect(output.locator(".invalid-status")).to_contain_text("Gunicorn sends its own 500")
            ran = (500, sent[1])
            invalid += 1
        ms = int(output.get_attribute("data-ran-ms") or 0)
        if number == 0:
            marks = json.loads(output.get_attribute("data-start-ms") or "{}")
            first = {
                "run_pressed_to_answer_ms": ms,
                # The page's clock: Run was pressed marks["page"]["run"] ms after Edit.
                "edit_pressed_to_answer_ms": marks["page"]["run"] + ms,
                # ms since the worker began: each step's end (wasm compiled, Python started, Flask and
                # the lessons imported) and each file's arrival; "page": ms since Edit was pressed
                # (the worker began, edit.js ran, the editor shown, Python ready, Run pressed).
                "marks_ms": marks,
            }
        else:
            later.append(ms)
        if sent != ran:
            disagree[anchor] = {"send": sent, "run": ran}
    later.sort()
    figures = {
        "cards": len(anchors),
        "load_average_at_start": [round(value, 2) for value in load],
        "first_run": first,
        "later_run_ms_median": later[len(later) // 2],
        "later_run_ms_max": later[-1],
        "python_ms_median": sorted(python_ms)[len(python_ms) // 2],
        "whole_test_s": round(time.monotonic() - began, 1),
        "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "run-figures.json").write_text(json.dumps(figures, indent=2))
    print(f"Run figures: {figures}")
    assert disagree == {}, json.dumps(disagree, indent=1)
    # What the page says Run lacks is what Send has more, on some card each: no more, no less.
    assert more_in_send == stated
    assert invalid == 2  # /demos/pitfalls/reason-only/wrong and bool-status/wrong
    assert watched.violations() == []


def test_first_load_stays_light_and_loads_nothing_of_run(learner: Watched, base_url: str) -> None:
    # Every resource of the first load, for a learner who never presses Edit: the budget is 75 KB.
    page = learner.page
    page.goto(base_url + "/")
    expect(page.locator("button.edit").first).to_be_attached()  # the script ran (lessons start closed)
    page.wait_for_load_state("load")
    figures = page.evaluate(
        """() => {
          const entries = [...performance.getEntriesByType("navigation"),
                           ...performance.getEntriesByType("resource")];
          return {transferred_bytes: entries.reduce((sum, e) => sum + e.transferSize, 0),
                  urls: entries.map((e) => e.name)};
        }"""
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"first-load-{learner.size}.json").write_text(json.dumps(figures, indent=2))
    print(f"first load at {learner.size}: {figures['transferred_bytes']} bytes, {len(figures['urls'])} files")
    assert not [url for url in figures["urls"] if "/static/run/" in url]
    assert figures["transferred_bytes"] <= 75 * 1024


def test_what_the_code_prints_is_shown_apart_and_bounded(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "/")
    article = edit(page, "get-wrong")
    code = code_of(article).replace(
        'return "Error", "404"',
        'print("hello from the view")\n    print("x" * 20000)\n    return "Error", "404"',
    )
    replace_code(page, article, code)
    output = run(article)
    expect(output.locator(".answer-line")).to_have_text("404 NOT FOUND")
    printed = output.get_by_role("region", name="What your code printed")
    expect(printed.locator("h5")).to_contain_text("Printed")
    expect(printed.locator("pre")).to_contain_text("hello from the view")
    # Bounded: the first characters and how many came, not all 20,000.
    expect(printed.locator("pre")).to_contain_text("(20021 characters printed)")
    assert len(str(printed.locator("pre").text_content())) < 10_000
    # Printing is not part of the answer.
    expect(output.locator(".changed")).to_have_text("Your edit changed nothing Flask sends.")
    # The unchanged card prints nothing: no printed part.
    article.locator("button.reset").click()
    output = run(article)
    expect(output.locator(".answer-line")).to_have_text("404 NOT FOUND")
    expect(output.locator(".printed")).to_have_count(0)


def test_learner_code_has_no_way_to_javascript(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "/")
    article = edit(page, "get-wrong")
    code = code_of(article).replace('return "Error", "404"', "import js\n    return 'x'")
    replace_code(page, article, code)
    output = run(article)
    expect(output.locator("pre.python-error")).to_contain_text("ModuleNotFoundError: No module named 'js'")
