"""`make test-local`: the contract suite against the service under Gunicorn on the host, no Docker.

Starts Gunicorn (the same config file as the container) on a free loopback port, runs pytest against
it, stops it, and exits with pytest's exit code. Extra arguments go to pytest. The server's log (the
deliberate demo tracebacks included) goes to a file, shown only when the suite fails.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from testkit.host import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> int:
    base_url = f"http://127.0.0.1:{free_port()}"
    metrics_port = free_port()
    env = {**os.environ, "GUNICORN_BIND": base_url.removeprefix("http://"), "METRICS_PORT": str(metrics_port)}
    log = tempfile.NamedTemporaryFile(prefix="test-local-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603 - fixed argv, our own venv
        [BIN / "gunicorn", "--config", "service/server/gunicorn.conf.py", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    returncode = 1
    try:
        tests = subprocess.run(  # noqa: S603 - fixed argv, our own venv
            [
                BIN / "pytest",
                "contract_tests",
                "--base-url",
                base_url,
                "--metrics-url",
                f"http://127.0.0.1:{metrics_port}/metrics",
                *sys.argv[1:],
            ],
            cwd=ROOT,
            check=False,
        )
        returncode = tests.returncode
        return returncode
    finally:
        stop(server, seconds=30)
        log.close()
        if returncode != 0:
            print(f"--- the server's log ({log.name}), last 60 lines:", file=sys.stderr)
            lines = Path(log.name).read_text(errors="replace").splitlines()
            print("\n".join(lines[-60:]), file=sys.stderr)
        else:
            os.unlink(log.name)


if __name__ == "__main__":
    sys.exit(main())
