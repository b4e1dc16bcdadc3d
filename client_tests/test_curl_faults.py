"""docs/status-target.md's table of what curl says about each new fault, row by row, against the real
curl: its exit code and a line of its stderr (`curl -sSv`), over HTTP/1.1 and cleartext HTTP/2.

The table is the expectation: it was written from curl's runs and its manual, and this test fails the
day curl (or the service) stops saying it. Stalls run with duration=1; `close` with a second URL after
it, the request a keep-alive client sends next on the same connection.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "status-target.md"
ROW = re.compile(r"^\| `([a-z-]+)` \| (HTTP/1\.1|HTTP/2) \| (\d+) \| `([^`]+)`")


def rows() -> list[tuple[str, str, int, str]]:
    found = []
    for line in DOC.read_text().splitlines():
        match = ROW.match(line)
        if match:
            fault, protocol, code, said = match.groups()
            found.append((fault, protocol, int(code), said))
    return found


ROWS = rows()


def test_the_table_covers_every_new_fault_where_it_applies() -> None:
    seen = {(fault, protocol) for fault, protocol, _, _ in ROWS}
    both = {"close", "stall-head", "stall-body"}
    expected = {(f, p) for f in both for p in ("HTTP/1.1", "HTTP/2")}
    expected |= {
        ("overlong", "HTTP/1.1"),
        ("bad-chunk", "HTTP/1.1"),
        ("refuse", "HTTP/2"),
        ("goaway", "HTTP/2"),
    }
    assert seen == expected


@pytest.mark.parametrize(("fault", "protocol", "code", "said"), ROWS, ids=[f"{r[0]}-{r[1]}" for r in ROWS])
def test_curl_says_what_the_table_says(
    base_url: str, fault: str, protocol: str, code: int, said: str
) -> None:
    curl = shutil.which("curl")
    assert curl is not None
    version = ["--http2-prior-knowledge"] if protocol == "HTTP/2" else ["--http1.1"]
    query = f"fault={fault}" + ("&duration=1" if fault.startswith("stall") else "")
    command = [
        curl,
        "-sSv",
        *version,
        "--max-time",
        "10",
        "-o",
        "/dev/null",
        f"{base_url}/status/200?{query}",
    ]
    if fault == "close":
        command += ["-o", "/dev/null", f"{base_url}/status/200"]
    done = subprocess.run(command, capture_output=True, timeout=30, check=False)  # noqa: S603 - fixed argv
    stderr = done.stderr.decode(errors="replace")
    assert done.returncode == code, stderr[-600:]
    assert said in stderr
