"""axe-core in the explorer: no violation of serious or critical impact."""

import json

from axe_playwright_python.sync_playwright import Axe
from conftest import RESULTS, TIMEOUT_MS
from playwright.sync_api import Page, expect

BLOCKING = {"serious", "critical"}


def test_axe_finds_nothing_serious(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    expect(page.locator("form.send").first).to_be_visible(timeout=TIMEOUT_MS)
    violations = Axe().run(page).response["violations"]
    RESULTS.mkdir(parents=True, exist_ok=True)
    found = [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])} for v in violations]
    (RESULTS / "axe.json").write_text(json.dumps(found, indent=2))
    print(f"axe: {len(found)} violation rule(s): {found}")
    assert [v for v in found if v["impact"] in BLOCKING] == []
