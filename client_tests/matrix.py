"""Run every real client over every row of plan.json against a running service, and write the table.

`python matrix.py BASE_URL [--write]`: each client is its own program (clients/*.py, *.js, Go's
net/http built from clients/go/ with the standard library only) that prints one JSON observation
per row; this module runs them (three at a time, each bounded in time), turns each observation into
a short cell and, with --write, puts the generated part of docs/clients.md in place (`make
clients-table`). client_tests/test_matrix.py runs the same and fails when the committed table differs.
Black-box: nothing here imports the service; it knows only the base URL.
"""

import json
import math
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PLAN = HERE / "plan.json"
DOC = HERE.parent / "docs" / "clients.md"
BUILD = HERE / ".build"
BEGIN, END = "<!-- matrix:begin (make clients-table writes this part) -->", "<!-- matrix:end -->"
VERSIONS = "### Versions measured"
# A version number as the clients print theirs: 156.0.8078.129, 2.34.2, 20.20.2 (at least two parts).
NUMBER = re.compile(r"(?<![\w.])(\d+)\.(\d+)((?:\.\d+)*)(?![\w.])")
# A client that has not printed every row by then is stopped: its missing rows say so.
CLIENT_SECONDS = 150
PYTHON = sys.executable

# The columns, in the table's order: the name, and the program that is the client.
CLIENTS: list[tuple[str, list[str]]] = [
    ("curl", [PYTHON, "clients/curl_client.py"]),
    ("curl h2c", [PYTHON, "clients/curl_client.py", "--http2"]),
    ("requests", [PYTHON, "clients/requests_client.py"]),
    ("urllib", [PYTHON, "clients/urllib_client.py"]),
    ("httpx", [PYTHON, "clients/httpx_client.py"]),
    ("httpx h2c", [PYTHON, "clients/httpx_client.py", "--http2"]),
    ("aiohttp", [PYTHON, "clients/aiohttp_client.py"]),
    ("Node fetch", ["node", "clients/node_fetch.js"]),
    ("Node http", ["node", "clients/node_http.js"]),
    ("Node http2", ["node", "clients/node_http2.js"]),
    ("Go net/http", [str(BUILD / "go-client")]),
    ("Chromium fetch", [PYTHON, "clients/chromium_fetch.py"]),
]

Observation = dict[str, Any]


def plan_rows(*, pending: bool = False) -> list[dict[str, Any]]:
    """The rows to run (or, with pending=True, those waiting for something the service lacks)."""
    rows: list[dict[str, Any]] = json.loads(PLAN.read_text())["rows"]
    return [row for row in rows if bool(row.get("pending")) == pending]


def build_go() -> None:
    """Go's client, built offline from the standard library (GOPATH mode: no module, no proxy)."""
    BUILD.mkdir(exist_ok=True)
    environment = {**os.environ, "GO111MODULE": "off", "GOPROXY": "off", "GOFLAGS": "", "GOCACHE": str(BUILD)}
    command = ["go", "build", "-o", str(BUILD / "go-client"), "clients/go/main.go"]
    subprocess.run(command, cwd=HERE, env=environment, check=True, timeout=300)  # noqa: S603
    shutil.copy(PLAN, BUILD / "plan.json")


def run_client(command: list[str], base_url: str, names: list[str]) -> tuple[str, dict[str, Observation]]:
    """(version, {row: observation}) from one client program; a row it never printed says why."""
    try:
        done = subprocess.run(  # noqa: S603 - our own client programs, fixed arguments
            [*command, base_url, *names],
            cwd=HERE,
            env={**os.environ, "PYTHONPATH": str(HERE.parent)},  # the shared kit (testkit/)
            capture_output=True,
            text=True,
            timeout=CLIENT_SECONDS,
            check=False,
        )
        lines, why = done.stdout.splitlines(), f"client exited {done.returncode}"
    except subprocess.TimeoutExpired as exc:
        stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        lines, why = stdout.splitlines(), f"client stopped after {CLIENT_SECONDS} s"
    version, found = "?", {}
    for line in lines:
        record = json.loads(line)
        if "client" in record:
            version = record["version"]
        else:
            found[record.pop("row")] = record
    return version, {name: found.get(name, {"error": why}) for name in names}


