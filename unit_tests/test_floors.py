"""service/ is built in floors: a module imports only from floors below its own, or from its own folder.

The floors, ground first (docs/development.md, "The floors"): the seam and the settings; the pipeline;
the contract; the rooms (the lessons, the client tester's routes, the explorer, /healthz); the
httpbin-compatible routes, which reuse the tester's parsers; the
catalogue; the app; the server around it. A test, so a new import that runs back up fails here.
Inside httpbin/ the same rule holds one level down (WINGS): the parameter helpers; the exchange (echo,
whose request reader the rest use, auth, cookies, redirects, caching); the content; the route table.
"""

import ast
from pathlib import Path

import pytest

SERVICE = Path(__file__).resolve().parent.parent / "service"
FLOORS = {
    "service.seam": 0,
    "service.settings": 0,
    "service.rfc9110": 0,
    "service.pipeline": 1,
    "service.contract": 2,
    "service.demos": 3,
    "service.tester": 3,
    "service.httpbin": 4,
    "service.explorer": 3,
    "service.health": 3,
    "service.wire": 3,
    "service.catalogue": 5,
    "service.app": 6,
    "service.server": 7,
}


def room(module: str) -> str:
    """The floor's key a module belongs to: its top folder under service/, or the module itself."""
    parts = module.split(".")
    return ".".join(parts[:2])


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            found.update(name for name in names if name.startswith("service.") or name == "service")
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("service."))
    return found


MODULES = sorted(p for p in SERVICE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SERVICE.parent)))
def test_no_import_runs_back_up(path: Path) -> None:
    module = ".".join(path.relative_to(SERVICE.parent).with_suffix("").parts)
    if module == "service.__init__":
        return
    own = room(module)
    assert own in FLOORS, f"{module}: give its folder a floor in this test and in docs/development.md"
    for target in imports(path):
        other = room(target)
        if other == "service" or other == own or other not in FLOORS:
            continue  # `from service import health` names the room in its alias, checked on its own
        assert FLOORS[other] < FLOORS[own], (
            f"{module} imports {target}: floor {FLOORS[other]} >= {FLOORS[own]}"
        )


# httpbin/'s own floors, ground first: what each module there may import from a sibling folder or module.
WINGS = {
    "service.httpbin.params": 0,
    "service.httpbin.exchange": 1,
    "service.httpbin.content": 2,
    "service.httpbin.routes": 3,
}
HTTPBIN = sorted(p for p in (SERVICE / "httpbin").rglob("*.py") if p.name != "__init__.py")


def wing(module: str) -> str:
    return ".".join(module.split(".")[:3])


@pytest.mark.parametrize("path", HTTPBIN, ids=lambda p: str(p.relative_to(SERVICE.parent)))
def test_no_import_runs_back_up_inside_httpbin(path: Path) -> None:
    module = ".".join(path.relative_to(SERVICE.parent).with_suffix("").parts)
    own = wing(module)
    assert own in WINGS, f"{module}: give it a floor in WINGS and in docs/development.md"
    for target in imports(path):
        other = wing(target)
        if room(target) != "service.httpbin" or other == own or other == "service.httpbin":
            continue  # outside httpbin/ the floors above rule; `from service.httpbin import x` names x
        assert other in WINGS, f"{module} imports {target}, which has no floor in WINGS"
        assert WINGS[other] < WINGS[own], f"{module} imports {target}: {WINGS[other]} >= {WINGS[own]}"
