"""CORS (Fetch standard): any origin may read the /status target's and the demos' answers; preflights pass."""

import re
from typing import Any

import httpx
import pytest
from helpers import assert_problem

ORIGIN = "http://127.0.0.1:9"  # any other origin; nothing is sent to it
# The headers a status carries that a script on another origin must be able to read (RFC 9110's own
# headers per status, plus the conditional-request and Link headers the demos send).
MUST_EXPOSE = {
    "location",
    "retry-after",
    "www-authenticate",
    "allow",
    "content-range",
    "etag",
    "last-modified",
    "link",
}


def _names(value: str) -> set[str]:
    return {name.strip().lower() for name in value.split(",") if name.strip()}


def _preflight(method: str = "PUT", headers: str | None = "x-custom") -> dict[str, str]:
    sent = {"Origin": ORIGIN, "Access-Control-Request-Method": method}
    if headers is not None:
        sent["Access-Control-Request-Headers"] = headers
    return sent


ANSWERS = [
    pytest.param("GET", "/status/503", 503, "retry-after", id="status-503"),
    pytest.param("GET", "/status/301", 301, "location", id="status-301"),
    pytest.param("GET", "/status/401", 401, "www-authenticate", id="status-401"),
    pytest.param("POST", "/demos/success/items", 201, "location", id="demo-201"),
    pytest.param("GET", "/wrong", 404, None, id="tutorial-404"),
    pytest.param("GET", "/demos/handlers/unhandled", 500, None, id="demo-500"),
    pytest.param("GET", "/demos/nope", 404, None, id="demo-unknown-path"),
]


@pytest.mark.parametrize(("method", "path", "status", "carried"), ANSWERS)
def test_every_answer_may_be_read_by_any_origin(
    client: httpx.Client, method: str, path: str, status: int, carried: str | None
) -> None:
    response = client.request(method, path, headers={"Origin": ORIGIN})
    assert response.status_code == status
    assert response.headers["access-control-allow-origin"] == "*"
    # "*" and credentials never go together (Fetch §3.2.5): nothing here depends on a cookie.
    assert "access-control-allow-credentials" not in response.headers
    exposed = _names(response.headers["access-control-expose-headers"])
    assert exposed >= MUST_EXPOSE
    if carried is not None:
        assert carried in response.headers


