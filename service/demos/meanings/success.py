"""/demos/success: the 2xx answers that promise something — 201 with Location, 202 with a monitor, 204."""

import re
import uuid
from http import HTTPStatus

from flask import Blueprint, Response, abort, url_for

from service.contract.reply import Reply, documented, header
from service.pipeline.media import HTML, JSON, PROBLEM_JSON

bp = Blueprint("success", __name__, url_prefix="/demos/success")

# Ids are uuid4 hex. Nothing is stored (the workers share no memory), so any well-formed id resolves.
ID = re.compile(r"[0-9a-f]{32}")
LOCATION = header("Location", "the new item, or the job's monitor")


def _checked(item_id: str) -> str:
    if not ID.fullmatch(item_id):
        abort(HTTPStatus.NOT_FOUND, "Ids are 32 lower-case hex digits.")
    return item_id


@bp.post("/items")
@documented(Reply(201, JSON, headers=[LOCATION]))
def create_item() -> tuple[dict[str, str], HTTPStatus, dict[str, str]]:
    """201 Created with Location: the URL of the new item, which GET really serves.

    curl -i -X POST http://127.0.0.1:8000/demos/success/items
    """
    item_id = uuid.uuid4().hex
    location = url_for(".item", item_id=item_id)
    return {"id": item_id, "href": location}, HTTPStatus.CREATED, {"Location": location}


@bp.get("/items/<item_id>")
@documented(Reply(200, JSON), Reply(404, PROBLEM_JSON))
def item(item_id: str) -> dict[str, str]:
    """200 OK: the item a 201 pointed to; 404 problem+json when the id is not 32 hex digits.

    curl -i http://127.0.0.1:8000/demos/success/items/00000000000000000000000000000000
    """
    return {"id": _checked(item_id)}


@bp.delete("/items/<item_id>")
@documented(Reply(204, None), Reply(404, PROBLEM_JSON))
def delete_item(item_id: str) -> Response:
    """204 No Content: no body, no Content-Length, and no Content-Type.

    Flask gives every Response a Content-Type, even an empty 204 (see /no-content-default), which
    describes nothing; it is removed here. Content-Length never goes out with a 204.

    curl -i -X DELETE http://127.0.0.1:8000/demos/success/items/00000000000000000000000000000000
    """
    _checked(item_id)
    response = Response(status=HTTPStatus.NO_CONTENT)
    del response.headers["Content-Type"]
    return response


@bp.get("/no-content-default")
@documented(Reply(204, HTML))
def no_content_default() -> tuple[str, HTTPStatus]:
    """204 No Content the short way, ("", 204): no body, yet Flask still sends Content-Type text/html.

    Harmless to clients, but it types a body that is not there; /items/<id> (DELETE) removes it.

    curl -i http://127.0.0.1:8000/demos/success/no-content-default
    """
    return "", HTTPStatus.NO_CONTENT


@bp.post("/jobs")
@documented(Reply(202, JSON, headers=[LOCATION]))
def start_job() -> tuple[dict[str, str], HTTPStatus, dict[str, str]]:
    """202 Accepted with Location: the job's status monitor, to poll for the outcome.

    curl -i -X POST http://127.0.0.1:8000/demos/success/jobs
    """
    job_id = uuid.uuid4().hex
    monitor = url_for(".job", job_id=job_id)
    return {"id": job_id, "state": "accepted", "monitor": monitor}, HTTPStatus.ACCEPTED, {"Location": monitor}


@bp.get("/jobs/<job_id>")
@documented(Reply(200, JSON), Reply(404, PROBLEM_JSON))
def job(job_id: str) -> dict[str, str]:
    """200 OK: a job's status monitor, as JSON. The demo does no work, so every job reports done.

    curl -i http://127.0.0.1:8000/demos/success/jobs/00000000000000000000000000000000
    """
    return {"id": _checked(job_id), "state": "done"}
