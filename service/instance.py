"""The opt-in X-Instance response header, which names the replica that answered (fleet spread tests).

Off by default, so no deployment leaks host names; INSTANCE_HEADER=1 turns it on (the Swarm stack does).
"""

import os
import socket

from flask import Flask, Response

HEADER = "X-Instance"


def register(app: Flask) -> None:
    """Read INSTANCE_HEADER once, at app creation (create_app's config, else the environment)."""
    value = str(app.config.get("INSTANCE_HEADER", os.environ.get("INSTANCE_HEADER", "0")))
    if value not in ("0", "1"):
        raise ValueError(f"INSTANCE_HEADER must be 0 (off, the default) or 1 (on), not {value!r}")
    if value == "0":
        return
    # The container's hostname: its short ID under Docker, the pod's name under Kubernetes.
    name = socket.gethostname()

    @app.after_request
    def name_instance(response: Response) -> Response:
        response.headers[HEADER] = name
        return response
