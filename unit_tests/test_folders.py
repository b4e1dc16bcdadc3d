"""The house rule of service/ (docs/development.md, "The map of service/"): each folder's __init__.py
says in one line who works there, and no folder holds more than eight modules, so a reader takes in a
folder at a glance; a ninth module means the folder splits by who works there, as httpbin/ did.
"""

from pathlib import Path

import pytest

SERVICE = Path(__file__).resolve().parent.parent / "service"
MOST = 8
# Folders that hold Python: every package of service/, the root included.
FOLDERS = sorted({p.parent for p in SERVICE.rglob("*.py")})
# Over the rule today, each with why it is not split yet: strict, so the mark fails once it is.
OVER: dict[str, str] = {}


def modules(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.py") if p.name != "__init__.py")


def _param(folder: Path) -> object:
    name = str(folder.relative_to(SERVICE.parent))
    marks = [pytest.mark.xfail(reason=OVER[name], strict=True)] if name in OVER else []
    return pytest.param(folder, id=name, marks=marks)


@pytest.mark.parametrize("folder", [_param(f) for f in FOLDERS])
def test_no_folder_holds_more_than_eight_modules(folder: Path) -> None:
    found = modules(folder)
    assert len(found) <= MOST, f"{len(found)} modules, at most {MOST}: {', '.join(found)}"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: str(f.relative_to(SERVICE.parent)))
def test_each_folder_says_who_works_there(folder: Path) -> None:
    init = folder / "__init__.py"
    assert init.is_file(), "a folder of modules is a package, with an __init__.py"
    text = init.read_text()
    assert text.startswith('"""'), "it opens with its docstring"
    assert text[3:].split("\n", 1)[0].strip(), "whose first line says who works there"


def test_every_folder_over_the_rule_still_exists() -> None:
    assert {str(f.relative_to(SERVICE.parent)) for f in FOLDERS} >= set(OVER)
