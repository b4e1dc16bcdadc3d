"""Console transcripts in Markdown: find them, replay their curl lines, normalise what may vary.

A transcript is a ```console block. In it, a line `$ curl ...` is a command and the lines after it, up
to the next `$ ` line, are what it printed. Other lines (`docker compose up  # ...`) are prose for the
reader and are not run. The normalising rule is written once, here, for every block.
"""

import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

# What every transcript says the service is; replaced by the service under test.
DOCUMENTED_ORIGIN = "http://127.0.0.1:8000"
FENCE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Shell syntax a transcript must not rely on: it is run as one curl process, never through a shell.
SHELL_SYNTAX = frozenset({"|", "||", "&&", ";", ">", ">>", "<", "&"})
# Headers whose values differ on every run or between processes.
VARYING = {"date": "<date>", "x-request-id": "<request-id>", "x-instance": "<instance>"}
HEX32 = re.compile(r"\b[0-9a-f]{32}\b")  # uuid4 hex: the ids /demos/success makes for each request


@dataclass(frozen=True)
class Transcript:
    """One command of a console block and the lines it is shown to print."""

    document: Path
    line: int  # 1-based line of the `$ curl` in the document
    command: str
    shown: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.document.name}:{self.line}"


def transcripts(document: Path) -> list[Transcript]:
    """Every `$ curl` command in the document's console blocks, with the output shown after it."""
    text = document.read_text()
    found = []
    for block in FENCE.finditer(text):
        first_line = text.count("\n", 0, block.start(1)) + 1
        lines = block.group(1).splitlines()
        starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(lines)
            command = lines[start][2:].strip()
            if command.split(" ", 1)[0] != "curl":
                continue
            shown = lines[start + 1 : end]
            while shown and not shown[-1].strip():
                shown.pop()
            found.append(Transcript(document, first_line + start, command, tuple(shown)))
    return found


def normalise(line: str) -> str:
    """The rule for lines that legitimately vary: dates, request ids, ids, the order of Allow."""
    line = line.rstrip()  # curl ends an HTTP/2 status line with a space ("HTTP/2 418 "); Markdown drops it
    name, colon, value = line.partition(":")
    if colon and " " not in name and name:
        lower = name.lower()
        if lower in VARYING:
            return f"{name}: {VARYING[lower]}"
        if lower == "allow":
            # RFC 9110 gives Allow's members no order, and Werkzeug's differs between processes.
            return f"{name}: " + ", ".join(sorted(m.strip() for m in value.split(",")))
    return HEX32.sub("<hex32>", line)


def run(command: str, base_url: str, timeout: float = 20.0) -> list[str]:
    """Run one transcript's curl against base_url; its output, line by line (bytes read as Latin-1)."""
    argv = shlex.split(command)
    bad = SHELL_SYNTAX.intersection(argv)
    if bad:
        raise ValueError(f"a transcript runs one curl, without shell syntax: {sorted(bad)} in {command!r}")
    argv = [arg.replace(DOCUMENTED_ORIGIN, base_url) for arg in argv]
    # --max-time bounds a command that would hang (a transcript may show a connection that never ends).
    # The reader's curl, from PATH, is the one the transcripts show.
    curl = ["curl", "--silent", "--show-error", "--max-time", "10", *argv[1:]]
    done = subprocess.run(curl, capture_output=True, timeout=timeout, check=False)  # noqa: S603
    output = done.stdout.decode("latin-1") + done.stderr.decode("latin-1")
    return output.replace("\r\n", "\n").split("\n")


def unmatched(shown: tuple[str, ...], printed: list[str]) -> list[str]:
    """The shown lines that do not appear, in order, in what was printed (empty: the transcript holds).

    The first shown line must be the first line printed (the status line, for `curl -i`); the rest must
    appear in the same order, so a transcript may leave lines out (it says which) but never change one.
    """
    want = [normalise(line) for line in shown]
    have = [normalise(line) for line in printed]
    if not want:
        return []
    if not have or want[0] != have[0]:
        return [want[0]]
    missing = []
    position = 1
    for line in want[1:]:
        try:
            position = have.index(line, position) + 1
        except ValueError:
            missing.append(line)
    return missing
