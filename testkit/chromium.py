"""Debian's Chromium as the browser suites launch it: its path and the flags measured to work here.

Playwright drives it (CHROMIUM, /usr/bin/chromium by default); `playwright install` is never run.
Standard library only, so a client program outside pytest (client_tests/clients/) can use it too.
"""

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The flags measured to work on these machines (no sandbox as root, no GPU, nothing phoning home).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
