"""Every `$ curl` transcript in README.md and docs/*.md, replayed against the running service."""

import pytest
from conftest import DOCUMENTS
from transcripts import Transcript, normalise, run, transcripts, unmatched

ALL = [t for document in DOCUMENTS for t in transcripts(document)]


def test_the_documents_have_transcripts() -> None:
    # Guards the collector: a fence or prompt renamed by mistake would silently replay nothing.
    assert len(ALL) >= 5


@pytest.mark.parametrize("transcript", ALL, ids=[t.id for t in ALL])
def test_transcript_matches_the_service(transcript: Transcript, base_url: str) -> None:
    printed = run(transcript.command, base_url)
    missing = unmatched(transcript.shown, printed)
    assert not missing, (
        f"{transcript.id}: `{transcript.command}` no longer prints what the document shows.\n"
        f"Not found (in order): {missing}\nPrinted:\n" + "\n".join(printed)
    )


# The matcher itself, on fixed text: a changed line fails, a left-out line does not.
PRINTED = ["HTTP/1.1 200 OK", "Date: Mon, 01 Jan 2024", "Allow: GET, HEAD", "Content-Length: 2", "", "ok"]


@pytest.mark.parametrize(
    ("shown", "holds"),
    [
        pytest.param(("HTTP/1.1 200 OK", "Content-Length: 2", "", "ok"), True, id="lines-left-out"),
        pytest.param(("HTTP/1.1 200 OK", "Date: Tue, 02 Jan 2024", "", "ok"), True, id="date-varies"),
        pytest.param(("HTTP/1.1 200 OK", "Allow: HEAD, GET"), True, id="allow-order-varies"),
        pytest.param(("HTTP/1.1 201 CREATED", "", "ok"), False, id="status-changed"),
        pytest.param(("HTTP/1.1 200 OK", "Content-Length: 3"), False, id="header-changed"),
        pytest.param(("HTTP/1.1 200 OK", "", "ok!"), False, id="body-changed"),
        pytest.param(("HTTP/1.1 200 OK", "ok", "Content-Length: 2"), False, id="order-changed"),
    ],
)
def test_matcher(shown: tuple[str, ...], holds: bool) -> None:
    assert (not unmatched(shown, PRINTED)) is holds


def test_ids_are_normalised() -> None:
    line = "Location: /demos/success/items/" + "ab" * 16
    assert normalise(line) == "Location: /demos/success/items/<hex32>"
