"""Every environment variable the project reads is in one of the two configuration tables, and no more.

The README's table is the service's (what a person running it sets), docs/running.md's the operators'
(the bind address, the metrics directory, the Swarm stack); docs/development.md's is the suites', the
bench's and CI's.
"""

import os
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where variables are read: the service and its image, the suites and their kit, the scripts, the bench,
# CI, compose, the Swarm stack and HAProxy's config.
SOURCES = (
    "service",
    "testkit",
    "scripts",
    "contract_tests",
    "resilience_tests",
    "browser_tests",
    "fleet_tests",
    "docs_tests",
    "metrics_tests",
    "client_tests",
    "bench",
    ".ci",
    "deploy",
)
FILES = ("Makefile", "compose.yaml", "Dockerfile")
READS = [
    re.compile(r"""os\.environ(?:\.get\(|\[)\s*['"]([A-Z][A-Z0-9_]*)['"]"""),  # os.environ.get("X") / ["X"]
    re.compile(r"""getenv\(\s*['"]([A-Z][A-Z0-9_]*)['"]"""),
    re.compile(r"""_int\(\s*['"]([A-Z][A-Z0-9_]*)['"]"""),  # gunicorn.conf.py's bounded reader
    re.compile(r"""\benv\.get\(\s*['"]([A-Z][A-Z0-9_]*)['"]"""),
    re.compile(r"""\b_var\(\s*['"]([A-Z][A-Z0-9_]*)['"]"""),  # service/settings.py's declarations
    re.compile(r"\$\$?\{([A-Z][A-Z0-9_]*)"),  # ${X} / ${X:-default} in shell, compose and make recipes
    re.compile(r"^([A-Z][A-Z0-9_]*) \?=", re.MULTILINE),  # Makefile variables the environment can set
]
# Set by a script for itself, never by a user: not configuration.
INTERNAL = frozenset({"SECONDS", "BIN", "BENCH_BIN"})
# Installed or generated, never the project's own code: not walked at all (a venv holds thousands of files).
SKIPPED = frozenset({".venv", "__pycache__", ".hypothesis", ".pytest_cache", "results", ".build"})


def source_files() -> list[Path]:
    """The files below SOURCES, minus what SKIPPED names, plus the top-level FILES."""
    paths = []
    for top in SOURCES:
        for folder, subfolders, names in os.walk(ROOT / top):
            subfolders[:] = [name for name in subfolders if name not in SKIPPED]
            paths += [Path(folder) / name for name in names]
    return paths + [ROOT / f for f in FILES]


@cache
def read_variables() -> dict[str, str]:
    """Each variable the code reads -> one file that reads it."""
    paths = source_files()
    found: dict[str, str] = {}
    for path in paths:
        try:
            text = path.read_text()
        except (UnicodeDecodeError, OSError):
            continue
        for pattern in READS:
            for name in pattern.findall(text):
                found.setdefault(name, str(path.relative_to(ROOT)))
    return {name: where for name, where in found.items() if name not in INTERNAL}


# Each table: the document and the heading of the section that holds it.
TABLES = (
    ("README.md", "Configuration"),
    ("docs/running.md", "Configuration for operators"),
    ("docs/development.md", "Configuration for development"),
)


def table(document: str, heading: str) -> list[str]:
    """The names in the first column of the table under `## heading` in `document`, in order."""
    text = (ROOT / document).read_text()
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, re.MULTILINE)


def table_variables() -> set[str]:
    return {name for document, heading in TABLES for name in table(document, heading)}


def test_every_variable_read_is_documented() -> None:
    missing = {name: where for name, where in read_variables().items() if name not in table_variables()}
    assert not missing, f"read but in no configuration table ({TABLES}): {missing}"


def test_the_tables_list_only_variables_that_are_read() -> None:
    stale = table_variables() - set(read_variables())
    assert not stale, f"in a configuration table but read nowhere: {sorted(stale)}"


def test_each_variable_has_one_row() -> None:
    rows = [name for document, heading in TABLES for name in table(document, heading)]
    assert len(rows) == len(set(rows)), f"listed twice: {sorted({n for n in rows if rows.count(n) > 1})}"


def test_the_scan_finds_the_known_readers() -> None:
    # Guards the scanner itself: these are read today, in four different syntaxes.
    found = read_variables()
    assert {"WEB_CONCURRENCY", "HEALTH_WAIT_SECONDS", "SERVICE_PORT", "PYTHON_IMAGE", "VENV"} <= set(found)


def test_the_readme_table_stays_short() -> None:
    """The person running the service reads at most 22 rows; the rest go to the operators' table."""
    rows = table("README.md", "Configuration")
    assert len(rows) <= 22, (
        f"the README's configuration table has {len(rows)} rows: move some to docs/running.md"
    )
