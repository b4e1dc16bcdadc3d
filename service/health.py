"""GET /healthz: the container's liveness check — cheap, and touches nothing else."""

from typing import Any

from flask import Blueprint

from service.contract.reply import Reply, documented
from service.pipeline.media import JSON

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@documented(Reply(200, JSON))
def healthz() -> dict[str, Any]:
    """200 OK with a small JSON body while the service can answer at all.

    curl -i http://127.0.0.1:8000/healthz
    """
    return {"status": "ok"}
