"""go-httpbin's routes, its statuses: each request recorded from go-httpbin answers here the same.

contract_tests/go_httpbin_routes.json holds go-httpbin's route list (every pattern its Handler()
registers) and, for each route, requests sent to a real go-httpbin with the status it answered
(scripts/record_go_httpbin.py, `make record-go-httpbin`). That recorded status is the contract. The
only exceptions are the rows of docs/status-target.md's table "Where go-httpbin's status differs",
read from the document itself: each names a recorded request, go-httpbin's status, ours, and why.
"""

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from testkit.recorded import name, send

ROOT = Path(__file__).resolve().parent.parent
RECORDED: dict[str, Any] = json.loads((Path(__file__).parent / "go_httpbin_routes.json").read_text())
REQUESTS: list[dict[str, Any]] = RECORDED["requests"]
DOC = ROOT / "docs" / "status-target.md"
HEADING = "### Where go-httpbin's status differs"
# A row: | `request` | go-httpbin's status | ours | why |
ROW = re.compile(r"^\| `(?P<request>[^`]+)` \| (?P<go>\d{3}) \| (?P<here>\d{3}) \| (?P<why>.+) \|$")


def differences() -> dict[str, tuple[int, int, str]]:
    """The document's table: request name -> (go-httpbin's status, ours, why)."""
    section = DOC.read_text().split(HEADING, 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    found = {}
    for line in rows:
        match = ROW.match(line)
        assert match, f"a row of {HEADING!r} that is not | `request` | go | here | why |: {line}"
        found[match["request"]] = (int(match["go"]), int(match["here"]), match["why"].strip())
    assert len(found) == len(rows), "a request named twice"
    return found


DIFFERENCES = differences()


def test_every_difference_names_a_recorded_request_and_go_httpbins_status() -> None:
    recorded = {name(request): request["status"] for request in REQUESTS}
    assert len(recorded) == len(REQUESTS), "two recorded requests the document could not tell apart"
    for request, (go, here, why) in DIFFERENCES.items():
        assert request in recorded, f"the document names {request!r}, which was not recorded"
        assert go == recorded[request], (
            f"{request}: go-httpbin answered {recorded[request]}, the document says {go}"
        )
        assert here != go, f"{request}: no difference"
        assert re.search(r"RFC \d+|httpbin|open redirect", why), f"{request}: the reason names no RFC or rule"


def test_the_documents_figures_are_the_recordings() -> None:
    text = DOC.read_text()
    release = RECORDED["go_httpbin"]
    counts = re.search(r"Of the (\d+) recorded requests, (\d+) get go-httpbin's status here", text)
    assert counts, "docs/status-target.md no longer says how many recorded requests match"
    assert (int(counts[1]), int(counts[2])) == (len(REQUESTS), len(REQUESTS) - len(DIFFERENCES))
    routes = re.search(
        r"Every route go-httpbin (\S+) registers \(its `Handler\(\)`: (\d+) patterns, commit `(\w+)`\)", text
    )
    assert routes, "docs/status-target.md no longer names the recorded release"
    assert routes[1] == release["version"]
    assert int(routes[2]) == len(RECORDED["routes"])
    assert release["commit"].startswith(routes[3])


@pytest.fixture(scope="module")
def own_client(make_client: Callable[..., httpx.Client]) -> httpx.Client:
    """A client of this module's own (HTTP/1.1: go-httpbin's WebSocket handshake is HTTP/1.1), whose
    cookies the requests may clear without touching the session's `client`."""
    return make_client()


@pytest.mark.parametrize("request_", REQUESTS, ids=name)
def test_go_httpbins_request_answers_here_as_there(
    own_client: httpx.Client, request_: dict[str, Any]
) -> None:
    expected = DIFFERENCES.get(name(request_), (0, request_["status"], ""))[1]
    assert send(own_client, request_) == expected


def _shape(template: str) -> str:
    """A path pattern without its parameters' names: /links/{numLinks}/{offset} -> /links/{}/{}."""
    return re.sub(r"\{[^}]*\}", "{}", template)


def test_every_recorded_route_has_a_request() -> None:
    assert {request["route"] for request in REQUESTS} == set(RECORDED["routes"])


def test_openapi_lists_every_go_httpbin_route(client: httpx.Client) -> None:
    operations = {
        _shape(path): set(item) for path, item in client.get("/openapi.json").json()["paths"].items()
    }
    missing = []
    for route in RECORDED["routes"]:
        # Go's ServeMux patterns: "[METHOD ]/path", {name} a segment, /{$} the root alone, a trailing /
        # a subtree.
        method, _, path = route.rpartition(" ")
        path = "/" if path == "/{$}" else path + "{}" if path.endswith("/") else path
        if (method or "GET").lower() not in operations.get(_shape(path), set()):
            missing.append(route)
    assert not missing, f"go-httpbin routes /openapi.json does not list: {missing}"
