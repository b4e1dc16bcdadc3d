"""The image's python.zip step: what Run imports in the learner's browser, as one zip for Pyodide.

The pure-Python packages (Flask and its dependencies, as installed from requirements.lock; MarkupSafe
without its compiled speedups, which it does without) and the service modules the lessons import, the
explorer's runner among them. It lives outside service/ (it walks the lessons, which the explorer's
floor must not import); the Dockerfile's editor stage runs it, then has Pyodide compile the zip
(editor/src/compile.mjs): `PYTHONPATH=/src python scripts/python_zip.py DIR` writes DIR/python.zip.
"""

import importlib
import pkgutil
import sys
import zipfile
from pathlib import Path

# The packages Run imports, as the image installs them; each a folder in site-packages.
PACKAGES = ("flask", "werkzeug", "jinja2", "markupsafe", "itsdangerous", "click", "blinker")


def lesson_modules() -> list[str]:
    """Every service module Run imports: the lessons, what they import, the runner; run in a fresh process
    (python -m), so nothing else the service loads is counted."""
    import service.demos

    for found in pkgutil.walk_packages(service.demos.__path__, "service.demos."):
        importlib.import_module(found.name)
    importlib.import_module("service.explorer.runner")
    return sorted(name for name in sys.modules if name.startswith("service"))


def write_zip(target: Path) -> Path:
    """python.zip: the packages and the lesson modules, paths relative to site-packages."""
    import flask

    site = Path(flask.__file__).parent.parent
    import service

    root = Path(service.__file__).resolve().parent.parent
    files: list[tuple[Path, str]] = []
    for package in PACKAGES:
        # The package and its metadata (importlib.metadata reads the version from it).
        folders = [site / package, *site.glob(f"{package}-*.dist-info")]
        for path in sorted(p for folder in folders for p in folder.rglob("*")):
            compiled = path.suffix in (".so", ".pyd", ".pyc")  # MarkupSafe falls back to pure Python
            if path.is_file() and not compiled and "__pycache__" not in path.parts:
                files.append((path, str(path.relative_to(site))))
    for name in lesson_modules():
        path = Path(sys.modules[name].__file__ or "").resolve()
        files.append((path, str(path.relative_to(root))))
    target.mkdir(parents=True, exist_ok=True)
    out = target / "python.zip"
    # Every folder as an entry of its own too: zipimport finds a namespace package (flask.sansio has no
    # __init__.py) by its folder's entry, before Python 3.13 at least.
    parents = sorted({str(parent) for _, name in files for parent in Path(name).parents if parent.name})
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for folder in parents:
            archive.writestr(zipfile.ZipInfo(f"{folder}/", date_time=(2020, 1, 1, 0, 0, 0)), b"")
        for path, name in sorted(set(files), key=lambda pair: pair[1]):
            # A fixed date: the same files make the same zip, so its content hash (its URL) is stable.
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return out


if __name__ == "__main__":
    print(write_zip(Path(sys.argv[1])))
