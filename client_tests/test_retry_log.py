"""The attempt log holds what a client's stock retry support really did (issue 27's check, over the
compose stack's two workers): urllib3's Retry and curl --retry, each measured on its own side, and
GET /sequences/<key> on the server's; the gaps match the waits within 100 ms (testkit/retrying.py)."""

from collections.abc import Callable

import pytest

from testkit import retrying
from testkit.plugin import FIGURES


@pytest.mark.parametrize("run", [retrying.with_urllib3, retrying.with_curl], ids=["urllib3", "curl"])
def test_the_log_shows_the_waits_the_client_made(base_url: str, run: Callable[[str], retrying.Run]) -> None:
    done = run(base_url)
    FIGURES[f"attempt log, {done.client} on 503:2,200 (two workers)"] = retrying.figures(done)
    assert done.status == 200
    assert done.waits == pytest.approx([retrying.RETRY_AFTER] * 2, abs=0.05)  # both honour Retry-After
    assert done.mismatches() == []
    summary = done.log["summary"]
    assert (summary["attempts"], summary["retry_after_asked"], summary["retry_after_honoured"]) == (3, 2, 2)
    assert [a["status"] for a in done.log["attempts"]] == [503, 503, 200]
