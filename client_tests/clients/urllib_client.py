"""The standard library's urllib.request, as a script without third-party packages would use it.

`python urllib_client.py BASE_URL ROW...`. urllib opens a new connection for every request (it sends
`Connection: close`), so a pair's second request is never on the first one's connection. An answer
outside 2xx is raised as HTTPError: the observation keeps its status and says it was raised.
"""

import platform
import urllib.error
import urllib.request
from typing import Any

from common import TIMEOUT, Client, Observation, Row, answer, error_kind, main, pause


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx itself is the answer (raised as HTTPError)


class _Hops(urllib.request.HTTPRedirectHandler):
    """urllib's own redirect handling, counting the hops it follows."""

    hops = 0

    def redirect_request(self, *args: Any, **kwargs: Any) -> urllib.request.Request | None:
        made = super().redirect_request(*args, **kwargs)
        if made is not None:
            _Hops.hops += 1
        return made


class _Challenged(urllib.request.HTTPBasicAuthHandler):
    """urllib's Basic handler, noting whether it answered a 401's challenge with the credentials."""

    answered = False

    def retry_http_basic_auth(self, *args: Any) -> Any:
        _Challenged.answered = True
        return super().retry_http_basic_auth(*args)


def _opener(row: Row, url: str) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_Hops() if row.get("follow") else _NoRedirect()]
    if row.get("auth"):
        # urllib's documented way: the credentials are sent only in answer to a 401's challenge.
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, *row["auth"])
        handlers.append(_Challenged(passwords))
    return urllib.request.build_opener(*handlers)


def _open(row: Row, url: str) -> Observation:
    body = row["body"].encode() if row.get("body") else None
    headers = row.get("headers", {})
    request = urllib.request.Request(url, data=body, headers=headers, method=row["method"])  # noqa: S310
    _Hops.hops, _Challenged.answered = 0, False
    try:
        with _opener(row, url).open(request, timeout=TIMEOUT) as response:
            headers = {name.lower(): value for name, value in response.headers.items()}
            return answer(
                row,
                response.status,
                headers,
                response.read(),
                reason=response.reason,
                ok=True,
                hops=_Hops.hops,
            )
    except urllib.error.HTTPError as exc:
        headers = {name.lower(): value for name, value in exc.headers.items()}
        found = answer(row, exc.code, headers, exc.read(), reason=exc.reason, ok=False, hops=_Hops.hops)
        found["raised"] = error_kind(exc)
        if row.get("auth"):
            found["auth"] = "after the challenge" if _Challenged.answered else "not sent"
        return found


def fetch(row: Row, url: str) -> Observation:
    return _open(row, url)


def pair(row: Row, url: str, then: str) -> Observation:
    found = _open(row, url)
    pause(row)
    following = _open({"method": "GET"}, then)
    found["next"] = following["status"]
    found["reused"] = False  # Connection: close on every request
    return found


def retry(row: Row, url: str) -> Observation:
    found = _open(row, url)  # urllib has no retry policy
    found["attempts"] = 1
    return found


if __name__ == "__main__":
    main(Client("urllib", f"Python {platform.python_version()}", fetch, pair, retry))
