"""`make compare-httpbin`: a client library's own httpbin-based suite, unchanged, against httpbin and us.

requests' tests (from its sdist, hash-checked against pytest_plugin/compare/ours.txt) run twice, each in
its own venv made from a hashed lock: against httpbin 0.10.4 through pytest-httpbin (reference.txt), the
fixture they are written for, and against this service through pytest_plugin/ (ours.txt; the plugin is
built from this checkout on every run). Then the counts of both runs, and every test whose outcome
differs, are printed and written to results/compare-httpbin.md.

The same tests are deselected in both runs: the few that send traffic off this host (a DNS lookup of a
public name, a connect to a non-routable address), which the project's network rule forbids.
Set STATUS_CODES_URL to run "ours" against a running container instead of the plugin's own Gunicorn.
"""

import hashlib
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import venv
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPARE = ROOT / "pytest_plugin" / "compare"
RESULTS = ROOT / "results" / "compare-httpbin.md"
SIDES = {"httpbin 0.10.4": "reference", "this service": "ours"}
# Tests that leave this host whichever server is under test (see the docstring).
OFF_HOST = "not (test_connect_timeout or test_total_timeout_connect or test_proxy_error or doesnotexist)"
# One run of the suite takes about a minute; a hung run is stopped here.
RUN_TIMEOUT = 1200


def _venv(side: str) -> Path:
    """The side's venv, made again whenever its lock file changed."""
    lock = COMPARE / f"{side}.txt"
    where = ROOT / ".venv-compare" / side
    stamp = where / ".lock-sha256"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        venv.create(where, clear=True, with_pip=True)
        _pip(where, "install", "--no-deps", "--require-hashes", "--no-binary", "requests", "-r", str(lock))
        stamp.write_text(digest)
    if side == "ours":
        # The checkout's plugin and service, every run (a local folder cannot be hash-checked).
        _pip(
            where,
            "install",
            "--no-deps",
            "--no-build-isolation",
            "--force-reinstall",
            str(ROOT / "pytest_plugin"),
        )
    return where


def _pip(where: Path, *args: str) -> None:
    subprocess.run(  # noqa: S603 - the venv's own pip, fixed arguments
        [str(where / "bin" / "python"), "-m", "pip", "--quiet", "--disable-pip-version-check", *args],
        check=True,
    )


def _requests_sdist(workdir: Path) -> Path:
    """requests' sdist, downloaded with the hashes the lock holds, unpacked: its root holds tests/."""
    lock = (COMPARE / "ours.txt").read_text()
    block = re.search(r"^requests(\[socks\])?==\S+(?: \\\n\s+--hash=\S+)+", lock, re.MULTILINE)
    if block is None:
        raise SystemExit("pytest_plugin/compare/ours.txt pins no requests")
    pin = workdir / "requests.txt"
    pin.write_text(block.group(0).replace("[socks]", "") + "\n")
    downloads = workdir / "sdist"
    subprocess.run(  # noqa: S603 - this interpreter's pip, fixed arguments
        [
            *(sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps"),
            *("--no-binary", ":all:", "--require-hashes", "-r", str(pin), "-d", str(downloads)),
        ],
        check=True,
    )
    (archive,) = downloads.glob("requests-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(workdir, filter="data")
    (root,) = workdir.glob("requests-*/")
    return root


def _run(where: Path, suite: Path, report: Path) -> dict[str, str]:
    """The suite's outcome per test id: passed, failed, error or skipped."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "REQUESTS_CA_BUNDLE"))}
    try:
        subprocess.run(  # noqa: S603 - the venv's own pytest, fixed arguments
            [
                str(where / "bin" / "python"),
                "-m",
                "pytest",
                "tests",
                "-q",
                "-p",
                "no:cacheprovider",
                "-k",
                OFF_HOST,
                f"--junitxml={report}",
            ],
            cwd=suite,
            env=env,
            check=False,
            timeout=RUN_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise SystemExit(f"the suite ran past {RUN_TIMEOUT} s in {where}") from None
    outcomes = {}
    for case in ET.parse(report).iter("testcase"):  # noqa: S314 - pytest's own report, written just now
        # A test parametrized with a path inside the venv (requests' test_utils has some) has one id per venv.
        name = f"{case.get('classname')}::{case.get('name')}".replace(str(where), "<venv>")
        kinds = {child.tag for child in case}
        outcome = next((k for k in ("error", "failure", "skipped") if k in kinds), "passed")
        outcomes[name] = {"failure": "failed"}.get(outcome, outcome)
    return outcomes


def main() -> int:
    runs: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="compare-httpbin-") as tmp:
        workdir = Path(tmp)
        suite = _requests_sdist(workdir)
        for label, side in SIDES.items():
            print(f"--- requests {suite.name.split('-')[1]}'s suite against {label}", flush=True)
            runs[label] = _run(_venv(side), suite, workdir / f"{side}.xml")
    lines = [
        f"# requests {suite.name.split('-')[1]}'s own suite, against httpbin 0.10.4 and this service",
        "",
        "| against | passed | failed | error | skipped | total |",
        "|---|---|---|---|---|---|",
    ]
    for label, outcomes in runs.items():
        count = Counter(outcomes.values())
        row = [count[k] for k in ("passed", "failed", "error", "skipped")]
        lines.append(f"| {label} | " + " | ".join(map(str, row)) + f" | {len(outcomes)} |")
    reference, ours = runs.values()
    differ = sorted(t for t in reference.keys() | ours.keys() if reference.get(t) != ours.get(t))
    lines += ["", f"{len(differ)} tests differ (httpbin 0.10.4 -> this service):", ""]
    lines += [f"- `{t}`: {reference.get(t, 'absent')} -> {ours.get(t, 'absent')}" for t in differ]
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text)
    print(text)
    print(f"(written to {RESULTS.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
