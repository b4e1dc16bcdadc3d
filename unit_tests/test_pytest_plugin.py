"""The pytest plugin (pytest_plugin/) installs what the service it copies needs to run."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _dependencies(pyproject: Path) -> list[str]:
    with pyproject.open("rb") as file:
        dependencies: list[str] = tomllib.load(file)["project"]["dependencies"]
    return dependencies


def test_the_plugin_requires_every_runtime_dependency_of_the_service() -> None:
    service = _dependencies(ROOT / "pyproject.toml")
    plugin = _dependencies(ROOT / "pytest_plugin" / "pyproject.toml")
    assert [d for d in service if d not in plugin] == []


def test_the_wheel_carries_the_service_under_the_plugin_package() -> None:
    with (ROOT / "pytest_plugin" / "pyproject.toml").open("rb") as file:
        wheel = tomllib.load(file)["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"] == {"../service": "pytest_status_codes/_service/service"}
