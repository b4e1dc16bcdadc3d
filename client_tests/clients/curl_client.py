"""The curl command line (HTTP/1.1, or cleartext HTTP/2 with `--http2`), run as a user would type it.

`python curl_client.py [--http2] BASE_URL ROW...`. This script only builds the command and reads what
curl reports: its `-w %{json}` figures, the heads it dumped (`-D`, 1xx included) and its exit code,
named as curl's manual names it. A POST body goes with `--data-binary` (never `-X POST`, which would
force POST on every hop), HEAD with `--head`, credentials with `--user`, retries with `--retry 3`.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import TIMEOUT, Client, Observation, Row, answer, main

HTTP2 = "--http2" in sys.argv
if HTTP2:
    sys.argv.remove("--http2")

# The exit codes these rows meet, as curl's manual (`man curl`, EXIT CODES) names them.
EXIT_CODES = {
    7: "exit 7 (couldn't connect)",
    # Both are curl 7.88 failing on a stream the server ended early or on a reused h2c connection.
    16: "exit 16 (HTTP/2 error)",
    18: "exit 18 (partial file)",
    28: "exit 28 (timeout)",
    47: "exit 47 (too many redirects)",
    52: "exit 52 (empty reply)",
    55: "exit 55 (send error)",
    56: "exit 56 (receive error)",
    92: "exit 16 (HTTP/2 error)",
}


def _options(row: Row) -> list[str]:
    options = ["--http2-prior-knowledge"] if HTTP2 else ["--http1.1"]
    if row.get("body"):
        options += ["--data-binary", row["body"]]
    if row["method"] == "HEAD":
        options.append("--head")
    for name, value in row.get("headers", {}).items():
        options += ["--header", f"{name}: {value}"]
    if row.get("auth"):
        options += ["--user", ":".join(row["auth"])]
    if row.get("follow"):
        options.append("--location")
    return options


def _heads(raw: str) -> list[tuple[int, str]]:
    """(status, reason) of every head curl dumped, interim ones included."""
    found = []
    for line in raw.splitlines():
        if line.startswith("HTTP/"):
            _, code, *reason = line.split(" ", 2)
            found.append((int(code), reason[0].strip() if reason else ""))
    return found


def _headers(raw: str) -> dict[str, str]:
    """The last head's fields, lower-cased."""
    block = raw.strip().split("\r\n\r\n")[-1]
    fields = (line.partition(":") for line in block.splitlines()[1:])
    return {name.strip().lower(): value.strip() for name, _, value in fields}


def _curl(options: list[str], *urls: str) -> tuple[int, list[dict[str, Any]], list[str], list[bytes]]:
    """One curl run: `options` for the first URL, a plain GET for the next (after --next, on the same
    connection where curl can). Its exit code, and per transfer its figures, dumped heads and body."""
    with tempfile.TemporaryDirectory() as tmp:
        heads = [Path(tmp, f"heads{i}") for i in range(len(urls))]
        bodies = [Path(tmp, f"body{i}") for i in range(len(urls))]
        command = ["curl"]
        for index, url in enumerate(urls):
            transfer = ["--silent", "--max-time", str(TIMEOUT), "-w", "%{json}\n", "-D", str(heads[index])]
            transfer += ["-o", str(bodies[index]), *(options if index == 0 else options[:1]), url]
            command += transfer if index == 0 else ["--next", *transfer]
        done = subprocess.run(command, capture_output=True, timeout=60, check=False)  # noqa: S603
        figures = [json.loads(line) for line in done.stdout.decode().splitlines() if line.startswith("{")]
        dumped = [path.read_text() if path.exists() else "" for path in heads]
        read = [path.read_bytes() if path.exists() else b"" for path in bodies]
        return done.returncode, figures, dumped, read


def _observe(row: Row, code: int, figures: dict[str, Any], heads: str, body: bytes) -> Observation:
    seen = _heads(heads)
    # A failed run is its error, except a partial body (18), where what arrived is the finding.
    if code != 0 and (code != 18 or not seen):
        return {"error": EXIT_CODES.get(code, f"exit {code}")}
    status, reason = seen[-1]
    found = answer(row, status, _headers(heads), body, reason=reason, hops=figures.get("num_redirects", 0))
    found["bytes"] = figures.get("size_download", len(body))  # --head writes the head to the output
    found["interim"] = [s for s, _ in seen if s < 200]
    if code != 0:
        found["error"] = EXIT_CODES.get(code, f"exit {code}")
    return found


def fetch(row: Row, url: str) -> Observation:
    code, figures, (heads,), (body,) = _curl(_options(row), url)
    found = _observe(row, code, figures[0] if figures else {}, heads, body)
    if row.get("auth") and "status" in found:
        # --user sends Basic credentials with the request itself; a second head would be a retry.
        found["auth"] = "at once" if len(_heads(heads)) == 1 else "after the challenge"
    return found


def pair(row: Row, url: str, then: str) -> Observation:
    # curl cannot sleep between the transfers of one run; --rate spaces them (curl >= 7.84) instead.
    spacing = ["--rate", f"{round(60 / float(row['pause']))}/m"] if row.get("pause") else []
    code, figures, heads, bodies = _curl(_options(row) + spacing, url, then)
    found = _observe(row, code if len(figures) < 2 else 0, figures[0] if figures else {}, heads[0], bodies[0])
    if len(figures) == 2 and figures[1].get("http_code"):
        found["next"] = figures[1]["http_code"]
        found["reused"] = figures[1].get("num_connects") == 0
    elif code != 0:
        found["next_error"] = EXIT_CODES.get(code, f"exit {code}")
    return found


def retry(row: Row, url: str) -> Observation:
    # curl's documented policy: --retry retries 408, 429, 500, 502, 503 and 504, honouring Retry-After.
    options = [*_options(row), "--retry", "3", "--retry-max-time", "30"]
    code, figures, (heads,), (body,) = _curl(options, url)
    found = _observe(row, code, figures[0] if figures else {}, heads, body)
    found["attempts"] = len([s for s, _ in _heads(heads) if s >= 200])
    return found


def _version() -> str:
    done = subprocess.run(["curl", "--version"], capture_output=True, text=True, check=True)  # noqa: S607
    return done.stdout.split()[1]


if __name__ == "__main__":
    main(Client("curl h2c" if HTTP2 else "curl", _version(), fetch, pair, retry))
