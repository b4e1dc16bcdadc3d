"""Every relative link and #anchor in README.md and docs/*.md resolves to a file and a heading."""

import re
from pathlib import Path

import pytest
from conftest import DOCUMENTS, ROOT

# [text](target) and ![alt](target), outside code; autolinks and absolute URLs are not checked here.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE = re.compile(r"^```.*?^```|`[^`\n]*`", re.MULTILINE | re.DOTALL)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(document: Path) -> set[str]:
    """The anchors of a Markdown file's headings (a repeated heading gets -1, -2, ... as on GitHub)."""
    seen: dict[str, int] = {}
    found = set()
    for heading in re.findall(r"^#{1,6} (.+)$", CODE.sub("", document.read_text()), re.MULTILINE):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(document: Path) -> list[str]:
    return [target for target in LINK.findall(CODE.sub("", document.read_text())) if "://" not in target]


CASES = [
    pytest.param(document, target, id=f"{document.relative_to(ROOT)}->{target}")
    for document in DOCUMENTS
    for target in links(document)
    if not target.startswith("mailto:")
]


@pytest.mark.parametrize(("document", "target"), CASES)
def test_link_resolves(document: Path, target: str) -> None:
    path, _, anchor = target.partition("#")
    resolved = (document.parent / path).resolve() if path else document
    assert resolved.exists(), f"{document.name}: {target!r} names a file that does not exist"
    if anchor:
        assert resolved.suffix == ".md", f"{document.name}: {target!r}: an anchor into a non-Markdown file"
        assert anchor in anchors(resolved), f"{document.name}: {target!r}: no heading has that anchor"


def test_slugs_follow_github() -> None:
    assert slug("The /status target") == "the-status-target"
    assert slug("HTTP/2 and 1xx: `103 Early Hints`") == "http2-and-1xx-103-early-hints"
    assert slug("Success with a promise: 201, 202, 204") == "success-with-a-promise-201-202-204"