def test_origin_is_not_needed_for_the_header(client: httpx.Client) -> None:
    # The same answer for every origin and for none: a cache may share it (no Vary: Origin needed).
    response = client.get("/status/200")
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", ["/", "/healthz", "/openapi.json"])
def test_the_service_own_routes_send_no_cors(client: httpx.Client, path: str) -> None:
    response = client.get(path, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_preflight_for_a_put_with_a_custom_header(client: httpx.Client) -> None:
    response = client.options("/status/418", headers=_preflight("PUT", "X-Custom, Content-Type"))
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert {"PUT", "GET", "DELETE"} <= {
        m.upper() for m in _names(response.headers["access-control-allow-methods"])
    }
    assert _names(response.headers["access-control-allow-headers"]) == {"x-custom", "content-type"}
    assert int(response.headers["access-control-max-age"]) > 0
    assert _names(response.headers["vary"]) >= {
        "origin",
        "access-control-request-method",
        "access-control-request-headers",
    }
    # ...so the real request then fails with exactly the status it asked for, readable cross-origin.
    real = client.put("/status/418", headers={"Origin": ORIGIN, "X-Custom": "1"})
    assert real.status_code == 418
    assert real.headers["access-control-allow-origin"] == "*"


def test_preflight_lists_the_route_methods_only(client: httpx.Client) -> None:
    response = client.options("/success", headers=_preflight("GET", None))
    assert response.status_code == 204
    assert _names(response.headers["access-control-allow-methods"]) == {"get", "head", "options"}
    assert "access-control-allow-headers" not in response.headers  # none were asked for


@pytest.mark.parametrize(
    "requested",
    [
        pytest.param("x-ok, bad header", id="space-in-name"),
        pytest.param("x-ok, bad\u00e9", id="non-ascii"),
        pytest.param(",".join(f"x-{n}" for n in range(21)), id="too-many"),
    ],
)
def test_malformed_request_headers_are_not_echoed(client: httpx.Client, requested: str) -> None:
    headers = {**_preflight("PUT", None), "Access-Control-Request-Headers": requested.encode("utf-8")}
    response = client.options("/status/418", headers=headers)  # type: ignore[arg-type]
    assert response.status_code == 204
    assert "access-control-allow-headers" not in response.headers  # so the browser refuses the request


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-origin"),
        pytest.param({"Origin": ORIGIN}, id="origin-only"),
        pytest.param({"Access-Control-Request-Method": "PUT"}, id="method-only"),
        pytest.param({"Origin": ORIGIN, "Access-Control-Request-Method": "not a method"}, id="bad-method"),
    ],
)
def test_plain_options_to_status_keeps_answering_the_chosen_status(
    client: httpx.Client, headers: dict[str, str]
) -> None:
    response = client.options("/status/418", headers=headers)
    assert response.status_code == 418
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/status/abc", id="bad-codes"),
        pytest.param("/status/418?delay=abc", id="bad-option"),
        pytest.param("/status/103", id="interim"),
    ],
)
def test_preflight_to_a_refused_url_gets_the_same_400(client: httpx.Client, path: str) -> None:
    # A preflight must not promise a URL the real request would be refused: the same 400 problem+json.
    response = client.options(path, headers=_preflight("PUT", "x-custom"))
    assert_problem(response, 400)
    assert "access-control-allow-methods" not in response.headers


def test_header_option_still_refuses_access_control(client: httpx.Client) -> None:
    response = client.get("/status/200", params={"header": "Access-Control-Allow-Credentials: true"})
    body = assert_problem(response, 400)
    assert "access-control-allow-credentials" not in response.headers
    assert body["detail"]


def _concrete(template: str) -> str:
    # Flask's automatic OPTIONS and the preflight never run the view: any segment matches its route.
    return re.sub(r"\{[^}]+\}", "418" if template.startswith("/status/") else "1", template)


def _scoped(spec: dict[str, Any]) -> list[str]:
    return [
        path for path, item in spec["paths"].items() if "204" in item.get("options", {}).get("responses", {})
    ]


def test_every_status_and_demo_path_documents_a_preflight(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    scoped = set(_scoped(spec))
    demos = {p for p in spec["paths"] if p.startswith(("/demos/", "/status/", "/redirect/"))}
    demos |= {"/success", "/wrong", "/anything", "/get", "/post"}
    assert demos <= scoped
    assert not scoped & {"/", "/healthz", "/openapi.json"}
    for path in scoped:
        options = spec["paths"][path]["options"]
        names = {p["name"] for p in options["parameters"] if p["in"] == "header"}
        assert {"Origin", "Access-Control-Request-Method"} <= names
        assert "Access-Control-Allow-Origin" in options["responses"]["204"]["headers"]


def test_every_documented_preflight_answers(client: httpx.Client) -> None:
    # One table from the document: every path that documents a preflight is sent one, and a plain OPTIONS.
    spec = client.get("/openapi.json").json()
    for template in _scoped(spec):
        path = _concrete(template)
        preflight = client.options(path, headers=_preflight("GET", "x-custom"))
        assert preflight.status_code == 204, path
        assert preflight.headers["access-control-allow-origin"] == "*", path
        assert "x-custom" in _names(preflight.headers["access-control-allow-headers"]), path
        plain = client.options(path)
        # /status and /redirect answer a plain OPTIONS like any method: the status asked for, a hop.
        expected = (
            418 if template.startswith("/status/") else 302 if template.startswith("/redirect/") else 200
        )
        assert plain.status_code == expected, path
