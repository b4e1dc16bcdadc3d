"""The opt-in X-Instance response header, which names the replica that answered (fleet spread tests).

Off by default, so no deployment leaks host names; INSTANCE_HEADER=1 (Settings.replica_header) turns it
on (the Swarm stack does).
"""

import socket
from collections.abc import Callable

from flask import Request, Response

HEADER = "X-Instance"


def hook(on: bool) -> Callable[[Request, Response], Response] | None:
    """The after_request hook that names this host, or None when the header is off."""
    if not on:
        return None
    # The container's hostname: its short ID under Docker, the pod's name under Kubernetes.
    name = socket.gethostname()

    def name_replica(_request: Request, response: Response) -> Response:
        response.headers[HEADER] = name
        return response

    return name_replica
