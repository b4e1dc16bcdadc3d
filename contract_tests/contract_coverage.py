"""Contract coverage: every documented (operation, status) is exercised, every observed one documented.

Every response the suite's clients receive is recorded. When the whole suite has run (no -k, no
selection), the recorded pairs are compared with the service's own /openapi.json in both directions;
any gap fails the run with the list of pairs. Requests that match no documented operation (unknown
paths, undocumented methods such as an automatic HEAD) are not operations and are not counted.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

Pair = tuple[str, str, str]  # (METHOD, path template, status key as documented: "404" or "4XX")
# Pairs this suite cannot cause against a healthy service, each exercised by the suite named: the attempt
# log's 503 needs its store down (fleet_tests/test_fleet_sequences.py scales the stack's Redis to 0).
ELSEWHERE: dict[Pair, str] = {
    ("GET", "/sequences/{key}", "503"): "fleet_tests/test_fleet_sequences.py",
    ("DELETE", "/sequences/{key}", "503"): "fleet_tests/test_fleet_sequences.py",
}


@dataclass
class Recorder:
    """The (method, path, status) triples seen on the wire during the session."""

    seen: set[tuple[str, str, int]] = field(default_factory=set)

    def record(self, response: httpx.Response) -> None:
        self.seen.add((response.request.method, response.request.url.path, response.status_code))


RECORDER = Recorder()


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$")


def compare(spec: dict[str, Any], seen: set[tuple[str, str, int]]) -> tuple[set[Pair], set[Pair]]:
    """(documented but never observed, observed but undocumented)."""
    documented: dict[tuple[str, str], set[str]] = {}
    for template, item in spec["paths"].items():
        for method, operation in item.items():
            documented[(method.upper(), template)] = set(operation["responses"])
    # Exact templates first, so /a/b wins over /a/{x} when both exist.
    templates = sorted({t for _, t in documented}, key=lambda t: (t.count("{"), -len(t)))
    regexes = {t: _template_regex(t) for t in templates}
    observed: dict[tuple[str, str], set[str]] = defaultdict(set)
    undocumented: set[Pair] = set()
    for method, path, status in seen:
        template = next((t for t in templates if (method, t) in documented and regexes[t].match(path)), None)
        if template is None:
            continue
        keys = documented[(method, template)]
        key = str(status) if str(status) in keys else f"{str(status)[0]}XX"
        if key in keys:
            observed[(method, template)].add(key)
        else:
            undocumented.add((method, template, str(status)))
    never = {(m, t, k) for (m, t), keys in documented.items() for k in keys - observed[(m, t)]} - set(
        ELSEWHERE
    )
    return never, undocumented


def _full_run(session: pytest.Session) -> bool:
    config = session.config
    deselected = config.pluginmanager.get_plugin("terminalreporter")
    selected_all = not (deselected and deselected.stats.get("deselected"))
    return selected_all and not config.option.keyword and not config.option.markexpr and not config.args[1:]


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if exitstatus != 0 or not _full_run(session) or not RECORDER.seen:
        return
    base_url = str(session.config.getoption("--base-url")).rstrip("/")
    spec = httpx.get(base_url + "/openapi.json", timeout=10.0).json()
    never, undocumented = compare(spec, RECORDER.seen)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    total = sum(len(op["responses"]) for item in spec["paths"].values() for op in item.values())
    lines = [f"contract coverage: {total - len(never)}/{total} documented (operation, status) pairs observed"]
    suites = ", ".join(sorted(set(ELSEWHERE.values())))
    lines[0] += f" ({len(ELSEWHERE)} of them left to {suites})"
    lines += [f"  documented, never observed: {m} {t} -> {s}" for m, t, s in sorted(never)]
    lines += [f"  observed, not documented:   {m} {t} -> {s}" for m, t, s in sorted(undocumented)]
    if reporter is not None:
        reporter.write_sep("=", "contract coverage")
        for line in lines:
            reporter.write_line(line)
    if never or undocumented:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
