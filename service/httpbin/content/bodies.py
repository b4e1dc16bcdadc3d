"""Bodies and streams: bytes of a known size, at a known pace, in pieces or by range, as httpbin sends them.

Every size is capped at MAX_BYTES (1 MiB, the service's body limit and go-httpbin's default), every wait
at the service's delay cap (STATUS_MAX_DELAY, 10 s by default); a parameter outside its bounds gets 400
naming it. Random bytes come from random.Random(seed): the same seed gives the same bytes on every
replica. Paced bodies sleep cooperatively (a greenlet under the container's worker) and are sent in at
most PIECES writes, whatever their size.
"""

import random
import time
from collections.abc import Callable, Iterator
from typing import Any

from flask import Response, current_app, json, redirect, request
from werkzeug.wrappers import Response as WerkzeugResponse

from service.contract.reply import Reply, documented, header
from service.httpbin.exchange import echo
from service.httpbin.params import BadParameter, Number, Whole, query
from service.pipeline.media import HTML, JSON, PROBLEM_JSON, TEXT

MAX_BYTES = 1024 * 1024
# A paced body is written in at most this many pieces: a pause per byte of a 1 MiB drip would be a
# million writes.
PIECES = 1000
OCTETS = "application/octet-stream"
BAD = Reply(400, PROBLEM_JSON)

SIZE = Whole("n", 0, MAX_BYTES, "how many bytes", where="path")
SEED = Whole("seed", 0, 999_999_999, "the random generator's seed: the same seed, the same bytes")
CHUNK = Whole("chunk_size", 1, MAX_BYTES, "bytes per chunk (10240 if absent; at least n/1000)")
LINES = Whole("n", 0, 999_999_999, "how many lines; above 100, 100 (as httpbin and go-httpbin)", where="path")
RANGE = Whole("n", 1, MAX_BYTES, "the resource's length in bytes", where="path")
NUMBYTES = Whole("numbytes", 1, MAX_BYTES, "how many bytes (10 if absent)")
CODE = Whole("code", 200, 599, "the status (200 if absent); not 204, 205 or 304, which carry no body")
LINKS = Whole("n", 0, 256, "how many links", where="path")
OFFSET = Whole("offset", 0, 256, "the page's own link, shown as text", where="path")
EVENTS = Whole("count", 1, 100, "how many events (10 if absent)")
FAILURE_RATE = Number("failure_rate", 0, 1, "the chance of a 500 (0.5 if absent)")


def seconds(name: str, description: str, where: str = "query") -> Callable[[Any], Number]:
    """A duration parameter bounded by the app's delay cap (a setting, so made per app)."""
    return lambda settings: Number(name, 0, settings.status_max_delay, description, where)


DELAY = seconds("n", "seconds to wait before answering", where="path")
DURATION = seconds("duration", "seconds over which the body is spread (2, or the cap if lower, if absent)")
# /range's: httpbin's pause per byte, duration / n, so a range takes its share of the whole body's time.
RANGE_DURATION = seconds("duration", "seconds the whole body is spread over, a range its share (0 if absent)")
WAIT = seconds("delay", "seconds to wait before the first byte (0 if absent)")


def _cap() -> int:
    cap: int = current_app.extensions["settings"].status_max_delay
    return cap


def _within_cap(duration: float, delay: float) -> None:
    if duration + delay > _cap():
        raise BadParameter("duration", f"at most {_cap()} seconds together with delay")


def paced(pieces: list[bytes], duration: float) -> Iterator[bytes]:
    """The pieces, the pause between two of them duration / (pieces - 1), none after the last."""
    pause = duration / (len(pieces) - 1) if len(pieces) > 1 else 0.0
    for i, piece in enumerate(pieces):
        if i:
            time.sleep(pause)
        yield piece