def run_all(base_url: str) -> dict[str, tuple[str, dict[str, Observation]]]:
    """Every client over every row: {column: (version, {row: observation})}, three clients at a time."""
    build_go()
    names = [row["name"] for row in plan_rows()]
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {name: pool.submit(run_client, command, base_url, names) for name, command in CLIENTS}
        results = {name: future.result() for name, future in futures.items()}
    for _, found in results.values():
        for observation in found.values():
            if "sequence" in observation:
                observation["log"] = attempt_log(base_url, observation.pop("sequence"))
    return results


def attempt_log(base_url: str, key: str) -> dict[str, Any]:
    """What the service recorded of a row's requests (GET /sequences/<key>): the server's side of a retry."""
    try:
        with urllib.request.urlopen(f"{base_url}/sequences/{key}", timeout=10) as answer:  # noqa: S310
            found: dict[str, Any] = json.loads(answer.read())
            return found
    except urllib.error.HTTPError as exc:
        return {"error": exc.code}  # 404: not one request of the row reached the service


def _gaps(o: Observation) -> list[float]:
    return [float(gap) for gap in o.get("log", {}).get("summary", {}).get("gaps_s", [])]


def backoff(o: Observation) -> str | None:
    """How the waits between a client's retries went, from the attempt log's gaps (None: no retry)."""
    gaps = _gaps(o)
    if not gaps:
        return None
    if max(gaps) < BACKOFF_AT_ONCE:
        return "retried at once"
    if len(gaps) > 1 and gaps[-1] >= 1.5 * gaps[0] and gaps[-1] - gaps[0] >= BACKOFF_AT_ONCE:
        return "waits grow (backs off)"
    return f"even waits of about {round(sum(gaps) / len(gaps))} s"


def _log_count(o: Observation) -> int:
    return int(o.get("log", {}).get("summary", {}).get("attempts", 0))


# Gaps under this many seconds are a retry at once: a round trip, no wait.
BACKOFF_AT_ONCE = 0.3


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# How each field of an observation reads in a cell (None: nothing to say). A wait is read against the
# wait the row causes (see waited()), so a run on a busy machine reads like one on an idle machine.
FIELDS: dict[str, Callable[[Observation], str | None]] = {
    "status": lambda o: (
        f"**{o['status']} taken as the final answer**"
        if o["status"] < 200
        else f"{o['status']}" + (f" (raised as {o['raised']})" if o.get("raised") else "")
    ),
    "ok": lambda o: None if "ok" not in o else ("ok" if o["ok"] else "not ok"),
    "reason": lambda o: f'"{o["reason"]}"' if o.get("reason") else "no phrase",
    "method": lambda o: (
        None
        if "method" not in o
        else f"arrived as {o['method']}" + (" with the body" if o.get("body") else ", no body")
    ),
    "hops": lambda o: (
        ("not followed" if o["hops"] == 0 else _plural(o["hops"], "hop"))
        if isinstance(o.get("hops"), int)
        else ("followed" if o.get("followed") else "not followed")
    ),
    "interim": lambda o: (
        "1xx not shown"
        if "interim" not in o
        else (" ".join(map(str, o["interim"])) + " seen" if o["interim"] else "no 1xx seen")
    ),
    "next": lambda o: (
        f"next: {o['next']}"
        if "next" in o
        else (f"next: **{o['next_error']}**" if "next_error" in o else None)
    ),
    "reused": lambda o: (
        None if "reused" not in o else ("same connection" if o["reused"] else "new connection")
    ),
    "attempts": lambda o: (
        None if "attempts" not in o else f"{o['attempts']} tr{'y' if o['attempts'] == 1 else 'ies'}"
    ),
    "length": lambda o: f"Content-Length {o['length']}" if "length" in o else "no Content-Length",
    "bytes": lambda o: _plural(o.get("bytes", 0), "byte") + " read",
    "shown": lambda o: "header seen" if o.get("shown") else "header not seen",
    "auth": lambda o: f"credentials {o['auth']}" if "auth" in o else None,
}
# Read from the attempt log (the server's side), so they say something of a failed run too.
LOG_FIELDS: dict[str, Callable[[Observation], str | None]] = {
    "tries_seen": lambda o: (
        None if "log" not in o else f"the service saw {_plural(_log_count(o), 'request')}"
    ),
    "resent": lambda o: (
        None
        if "log" not in o
        else (
            "**POST re-sent without Idempotency-Key**"
            if o["log"].get("summary", {}).get("non_idempotent_resent_without_key")
            else "POST not re-sent"
        )
    ),
    "backoff": backoff,
    "honoured": lambda o: (
        None
        if not o.get("log", {}).get("summary", {}).get("retry_after_asked")
        else "Retry-After kept"
        if o["log"]["summary"]["retry_after_honoured"] == o["log"]["summary"]["retry_after_asked"]
        else "**Retry-After not kept**"
    ),
}
FIELDS.update(LOG_FIELDS)


