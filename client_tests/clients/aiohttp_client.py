"""aiohttp's ClientSession, as an asyncio application would use it.

`python aiohttp_client.py BASE_URL ROW...`: one session per row with a one-connection pool, so a
pair's second request goes out on the first one's connection if aiohttp keeps it (the local port says).
"""

import asyncio
from typing import Any

import aiohttp
from common import TIMEOUT, Client, Observation, Row, answer, error_kind, main

# Connections aiohttp opened, counted by its tracing signals: a pair's second request reuses the first
# one's connection if the count stays the same.
OPENED: list[int] = []


async def _opened(*_: Any) -> None:
    OPENED.append(1)


def _session() -> aiohttp.ClientSession:
    tracing = aiohttp.TraceConfig()
    tracing.on_connection_create_end.append(_opened)
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=1),
        timeout=aiohttp.ClientTimeout(total=TIMEOUT),
        trace_configs=[tracing],
    )


async def _send(session: aiohttp.ClientSession, row: Row, url: str) -> Observation:
    headers = dict(row.get("headers", {}))
    if row.get("auth"):
        headers["Authorization"] = aiohttp.encode_basic_auth(*row["auth"])
    async with session.request(
        row["method"],
        url,
        data=row.get("body"),
        headers=headers,
        allow_redirects=row.get("follow", False),
        expect100="Expect" in headers,
    ) as response:
        body = await response.read()
        return answer(
            row,
            response.status,
            {name.lower(): value for name, value in response.headers.items()},
            body,
            reason=response.reason,
            ok=response.ok,
            hops=len(response.history),
        )


async def _fetch(row: Row, url: str) -> Observation:
    async with _session() as session:
        return await _send(session, row, url)


async def _pair(row: Row, url: str, then: str) -> Observation:
    async with _session() as session:
        found = await _send(session, row, url)
        await asyncio.sleep(float(row.get("pause", 0)))
        before = len(OPENED)
        try:
            following = await _send(session, {"method": "GET"}, then)
            found["next"] = following["status"]
            found["reused"] = len(OPENED) == before
        except (TimeoutError, aiohttp.ClientError) as exc:
            found["next_error"] = error_kind(exc)
        return found


def fetch(row: Row, url: str) -> Observation:
    return asyncio.run(_fetch(row, url))


def pair(row: Row, url: str, then: str) -> Observation:
    return asyncio.run(_pair(row, url, then))


def retry(row: Row, url: str) -> Observation:
    found = fetch(row, url)  # aiohttp has no retry policy of its own
    found["attempts"] = 1
    return found


if __name__ == "__main__":
    main(Client("aiohttp", aiohttp.__version__, fetch, pair, retry))