def split(data: bytes, most: int = PIECES) -> list[bytes]:
    """The data in at most `most` pieces of (nearly) equal size."""
    size = max(1, -(-len(data) // most))
    return [data[i : i + size] for i in range(0, len(data), size)]


def _random(n: int) -> bytes:
    raw = query("seed")
    generator = random.Random(SEED.parse(raw)) if raw is not None else random.Random()  # noqa: S311 - test data
    return generator.randbytes(n)


@documented(Reply(200, OCTETS), BAD, parameters=[SIZE.doc, SEED.doc])
def bytes_(n: str) -> Response:
    """n random bytes (at most 1 MiB) with a Content-Length; `seed` makes them repeatable.

    curl -s 'http://127.0.0.1:8000/bytes/16?seed=1' | od -An -tx1
    """
    return Response(_random(SIZE.parse(n)), mimetype=OCTETS)


@documented(Reply(200, OCTETS), BAD, parameters=[SIZE.doc, SEED.doc, CHUNK.doc])
def stream_bytes(n: str) -> Response:
    """n random bytes sent chunked (no Content-Length), chunk_size at a time.

    curl -s 'http://127.0.0.1:8000/stream-bytes/100?chunk_size=10&seed=1' | wc -c
    """
    data = _random(SIZE.parse(n))
    # At most PIECES chunks, as every paced body: a 1-byte chunk_size on 1 MiB would be a million writes.
    size = max(CHUNK.parse(query("chunk_size"), 10 * 1024), -(-len(data) // PIECES))
    return Response((data[i : i + size] for i in range(0, len(data), size)), mimetype=OCTETS)


@documented(Reply(200, JSON), BAD, parameters=[LINES.doc])
def stream(n: str) -> Response:
    """n JSON lines (at most 100), each /get's answer with an `id`, sent one by one.

    curl -s http://127.0.0.1:8000/stream/3
    """
    lines = min(LINES.parse(n), 100)
    asked = echo.asked()
    return Response((json.dumps({**asked, "id": i}) + "\n" for i in range(lines)), mimetype=JSON)


@documented(
    Reply(200, TEXT, [header("ETag"), header("Accept-Ranges")]),
    Reply(206, TEXT, [header("Content-Range")]),
    Reply(304, None),
    Reply(416, PROBLEM_JSON, [header("Content-Range")]),
    BAD,
    parameters=lambda s: [RANGE.doc, RANGE_DURATION(s).doc, CHUNK.doc],
)
def range_(n: str) -> Response:
    """n bytes of a-z, served by Werkzeug's Range machinery: 206 with Content-Range, 416 past the end.

    What is sent goes chunk_size bytes at a time, each after its share of duration (httpbin's).
    curl -i -H 'Range: bytes=0-9' 'http://127.0.0.1:8000/range/100?duration=1&chunk_size=5'
    """
    length = RANGE.parse(n)
    duration = RANGE_DURATION(current_app.extensions["settings"]).parse(query("duration"), 0.0)
    chunk = CHUNK.parse(query("chunk_size"), 10 * 1024)
    body = bytes(97 + i % 26 for i in range(length))
    response = Response(body, mimetype=TEXT)
    response.set_etag(f"range{length}")
    response.make_conditional(request, accept_ranges=True, complete_length=length)
    if response.status_code == 304:
        return response
    sent = response.content_range  # set on a 206 alone: the range Werkzeug chose
    part = body[sent.start : sent.stop] if sent.start is not None else body
    # At most PIECES chunks, as every paced body; Content-Length stays the one make_conditional set.
    size = max(chunk, -(-len(part) // PIECES))
    response.response = _shared([part[i : i + size] for i in range(0, len(part), size)], duration / length)
    return response


def _shared(chunks: list[bytes], per_byte: float) -> Iterator[bytes]:
    """Each chunk after its share of the wait (per_byte times its size), as httpbin's /range sends."""
    for piece in chunks:
        if per_byte:
            time.sleep(per_byte * len(piece))
        yield piece


@documented(
    Reply("2XX", OCTETS),
    Reply("3XX", OCTETS),
    Reply("4XX", OCTETS),
    Reply("5XX", OCTETS),
    BAD,
    Reply(400, OCTETS),  # ?code=400 drips its asterisks; an exact code hides the range above it
    parameters=lambda s: [DURATION(s).doc, NUMBYTES.doc, CODE.doc, WAIT(s).doc],
)
def drip() -> Response:
    """numbytes asterisks spread over duration seconds, after delay, with the status `code`.

    curl -s 'http://127.0.0.1:8000/drip?numbytes=5&duration=1&code=200'
    """
    duration = DURATION(current_app.extensions["settings"]).parse(query("duration"), min(2.0, _cap()))
    delay = WAIT(current_app.extensions["settings"]).parse(query("delay"), 0.0)
    numbytes = NUMBYTES.parse(query("numbytes"), 10)
    code = CODE.parse(query("code"), 200)
    if code in (204, 205, 304):
        raise BadParameter("code", CODE.expected + ", not 204, 205 or 304 (they carry no body)")
    _within_cap(duration, delay)
    time.sleep(delay)
    response = Response(paced(split(b"*" * numbytes), duration), code, mimetype=OCTETS)
    response.content_length = numbytes
    return response


@documented(
    Reply(200, JSON),
    Reply(413, PROBLEM_JSON),
    BAD,
    parameters=lambda s: [DELAY(s).doc],
    request_body=echo.BODY,
)
def delay(n: str) -> Response:
    """Waits n seconds (at most the delay cap), then answers as /anything: any method.

    curl -s http://127.0.0.1:8000/delay/1
    """
    time.sleep(DELAY(current_app.extensions["settings"]).parse(n))
    return Response(json.dumps(echo.carried()), mimetype=JSON)


@documented(Reply(302, HTML, [header("Location")]), BAD, parameters=[LINKS.doc])
def links_start(n: str) -> WerkzeugResponse:
    """302 to the first page, /links/<n>/0.

    curl -i http://127.0.0.1:8000/links/5
    """
    return redirect(f"/links/{LINKS.parse(n)}/0", 302)


@documented(Reply(200, HTML), BAD, parameters=[LINKS.doc, OFFSET.doc])
def links(n: str, offset: str) -> Response:
    """An HTML page of n links to /links/<n>/<i>, the page's own (offset) as plain text.

    curl -s http://127.0.0.1:8000/links/3/1
    """
    count, own = LINKS.parse(n), OFFSET.parse(offset)
    # Only the two whole numbers parsed above reach the page: nothing the caller sent is reflected.
    items = [str(i) if i == own else f"<a href='/links/{count}/{i}'>{i}</a>" for i in range(count)]
    return Response(
        f"<html><head><title>Links</title></head><body>{' '.join(items)}</body></html>", mimetype=HTML
    )


@documented(Reply(200, TEXT), Reply(500, TEXT), BAD, parameters=[FAILURE_RATE.doc, SEED.doc])
def unstable() -> Response:
    """200, or 500 with the chance failure_rate; `seed` makes the draw repeatable.

    curl -i 'http://127.0.0.1:8000/unstable?failure_rate=1'
    """
    rate = FAILURE_RATE.parse(query("failure_rate"), 0.5)
    raw = query("seed")
    draw = (random.Random(SEED.parse(raw)) if raw is not None else random.Random()).random()  # noqa: S311
    failed = draw < rate
    return Response(
        "500 Internal Server Error\n" if failed else "200 OK\n", 500 if failed else 200, mimetype=TEXT
    )


def _events(count: int) -> Iterator[bytes]:
    for i in range(count):
        data = json.dumps({"id": i, "timestamp": int(time.time() * 1000)})
        yield f"id: {i}\nevent: ping\ndata: {data}\n\n".encode()


@documented(
    Reply(200, "text/event-stream", [header("Cache-Control")]),
    BAD,
    parameters=lambda s: [EVENTS.doc, DURATION(s).doc, WAIT(s).doc],
)
def sse() -> Response:
    """count server-sent events (`ping`, data: id and a timestamp in ms) over duration seconds, after delay.

    curl -sN 'http://127.0.0.1:8000/sse?count=3&duration=1'
    """
    count = EVENTS.parse(query("count"), 10)
    duration = DURATION(current_app.extensions["settings"]).parse(query("duration"), min(2.0, _cap()))
    delay = WAIT(current_app.extensions["settings"]).parse(query("delay"), 0.0)
    _within_cap(duration, delay)
    time.sleep(delay)
    pause = duration / (count - 1) if count > 1 else 0.0

    def events() -> Iterator[bytes]:
        for i, event in enumerate(_events(count)):
            if i:
                time.sleep(pause)
            yield event

    response = Response(events(), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    return response
