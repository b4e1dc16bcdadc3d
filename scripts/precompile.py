"""The image's bytecode step: .pyc files for every module a worker imports, so no start compiles them again.

The base image ships no .pyc files and the container's filesystem is read-only, so without this every
start (and every worker Gunicorn forks) compiled Flask, Werkzeug, gevent and the service from source:
a measurable part of a cold start (docs/performance.md). Only the modules a worker really imports are
compiled, the standard library's among them: a plain `compileall` of the venv alone writes about twice
the bytes and misses the standard library (docs/performance.md, "Renovation"). Checked-hash .pyc files:
reproducible (no source mtime inside), and a source file changed later, a bind-mounted service/ say, is
compiled afresh, never run stale. It lives outside service/ (it imports the app and the server alike,
and is no part of either); the Dockerfile copies it in, runs it as root from /app, and removes it:
`PYTHONPATH=/app python /tmp/precompile.py`.
"""

import importlib.util
import py_compile
import sys


def main() -> int:
    # What a worker imports: the worker class (gevent patches the process first, as Gunicorn does), the
    # app the factory builds, and what the explorer's first GET / loads (Pygments, the templates' code).
    from gevent import monkey

    monkey.patch_all()
    import sqlite3  # noqa: F401 - imported by a worker's first ?sequence= (service/tester/sequences.py)

    import gunicorn.app.wsgiapp  # type: ignore[import-untyped]  # noqa: F401 - the master's

    # A worker's first HTTP/2 connection imports these (Gunicorn loads the h2 library lazily too).
    import h2.config
    import h2.connection
    import h2.events
    import h2.exceptions
    import h2.settings  # noqa: F401

    import service.server.h2streams
    import service.server.worker  # noqa: F401
    from service.app import create_app

    create_app().test_client().get("/", headers={"Accept": "text/html"})
    written = 0
    for module in list(sys.modules.values()):
        source = getattr(module, "__file__", None) or ""
        if source.endswith(".py"):
            py_compile.compile(
                source,
                cfile=importlib.util.cache_from_source(source),
                doraise=True,
                invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH,
            )
            written += 1
    print(f"precompile: {written} modules")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
