"""`make fuzz`: Schemathesis, every check on, against a running service's /openapi.json; one summary line.

Usage: fuzz.py BASE_URL. The settings (bounds, the documented server errors it allows) are in
schemathesis.toml. Exits with Schemathesis's code, or 124 if the run outlives FUZZ_TIMEOUT seconds.
"""

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# A hard stop for the whole run, well above its usual length, so a hung request can never hang CI.
TIMEOUT = float(os.environ.get("FUZZ_TIMEOUT", "600"))


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: fuzz.py BASE_URL", file=sys.stderr)
        return 2
    schema = sys.argv[1].rstrip("/") + "/openapi.json"
    argv = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(ROOT / "schemathesis.toml"),
        "--no-color",
        "run",
        schema,
        "--wait-for-schema",
        "30",
    ]
    started = time.monotonic()
    lines: list[str] = []
    run = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # noqa: S603 - fixed argv, our own venv
    # Killing the run ends its output, so the loop below ends too, whatever the run was waiting on.
    watchdog = threading.Timer(TIMEOUT, run.kill)
    watchdog.start()
    try:
        for line in run.stdout or ():  # streamed: a long run shows progress, CI logs keep the details
            print(line, end="", flush=True)
            lines.append(line.rstrip())
        code = run.wait()
    finally:
        watchdog.cancel()
    if time.monotonic() - started >= TIMEOUT:
        print(f"fuzz: TIMEOUT after {TIMEOUT:.0f}s against {schema} (FUZZ_TIMEOUT)", flush=True)
        return 124
    print(f"fuzz: {'PASS' if code == 0 else 'FAIL'} against {schema} — {summary(lines)}", flush=True)
    return code


def summary(lines: list[str]) -> str:
    """Schemathesis's own totals: operations tested, test cases, and the closing '== ... in Ns ==' line."""
    found = []
    for i, line in enumerate(lines):
        if line.strip() == "Test cases:" and i + 1 < len(lines):
            found.append(lines[i + 1].strip())
        elif line.strip().startswith("Tested:"):
            found.append(f"{line.split(':', 1)[1].strip()} operations tested")
    closing = next((m[1] for line in reversed(lines) if (m := re.fullmatch(r"=+ (.+) =+", line))), None)
    if closing:
        found.append(closing)
    return "; ".join(found) or "no summary (see the output above)"


if __name__ == "__main__":
    sys.exit(main())
