"""Documents of known types: /html, /json, /jsonl, /xml, /robots.txt, /deny, /encoding/utf8, /image,
/base64, /forms/post and /upload.

Expectations come from httpbin's and go-httpbin's documented routes (the slideshow's keys, robots.txt
disallowing /deny, images by Accept), the file formats' own signatures (PNG, JPEG, RIFF WEBP, SVG), RFC
4648 (base64), RFC 9110 §12.5.1 and §15.5.7 (Accept, 406), and the service's rules (README): nothing
a caller sends comes back as HTML, every answer carries nosniff, a body past 1 MiB is 413.
"""

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable

import httpx
import pytest
from helpers import assert_problem, media_type

pytestmark = pytest.mark.both_protocols

SIGNATURES = {
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
    "image/webp": b"RIFF",
    "image/svg+xml": b"<svg",
}


@pytest.mark.parametrize(
    ("path", "media", "text"),
    [
        ("/html", "text/html", "Moby-Dick"),
        ("/robots.txt", "text/plain", "Disallow: /deny"),
        ("/deny", "text/plain", "YOU SHOULDN'T BE HERE"),
        ("/encoding/utf8", "text/html", "🎉"),
        ("/xml", "application/xml", "<slideshow"),
    ],
)
def test_fixed_documents_have_their_type(client: httpx.Client, path: str, media: str, text: str) -> None:
    response = client.get(path)
    assert (response.status_code, media_type(response)) == (200, media)
    assert text in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


def test_html_pages_run_nothing(client: httpx.Client) -> None:
    for path in ("/html", "/encoding/utf8", "/links/2/0"):
        assert "default-src 'none'" in client.get(path).headers["content-security-policy"]


def test_utf8_page_says_its_charset(client: httpx.Client) -> None:
    assert client.get("/encoding/utf8").headers["content-type"].lower() == "text/html; charset=utf-8"


def test_json_is_the_slideshow(client: httpx.Client) -> None:
    response = client.get("/json")
    assert (response.status_code, media_type(response)) == (200, "application/json")
    slideshow = response.json()["slideshow"]
    assert {"author", "date", "slides", "title"} <= set(slideshow)


def test_xml_is_well_formed(client: httpx.Client) -> None:
    root = ET.fromstring(client.get("/xml").content)  # noqa: S314 - our own service's fixed document
    assert root.tag == "slideshow"


@pytest.mark.parametrize("count", ["0", "x", "-1"])
def test_jsonl_bad_count_is_400(client: httpx.Client, count: str) -> None:
    assert assert_problem(client.get(f"/jsonl?count={count}"), 400)["parameter"] == "count"


@pytest.mark.parametrize(("query", "lines"), [("", 10), ("?count=2", 2), ("?count=500", 100)])
def test_jsonl_sends_count_lines(client: httpx.Client, query: str, lines: int) -> None:
    response = client.get("/jsonl" + query)
    assert (response.status_code, media_type(response)) == (200, "application/jsonl")
    assert [json.loads(line)["id"] for line in response.text.splitlines()] == list(range(lines))


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "image/png"),
        ("*/*", "image/png"),
        ("image/*", "image/png"),
        ("image/webp", "image/webp"),
        ("image/svg+xml", "image/svg+xml"),
        ("image/jpeg", "image/jpeg"),
        ("image/png;q=0.5, image/jpeg", "image/jpeg"),
    ],
)
def test_image_follows_accept(client: httpx.Client, accept: str | None, media: str) -> None:
    response = client.get("/image", headers={"Accept": accept} if accept else {})
    assert (response.status_code, media_type(response)) == (200, media)
    assert response.content.startswith(SIGNATURES[media])


def test_image_answers_406_when_no_image_is_acceptable(client: httpx.Client) -> None:
    assert_problem(client.get("/image", headers={"Accept": "text/html"}), 406)


@pytest.mark.parametrize(
    ("kind", "media"),
    [("png", "image/png"), ("jpeg", "image/jpeg"), ("webp", "image/webp"), ("svg", "image/svg+xml")],
)
def test_image_kind(client: httpx.Client, kind: str, media: str) -> None:
    response = client.get(f"/image/{kind}")
    assert (response.status_code, media_type(response)) == (200, media)
    assert response.content.startswith(SIGNATURES[media])
    assert len(response.content) < 1024


