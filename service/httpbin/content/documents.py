"""Documents of known types: HTML, JSON, JSON lines, XML, text, images, base64, forms and an upload sink.

Each is fixed content written here or under files/ (the UTF-8 page; a 16x16 image in each format, a
few hundred bytes each), so a
client's decoding and content-type handling can be checked against a known answer. Nothing a caller
sends reaches an HTML page: /base64 answers text/plain (with nosniff, as every answer here), or a
`content-type` a browser neither renders nor runs, never the caller's bytes as HTML, which httpbin
does (go-httpbin takes any type and escapes the body of a dangerous one; here such a type is a 400).
"""

import base64
import binascii
from pathlib import Path

from flask import Response, current_app, json, request
from werkzeug.exceptions import NotAcceptable, NotFound, RequestEntityTooLarge

from service.contract.reply import Reply, documented
from service.httpbin.exchange import echo
from service.httpbin.params import BadParameter, OneOf, Whole, query
from service.pipeline.media import HTML, JSON, PROBLEM_JSON, TEXT, best_of

BAD = Reply(400, PROBLEM_JSON)
FILES = Path(__file__).with_name("files")
KINDS = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp", "svg": "image/svg+xml"}
# Read once at import: four files of a few hundred bytes.
IMAGE_BYTES = {kind: (FILES / f"image.{kind}").read_bytes() for kind in KINDS}
# Text from many scripts (a file: a linter would take its Greek letters for look-alikes of Latin ones).
UTF8 = (FILES / "utf8.html").read_text(encoding="utf-8")
# Half of the longest request line Gunicorn accepts (4094 bytes), so the bound is ours, stated and reachable.
MAX_BASE64 = 2048
# What /base64 may answer as: shown as text, parsed as data, saved or drawn, never rendered as a
# document or run (no HTML, SVG, XML or script type), so a caller's bytes stay inert on this origin.
INERT = (TEXT, JSON, "application/octet-stream", "image/png", "image/jpeg", "image/gif", "image/webp")
CONTENT_TYPE = OneOf("content-type", INERT, "the answer's Content-Type (text/plain if absent)")
KIND = OneOf("kind", tuple(KINDS), "the image format", where="path")
# One rule for both, as go-httpbin's /base64/{operation}/{data}: any other operation is a 400 naming it.
OPERATION = OneOf("operation", ("encode", "decode"), "what to do with the value", where="path")
COUNT = Whole("count", 1, 999_999_999, "how many lines (10 if absent); above 100, 100 (as go-httpbin)")
# A form may post only to this origin; nothing else may load or run.
FORM_CSP = "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Moby-Dick</title></head>
<body>
<h1>Herman Melville - Moby-Dick</h1>
<p>Call me Ishmael. Some years ago - never mind how long precisely - having little or no money in my
purse, and nothing particular to interest me on shore, I thought I would sail about a little and see
the watery part of the world. It is a way I have of driving off the spleen, and regulating the
circulation.</p>
</body>
</html>
"""
SLIDESHOW = {
    "slideshow": {
        "author": "Yours Truly",
        "date": "date of publication",
        "slides": [
            {"title": "Wake up to WonderWidgets!", "type": "all"},
            {
                "items": ["Why <em>WonderWidgets</em> are great", "Who <em>buys</em> WonderWidgets"],
                "title": "Overview",
                "type": "all",
            },
        ],
        "title": "Sample Slide Show",
    }
}
XML = """<?xml version='1.0' encoding='us-ascii'?>
<slideshow title="Sample Slide Show" date="date of publication" author="Yours Truly">
  <slide type="all"><title>Wake up to WonderWidgets!</title></slide>
  <slide type="all">
    <title>Overview</title>
    <item>Why <em>WonderWidgets</em> are great</item>
    <item>Who <em>buys</em> WonderWidgets</item>
  </slide>