def waited(row: dict[str, Any], observation: Observation) -> str | None:
    """A wait against the row's `wait`: "waited 2 s" for any run that held on that long, however busy.

    One try has nothing to wait between, and its time is only the server's answer time (which a busy
    machine can stretch): "1 try" says it all.
    """
    if observation.get("attempts") == 1:
        return None
    seconds = observation["waited"]
    return f"waited {row['wait']} s" if seconds >= 0.9 * row["wait"] else f"waited {math.floor(seconds)} s"


def cell(row: dict[str, Any], observation: Observation) -> str:
    """What the client did on this row, in the words of the row's `report` fields."""
    parts = [f"**{observation['error']}**"] if "error" in observation else []
    if "status" in observation:
        for name in row["report"]:
            text = waited(row, observation) if name == "waited" else FIELDS[name](observation)
            if text:
                parts.append(text)
    else:  # a failed run: what the service saw of it still tells
        parts += [
            text for name in row["report"] if name in LOG_FIELDS and (text := LOG_FIELDS[name](observation))
        ]
    return ", ".join(parts).replace("|", "\\|")


def render(results: dict[str, tuple[str, dict[str, Observation]]]) -> str:
    """The generated part of docs/clients.md: the table, what each row means, the versions measured."""
    columns = list(results)
    lines = [BEGIN, "", "| row | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for row in plan_rows():
        cells = [cell(row, results[column][1][row["name"]]) for column in columns]
        lines.append(f"| {row['title']} | " + " | ".join(cells) + " |")
    lines += ["", "### What each row means for a Flask developer", ""]
    for row in plan_rows():
        lines.append(f"- **{row['title']}** (`{row['method']} {row['path']}`): {row['means']}")
    waiting = plan_rows(pending=True)
    if waiting:
        lines += ["", "### Rows designed, waiting for the service", ""]
        lines += [
            f"- **{row['title']}** (`{row['method']} {row['path']}`): waits for {row['pending']}."
            for row in waiting
        ]
    lines += ["", "### Versions measured", ""]
    lines += [f"- {column}: {results[column][0]}" for column in columns]
    return "\n".join([*lines, "", END])


def release(number: "re.Match[str]") -> str:
    """A version number's major release: 156.0.8078.129 -> 156; under 1.0 the minor too (0.28.1 ->
    0.28), as semantic versioning lets a 0.x minor break what its users rely on."""
    major, minor = number.group(1), number.group(2)
    return f"{major}.{minor}" if major == "0" else major


def by_major(generated: str) -> str:
    """The generated part with every version under "Versions measured" cut to its major release: what
    test_matrix.py holds the committed table to (a patch or minor update of a client is reported, not a
    failure; its behaviour, every cell above, and a new major release still are)."""
    table, heading, versions = generated.partition(VERSIONS)
    return table + heading + NUMBER.sub(release, versions)


def moved(fresh: str, committed: str) -> list[tuple[str, str]]:
    """(committed, fresh) "Versions measured" lines that differ: clients updated since the table was made."""
    old = committed.partition(VERSIONS)[2].splitlines()
    new = fresh.partition(VERSIONS)[2].splitlines()
    return [(a, b) for a, b in zip(old, new, strict=False) if a != b]


def refused(results: dict[str, tuple[str, dict[str, Observation]]]) -> list[str]:
    """Cells where the connection was refused: the service was not there, so they measured nothing."""
    return [
        f"{column}: {row}"
        for column, (_, found) in results.items()
        for row, seen in found.items()
        if "refused" in str(seen.get("error", "")).lower()
    ]


def replace_generated(document: str, generated: str) -> str:
    before, _, rest = document.partition(BEGIN)
    _, _, after = rest.partition(END)
    return before + generated + after


def committed() -> str:
    """The generated part as docs/clients.md has it now."""
    text = DOC.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[start:end]


if __name__ == "__main__":
    measured = run_all(sys.argv[1].rstrip("/"))
    if refused(measured):
        sys.exit(f"the service went away mid-run (refused: {refused(measured)[:3]}): nothing written")
    table = render(measured)
    if "--write" in sys.argv:
        DOC.write_text(replace_generated(DOC.read_text(), table))
    else:
        print(table)
