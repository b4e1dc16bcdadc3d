"""/demos/automatic: the statuses Flask answers by itself — 405 with Allow, OPTIONS, HEAD and 404."""

from flask import Blueprint, request

from service.contract.reply import Reply, documented
from service.pipeline.media import JSON

bp = Blueprint("automatic", __name__, url_prefix="/demos/automatic")


@bp.post("/post-only")
@documented(Reply(200, JSON))
def post_only() -> dict[str, str]:
    """200 OK to POST; any other method gets Flask's 405 with Allow: OPTIONS, POST.

    Flask adds OPTIONS by itself but not HEAD (HEAD comes only with GET). The 405 is a
    MethodNotAllowed raised by the URL map, so it reaches the app's handler: problem+json, Allow kept.

    curl -i -X DELETE http://127.0.0.1:8000/demos/automatic/post-only
    """
    return {"method": request.method}


@bp.route("/resource", methods=["GET", "PUT"])
@documented(Reply(200, JSON), methods=["GET", "HEAD", "PUT"])
def resource() -> dict[str, str]:
    """200 OK to GET and PUT; HEAD and OPTIONS are answered by Flask without any code here.

    HEAD runs this view as a GET and the server drops the body: same status, same headers (the
    Content-Length of the GET body included), no body. OPTIONS never reaches this view: Flask answers
    200 with Allow and an empty body. DELETE -> 405 with Allow: GET, HEAD, OPTIONS, PUT.

    curl -i -X OPTIONS http://127.0.0.1:8000/demos/automatic/resource
    """
    # The same body for every method, so a HEAD's headers can be compared with a GET's byte for byte.
    return {"resource": "automatic"}