</slideshow>
"""
FORM = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><form method="post" action="{action}" enctype="{enctype}">
{fields}
<p><button type="submit">Submit</button></p>
</form></body></html>
"""
ORDER = """<p><label>Customer name: <input name="custname"></label></p>
<p><label>Telephone: <input type="tel" name="custtel"></label></p>
<p><label>E-mail address: <input type="email" name="custemail"></label></p>
<fieldset><legend>Pizza Size</legend>
<label><input type="radio" name="size" value="small"> Small</label>
<label><input type="radio" name="size" value="medium"> Medium</label>
<label><input type="radio" name="size" value="large"> Large</label></fieldset>
<fieldset><legend>Pizza Toppings</legend>
<label><input type="checkbox" name="topping" value="bacon"> Bacon</label>
<label><input type="checkbox" name="topping" value="cheese"> Extra Cheese</label>
<label><input type="checkbox" name="topping" value="onion"> Onion</label></fieldset>
<p><label>Preferred delivery time: <input type="time" name="delivery"></label></p>
<p><label>Delivery instructions: <textarea name="comments"></textarea></label></p>"""


def _page(body: str, mimetype: str = HTML, csp: str | None = None) -> Response:
    response = Response(body, mimetype=mimetype)
    if csp:
        response.headers["Content-Security-Policy"] = csp
    return response


@documented(Reply(200, HTML))
def html() -> Response:
    """A small HTML page (the opening of Moby-Dick).

    curl -s http://127.0.0.1:8000/html
    """
    return _page(PAGE)


@documented(Reply(200, JSON))
def json_() -> Response:
    """A fixed JSON document (httpbin's slideshow shape).

    curl -s http://127.0.0.1:8000/json
    """
    return Response(json.dumps(SLIDESHOW), mimetype=JSON)


@documented(Reply(200, "application/jsonl"), BAD, parameters=[COUNT.doc])
def jsonl() -> Response:
    """count JSON lines (at most 100), each /get's answer with an `id` (application/jsonl).

    curl -s 'http://127.0.0.1:8000/jsonl?count=2'
    """
    lines = min(COUNT.parse(query("count"), 10), 100)
    asked = echo.asked()
    return Response(
        "".join(json.dumps({**asked, "id": i}) + "\n" for i in range(lines)), mimetype="application/jsonl"
    )


@documented(Reply(200, "application/xml"))
def xml() -> Response:
    """A fixed XML document (the slideshow).

    curl -s http://127.0.0.1:8000/xml
    """
    return Response(XML, mimetype="application/xml")


@documented(Reply(200, TEXT))
def robots_txt() -> Response:
    """A robots.txt that keeps crawlers out of /deny.

    curl -s http://127.0.0.1:8000/robots.txt
    """
    return Response("User-agent: *\nDisallow: /deny\n", mimetype=TEXT)


@documented(Reply(200, TEXT))
def deny() -> Response:
    """The page robots.txt denies: a text that says so.

    curl -s http://127.0.0.1:8000/deny
    """
    return Response("YOU SHOULDN'T BE HERE: /robots.txt disallows /deny.\n", mimetype=TEXT)


@documented(Reply(200, HTML))
def encoding_utf8() -> Response:
    """An HTML page in UTF-8 with text from many scripts, emoji beyond the BMP included.

    curl -s http://127.0.0.1:8000/encoding/utf8
    """
    return _page(UTF8)


@documented(*(Reply(200, media) for media in KINDS.values()), Reply(406, PROBLEM_JSON))
def image() -> Response:
    """A 16x16 image in the type Accept prefers (PNG for */* or none); 406 when it accepts no image.

    curl -s -H 'Accept: image/webp' http://127.0.0.1:8000/image | od -c | head -1
    """
    offers = ("image/png", "image/webp", "image/svg+xml", "image/jpeg")
    chosen = best_of(request.headers.get("Accept", "*/*") or "*/*", offers)
    if chosen is None:  # RFC 9110 §15.5.7 (go-httpbin answers 415 here, httpbin 406)
        raise NotAcceptable("Accept allows none of " + ", ".join(offers) + ".")
    kind = next(kind for kind, media in KINDS.items() if media == chosen)
    return Response(IMAGE_BYTES[kind], mimetype=chosen)


