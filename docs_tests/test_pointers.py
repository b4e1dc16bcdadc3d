"""A pointer to a README or docs/ section, from any text file of the repository, names one that exists.

Comments and docstrings point readers at the manual too (`README "Configuration"`,
`docs/running.md#observability`); when a section moves, those rot silently unless something reads them.
Markdown links inside README.md and docs/ are test_links.py's; this covers every file git knows.
"""

import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from test_links import anchors

# A document named as README (root) or docs/<page>.md, then an #anchor or a quoted heading:
# `README.md#configuration`, `../docs/running.md#observability`, `README "Performance"`, `the README's "X"`.
DOCUMENT = r"(?:(?<![\w/.-])|(?<=\.\./))(README(?:\.md)?|docs/[\w-]+\.md)"
ANCHOR = re.compile(DOCUMENT + r"#([\w-]+)")
QUOTED = re.compile(DOCUMENT + r"(?:'s)? \"([^\"\n]+)\"")


def text_files() -> list[Path]:
    """Every file git tracks, or would track (new, not ignored), that reads as text."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    found = []
    for name in sorted(set(filter(None, listed.split("\0")))):
        path = ROOT / name
        try:
            path.read_text()
        except (UnicodeDecodeError, OSError):
            continue  # binary, or deleted in the working tree
        found.append(path)
    return found


def target(name: str) -> Path:
    return ROOT / ("README.md" if name.startswith("README") else name)


def headings(document: Path) -> set[str]:
    """A document's headings as a reader quotes them: lower case, Markdown's marks dropped."""
    text = document.read_text()
    return {re.sub(r"[`*_]", "", h).strip().lower() for h in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE)}


def pointers() -> list[tuple[Path, str, str, str]]:
    """(file, what it says, the document, the anchor or heading) for every pointer in the repository."""
    found = []
    for path in text_files():
        if path == Path(__file__).resolve():
            continue  # its own examples
        text = path.read_text()
        found += [(path, m.group(0), m.group(1), "#" + m.group(2)) for m in ANCHOR.finditer(text)]
        found += [(path, m.group(0), m.group(1), m.group(2)) for m in QUOTED.finditer(text)]
    return found


def case(path: Path, said: str, document: str, section: str) -> object:
    return pytest.param(document, section, id=f"{path.relative_to(ROOT)}: {said}")


@pytest.mark.parametrize(("document", "section"), [case(*found) for found in pointers()])
def test_pointer_names_a_section_that_exists(document: str, section: str) -> None:
    page = target(document)
    assert page.exists(), f"{document} does not exist"
    if section.startswith("#"):
        assert section[1:] in anchors(page), f"{document} has no heading with the anchor {section}"
    else:
        assert section.lower() in headings(page), f'{document} has no heading "{section}"'


def test_the_patterns_see_each_form() -> None:
    said = 'see README "Configuration", the README\'s "X", ../docs/running.md#observability, README.md#a'
    assert [m.group(0) for m in ANCHOR.finditer(said)] == ["docs/running.md#observability", "README.md#a"]
    assert [m.group(2) for m in QUOTED.finditer(said)] == ["Configuration", "X"]
    assert not ANCHOR.search("deploy/README.md#x"), "another folder's README is not the root README"
