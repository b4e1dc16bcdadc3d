"""/demos/tuples: a view returns a tuple and Flask reads the status (and headers) out of it."""

from http import HTTPStatus
from typing import Any

from flask import Blueprint, url_for

from service.openapi import documented

HTML = "text/html"  # Flask's mimetype for a str body
JSON = "application/json"

bp = Blueprint("demo_tuples", __name__, url_prefix="/demos/tuples")


@bp.get("/body-status")
@documented((202, HTML))
def body_status() -> tuple[str, HTTPStatus]:
    """202 Accepted from a (body, status) tuple.

    curl -i http://127.0.0.1:8000/demos/tuples/body-status
    """
    return "queued\n", HTTPStatus.ACCEPTED


@bp.get("/body-status-headers")
@documented(
    (201, HTML),
    headers={201: {"Location": {"description": "the created item", "schema": {"type": "string"}}}},
)
def body_status_headers() -> tuple[str, HTTPStatus, dict[str, str]]:
    """201 Created with a Location header from a (body, status, headers) tuple.

    The Location is a URL this service really serves (GET answers 200).

    curl -i http://127.0.0.1:8000/demos/tuples/body-status-headers
    """
    location = url_for("demo_success.item", item_id="0" * 32)
    return "created\n", HTTPStatus.CREATED, {"Location": location}


@bp.get("/body-headers")
@documented((200, "text/plain"))
def body_headers() -> tuple[str, dict[str, str]]:
    """200 OK from a (body, headers) tuple: a dict in second place is headers, so the status stays 200.

    The headers replace Flask's default Content-Type (text/html) with text/plain.

    curl -i http://127.0.0.1:8000/demos/tuples/body-headers
    """
    return "plain text\n", {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/dict-status")
@documented((202, JSON))
def dict_status() -> tuple[dict[str, Any], HTTPStatus]:
    """202 Accepted from a (dict, status) tuple: the dict is sent as JSON.

    curl -i http://127.0.0.1:8000/demos/tuples/dict-status
    """
    return {"queued": True}, HTTPStatus.ACCEPTED


@bp.get("/list-status")
@documented((202, JSON))
def list_status() -> tuple[list[str], HTTPStatus]:
    """202 Accepted from a (list, status) tuple: a list is sent as JSON too (Flask 2.2 and later).

    curl -i http://127.0.0.1:8000/demos/tuples/list-status
    """
    return ["first", "second"], HTTPStatus.ACCEPTED


@bp.get("/httpstatus")
@documented((203, JSON))
def httpstatus() -> tuple[dict[str, Any], HTTPStatus]:
    """203 Non-Authoritative Information from an http.HTTPStatus member: an IntEnum, so Flask sees 203.

    A member names the status in the code and carries its phrase; on the wire it is the same as 203.

    curl -i http://127.0.0.1:8000/demos/tuples/httpstatus
    """
    status = HTTPStatus.NON_AUTHORITATIVE_INFORMATION
    return {"status": status, "phrase": status.phrase}, status