@documented(*(Reply(200, media) for media in KINDS.values()), Reply(404, PROBLEM_JSON), parameters=[KIND.doc])
def image_kind(kind: str) -> Response:
    """The 16x16 image as png, jpeg, webp or svg (any other kind: 404, as go-httpbin).

    curl -s http://127.0.0.1:8000/image/png | od -c | head -1
    """
    if kind not in KINDS:
        raise NotFound(f"The image kinds are {', '.join(KINDS)}.")
    return Response(IMAGE_BYTES[kind], mimetype=KINDS[kind])


def _b64(raw: str, decode: bool) -> Response:
    if len(raw) > MAX_BASE64:
        raise BadParameter("value", f"at most {MAX_BASE64} characters")
    media = CONTENT_TYPE.parse(query("content-type"), TEXT)
    if not decode:
        return Response(base64.urlsafe_b64encode(raw.encode()), mimetype=media)
    padded = raw + "=" * (-len(raw) % 4)
    try:
        alphabet = "-_" if "-" in raw or "_" in raw else None
        data = base64.b64decode(padded, altchars=alphabet.encode() if alphabet else None, validate=True)
    except (binascii.Error, ValueError):
        raise BadParameter("value", "base64, standard or URL-safe alphabet") from None
    return Response(data, mimetype=media)


BASE64_REPLIES = (*(Reply(200, media) for media in INERT), BAD)


@documented(*BASE64_REPLIES, parameters=[CONTENT_TYPE.doc])
def base64_decode(value: str) -> Response:
    """The value, base64-decoded (URL-safe or standard alphabet, padding optional), as text/plain.

    Or as `content-type`, one a browser neither renders nor runs.

    curl -s http://127.0.0.1:8000/base64/SFRUUEJJTiBpcyBhd2Vzb21l
    """
    return _b64(value, decode=True)


@documented(*BASE64_REPLIES, parameters=[OPERATION.doc, CONTENT_TYPE.doc])
def base64_operation(operation: str, value: str) -> Response:
    """The value base64-encoded (URL-safe alphabet) or decoded, as text/plain (or `content-type`);
    another operation 400.

    curl -s http://127.0.0.1:8000/base64/encode/hello
    """
    return _b64(value, decode=OPERATION.parse(operation) == "decode")


@documented(Reply(200, HTML, []))
def forms_post() -> Response:
    """An HTML form (a pizza order) that posts to /post; its policy allows a form to this origin only.

    curl -s http://127.0.0.1:8000/forms/post
    """
    page = FORM.format(
        title="Order a pizza", action="/post", enctype="application/x-www-form-urlencoded", fields=ORDER
    )
    return _page(page, csp=FORM_CSP)


@documented(Reply(200, JSON), Reply(413, PROBLEM_JSON), request_body=echo.BODY)
def upload() -> Response:
    """Reads the body and drops it: /get's answer with `method` and `bytes_received` (413 past 1 MiB).

    curl -s --data-binary @/etc/hostname http://127.0.0.1:8000/upload
    """
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    received = 0
    while chunk := request.stream.read(64 * 1024):
        received += len(chunk)
        if received > limit:
            raise RequestEntityTooLarge(f"The body may be at most {limit} bytes.")
    return Response(
        json.dumps({**echo.asked(), "method": request.method, "bytes_received": received}), mimetype=JSON
    )


@documented(Reply(200, HTML))
def upload_form() -> Response:
    """An HTML form that uploads a file to /post as multipart/form-data.

    curl -s http://127.0.0.1:8000/upload
    """
    fields = '<p><label>File: <input type="file" name="file"></label></p>'
    return _page(
        FORM.format(title="Upload a file", action="/post", enctype="multipart/form-data", fields=fields),
        csp=FORM_CSP,
    )
