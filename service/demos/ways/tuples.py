"""/demos/tuples: a view returns a tuple and Flask reads the status (and headers) out of it."""

from http import HTTPStatus
from typing import Any

from flask import Blueprint, Response, jsonify, url_for

from service.contract.reply import Reply, documented, header
from service.pipeline.media import HTML, JSON, TEXT

# Two cookies as (name, value) pairs: what the headers slot of a tuple does with them depends on the body.
COOKIE_PAIRS = [("Set-Cookie", "theme=dark; Path=/"), ("Set-Cookie", "lang=en; Path=/")]
SET_COOKIE = header("Set-Cookie", "one per cookie")

bp = Blueprint("tuples", __name__, url_prefix="/demos/tuples")


@bp.get("/body-status")
@documented(Reply(202, HTML))
def body_status() -> tuple[str, HTTPStatus]:
    """202 Accepted from a (body, status) tuple.

    curl -i http://127.0.0.1:8000/demos/tuples/body-status
    """
    return "queued\n", HTTPStatus.ACCEPTED


@bp.get("/body-status-headers")
@documented(Reply(201, HTML, headers=[header("Location", "the created item")]))
def body_status_headers() -> tuple[str, HTTPStatus, dict[str, str]]:
    """201 Created with a Location header from a (body, status, headers) tuple.

    The Location is a URL this service really serves (GET answers 200).

    curl -i http://127.0.0.1:8000/demos/tuples/body-status-headers
    """
    location = url_for("success.item", item_id="0" * 32)
    return "created\n", HTTPStatus.CREATED, {"Location": location}


@bp.get("/body-headers")
@documented(Reply(200, TEXT))
def body_headers() -> tuple[str, dict[str, str]]:
    """200 OK from a (body, headers) tuple: a dict in second place is headers, so the status stays 200.

    The headers replace Flask's default Content-Type (text/html) with text/plain.

    curl -i http://127.0.0.1:8000/demos/tuples/body-headers
    """
    return "plain text\n", {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/dict-status")
@documented(Reply(202, JSON))
def dict_status() -> tuple[dict[str, Any], HTTPStatus]:
    """202 Accepted from a (dict, status) tuple: the dict is sent as JSON.

    curl -i http://127.0.0.1:8000/demos/tuples/dict-status
    """
    return {"queued": True}, HTTPStatus.ACCEPTED


@bp.get("/jsonify-status")
@documented(Reply(400, JSON))
def jsonify_status() -> tuple[Response, HTTPStatus]:
    """400 Bad Request as JSON from a (jsonify(...), status) tuple: the status goes in the tuple.

    jsonify() builds a 200 Response and has no status argument (a status= keyword only becomes a
    member of the JSON: see /demos/view-mistakes/jsonify-status/wrong); the tuple's status replaces
    the 200. A dict in first place ({"error": ...}, 400) does the same with less code.

    curl -i http://127.0.0.1:8000/demos/tuples/jsonify-status
    """
    return jsonify(error="The quantity must be at least 1."), HTTPStatus.BAD_REQUEST


@bp.get("/list-status")
@documented(Reply(202, JSON))
def list_status() -> tuple[list[str], HTTPStatus]:
    """202 Accepted from a (list, status) tuple: a list is sent as JSON too (Flask 2.2 and later).

    curl -i http://127.0.0.1:8000/demos/tuples/list-status
    """
    return ["first", "second"], HTTPStatus.ACCEPTED


@bp.get("/httpstatus")
@documented(Reply(203, JSON))
def httpstatus() -> tuple[dict[str, Any], HTTPStatus]:
    """203 Non-Authoritative Information from an http.HTTPStatus member: an IntEnum, so Flask sees 203.

    A member names the status in the code and carries its phrase; on the wire it is the same as 203.

    curl -i http://127.0.0.1:8000/demos/tuples/httpstatus
    """
    status = HTTPStatus.NON_AUTHORITATIVE_INFORMATION
    return {"status": status, "phrase": status.phrase}, status


@bp.get("/cookies-dict")
@documented(Reply(200, HTML, headers=[SET_COOKIE]))
def cookies_dict() -> tuple[str, int, dict[str, str]]:
    """200 with ONE cookie — two Set-Cookie entries in a dict: the first is lost before Flask sees it.

    A dict holds one value per key. Use a list of pairs (with a str body) or, better,
    make_response() and set_cookie() (see /demos/responses/set-cookie).

    curl -i http://127.0.0.1:8000/demos/tuples/cookies-dict
    """
    return "Two cookies?", 200, {"Set-Cookie": "theme=dark; Path=/", "Set-Cookie": "lang=en; Path=/"}  # noqa: F601


@bp.get("/cookies-list-json")
@documented(Reply(200, JSON, headers=[SET_COOKIE]))
def cookies_list_json() -> tuple[dict[str, str], int, list[tuple[str, str]]]:
    """200 with ONE cookie — Set-Cookie pairs in a list with a JSON (dict) body: the second one wins.

    For a JSON body Flask applies the headers with Headers.update(), which sets each pair in turn.

    curl -i http://127.0.0.1:8000/demos/tuples/cookies-list-json
    """
    return {"cookies": "two?"}, 200, COOKIE_PAIRS


@bp.get("/cookies-list")
@documented(Reply(200, HTML, headers=[SET_COOKIE]))
def cookies_list() -> tuple[str, int, list[tuple[str, str]]]:
    """200 with two cookies — the same list of pairs works with a str body, by accident of the body type.

    For a str body Flask passes the headers to the Response constructor, which adds every pair; the
    identical headers on a JSON body lose one (see /cookies-list-json). Prefer set_cookie().

    curl -i http://127.0.0.1:8000/demos/tuples/cookies-list
    """
    return "Two cookies", 200, COOKIE_PAIRS