def test_an_unknown_image_kind_is_404(client: httpx.Client) -> None:
    assert_problem(client.get("/image/gif"), 404)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/base64/SFRUUEJJTiBpcyBhd2Vzb21l", "HTTPBIN is awesome"),
        ("/base64/decode/SFRUUEJJTiBpcyBhd2Vzb21l", "HTTPBIN is awesome"),
        ("/base64/aGk", "hi"),  # padding optional
        ("/base64/Pz8_", "???"),  # the URL-safe alphabet
        ("/base64/encode/hello", "aGVsbG8="),
        ("/base64/encode/%3F%3F%3F", "Pz8_"),
    ],
)
def test_base64_decodes_and_encodes(client: httpx.Client, path: str, text: str) -> None:
    response = client.get(path)
    assert (response.status_code, media_type(response), response.text) == (200, "text/plain", text)


@pytest.mark.parametrize(
    ("path", "media", "body"),
    [
        ("/base64/eyJhIjogMX0?content-type=application/json", "application/json", b'{"a": 1}'),
        ("/base64/iVBORw?content-type=image/png", "image/png", b"\x89PNG"),
        ("/base64/encode/hi?content-type=application/octet-stream", "application/octet-stream", b"aGk="),
    ],
)
def test_base64_answers_as_an_inert_type(client: httpx.Client, path: str, media: str, body: bytes) -> None:
    # go-httpbin's ?content-type=, narrowed to types a browser neither renders nor runs.
    response = client.get(path)
    assert (response.status_code, media_type(response), response.content) == (200, media, body)


@pytest.mark.parametrize("media", ["text/html", "image/svg+xml", "application/xml", "text/javascript"])
def test_base64_refuses_a_content_type_a_browser_renders_or_runs(client: httpx.Client, media: str) -> None:
    # "<script>alert(1)</script>": go-httpbin would send it escaped as that type; here it is a 400.
    response = client.get("/base64/PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg", params={"content-type": media})
    body = assert_problem(response, 400)
    assert body["parameter"] == "content-type"
    assert "text/plain, application/json" in body["detail"]


def test_base64_never_answers_a_callers_markup_as_html(client: httpx.Client) -> None:
    # "<script>alert(1)</script>", base64-encoded: httpbin answers it as text/html.
    response = client.get("/base64/PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg")
    assert response.text == "<script>alert(1)</script>"
    assert media_type(response) == "text/plain"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/base64/!!!!",
        "/base64/a",
        "/base64/decode/%25%25",
        "/base64/encode/" + "a" * 2049,
        "/base64/" + "A" * 2052,
    ],
)
def test_bad_base64_is_400(client: httpx.Client, path: str) -> None:
    assert assert_problem(client.get(path), 400)["parameter"] == "value"


def test_base64_operation_other_than_encode_or_decode_is_400(client: httpx.Client) -> None:
    # go-httpbin's /base64/{operation}/{data} answers an unknown operation 400 too.
    body = assert_problem(client.get("/base64/rot13/aGk"), 400)
    assert body["parameter"] == "operation"
    assert "encode" in body["detail"]
    assert "decode" in body["detail"]


@pytest.mark.parametrize(
    ("path", "action", "enctype"),
    [
        ("/forms/post", "/post", "application/x-www-form-urlencoded"),
        ("/upload", "/post", "multipart/form-data"),
    ],
)
def test_forms_post_to_this_origin_only(client: httpx.Client, path: str, action: str, enctype: str) -> None:
    response = client.get(path)
    assert (response.status_code, media_type(response)) == (200, "text/html")
    assert f'action="{action}"' in response.text
    assert f'enctype="{enctype}"' in response.text
    assert "form-action 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_upload_counts_the_bytes_and_drops_them(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/upload?x=1", content=b"z" * 70000)
    assert (response.status_code, media_type(response)) == (200, "application/json")
    body = response.json()
    assert (body["bytes_received"], body["method"], body["args"]) == (70000, method, {"x": "1"})


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_upload_past_the_body_limit_is_413(make_client: Callable[..., httpx.Client], method: str) -> None:
    # HTTP/1.1 only, as test_echo.py says why (Gunicorn's GOAWAY after a 413 over HTTP/2); a fresh
    # connection, which Gunicorn closes when it cannot drain the body.
    with make_client() as once:
        assert_problem(once.request(method, "/upload", content=b"z" * (1024 * 1024 + 1)), 413)
