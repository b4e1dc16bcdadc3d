"""GET /: the index, JSON for API clients and an HTML page for browsers, chosen by Accept."""

import re
from typing import Any

import httpx
import pytest
from helpers import assert_problem, media_type

# A browser's Accept (Firefox's and Chromium's share this shape): text/html at q=1, */* at q=0.8.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

NEGOTIATION = [
    pytest.param(None, "application/json", id="no-accept-json"),
    pytest.param("*/*", "application/json", id="any-json"),
    pytest.param("application/json", "application/json", id="json"),
    pytest.param("application/json;q=0.5, text/html;q=0.5", "application/json", id="tie-json"),
    pytest.param(BROWSER, "text/html", id="browser-html"),
    pytest.param("text/*", "text/html", id="text-wildcard-html"),
    pytest.param("application/json;q=0.1, text/html", "text/html", id="html-preferred"),
]

NOT_ACCEPTABLE = [
    pytest.param("image/png", id="image"),
    pytest.param("text/html;q=0, application/json;q=0", id="both-refused"),
]


@pytest.mark.parametrize(("accept", "expected"), NEGOTIATION)
def test_accept_chooses_the_representation(client: httpx.Client, accept: str | None, expected: str) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    if accept is None:
        # httpx sends Accept: */* unless told otherwise; a request may carry no Accept at all.
        request = client.build_request("GET", "/")
        del request.headers["accept"]
        response = client.send(request)
    else:
        response = client.get("/", headers=headers)
    assert response.status_code == 200
    assert media_type(response) == expected
    assert "accept" in {v.strip().lower() for v in response.headers["vary"].split(",")}
    if expected == "application/json":
        assert response.json()["openapi"] == "/openapi.json"
    else:
        assert response.text.startswith("<!doctype html>")


@pytest.mark.parametrize("accept", NOT_ACCEPTABLE)
def test_406_when_accept_allows_neither(client: httpx.Client, accept: str) -> None:
    response = client.get("/", headers={"Accept": accept})
    body = assert_problem(response, 406)
    assert "application/json" in body["detail"]
    assert "text/html" in body["detail"]
    assert "accept" in {v.strip().lower() for v in response.headers["vary"].split(",")}


def _endpoints(listing: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    techniques = listing["techniques"]
    return {
        (e["method"], e["path"]): {**e, "technique": t["technique"]}
        for t in techniques
        for e in t["endpoints"]
    }


# Routes that exist today, with the module (= technique) they live in and a status they document.
KNOWN = [
    pytest.param("GET", "/", "index", "406", id="index"),
    pytest.param("GET", "/success", "demos.tutorial", "200", id="success"),
    pytest.param("GET", "/wrong", "demos.tutorial", "404", id="wrong"),
    pytest.param("GET", "/healthz", "health", "200", id="healthz"),
    pytest.param("GET", "/openapi.json", "openapi", "200", id="openapi"),
    pytest.param("GET", "/demos/handlers/unhandled", "demos.handlers", "500", id="unhandled"),
]


@pytest.mark.parametrize(("method", "path", "technique", "status"), KNOWN)
def test_json_lists_known_routes_by_technique(
    client: httpx.Client, method: str, path: str, technique: str, status: str
) -> None:
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    endpoint = _endpoints(response.json())[(method, path)]
    assert endpoint["technique"] == technique
    assert status in endpoint["statuses"]
    assert endpoint["summary"]
    assert any(line.endswith(f" http://127.0.0.1:8000{path}") for line in endpoint["curl"])


def test_every_documented_operation_is_listed(client: httpx.Client) -> None:
    # The index is built from the contract: nothing in /openapi.json is missing from it, nothing added.
    spec = client.get("/openapi.json").json()
    documented = {(m.upper(), p) for p, item in spec["paths"].items() for m in item}
    listed = _endpoints(client.get("/", headers={"Accept": "application/json"}).json())
    assert set(listed) == documented


def test_html_page_has_a_strict_csp_and_escapes(client: httpx.Client) -> None:
    response = client.get("/", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    csp = {
        d.split()[0]: d.split()[1:]
        for d in response.headers["content-security-policy"].split(";")
        if d.strip()
    }
    assert csp["default-src"] == ["'none'"]
    assert len(csp["style-src"]) == 1
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", csp["style-src"][0])
    assert csp["frame-ancestors"] == ["'none'"]
    assert "script-src" not in csp  # default-src 'none' forbids every script
    page = response.text
    assert "<script" not in page.lower()
    assert 'href="/openapi.json"' in page
    # One module's docstring holds an apostrophe ("container's"); autoescape sends it as an entity.
    assert "the container&#39;s liveness check" in page
    assert "<code>GET&nbsp;/success</code>" in page
    assert "<pre>curl -i http://127.0.0.1:8000/success</pre>" in page


@pytest.mark.parametrize(
    "accept", [pytest.param("application/json", id="json"), pytest.param(BROWSER, id="html")]
)
def test_head_is_empty(client: httpx.Client, accept: str) -> None:
    response = client.head("/", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.content == b""
    assert media_type(response) in {"application/json", "text/html"}
    assert int(response.headers["content-length"]) > 0  # the GET's length, as RFC 9110 allows for HEAD


def test_contract_offers_both_representations(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    responses = spec["paths"]["/"]["get"]["responses"]
    assert set(responses) == {"200", "406"}
    assert set(responses["200"]["content"]) == {"application/json", "text/html"}
    assert set(responses["406"]["content"]) == {"application/problem+json"}
    # Each module (technique) is a tag, described by the module's opening sentence.
    assert {"index", "demos.tutorial", "health", "openapi"} <= {tag["name"] for tag in spec["tags"]}
