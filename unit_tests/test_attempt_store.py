"""The attempt log's store, in-process, on both stores: SQLite on a real file, and a real redis-server
started on a free loopback port (skipped where none is installed). Bounds (100 attempts a key), the
key's TTL and restart, forget; then report(): gaps, Retry-After honoured or not, non-idempotent resends.
"""

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from service.tester.attempts import report
from service.tester.sequences import MAX_ATTEMPTS, Limits, Log, RedisStore, SQLiteStore, Store


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("no redis-server on this machine (apt-get install redis-server)")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - the installed redis-server, fixed arguments
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(params=["sqlite", "redis"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., Store]:
    made: list[Store] = []

    def make(limits: Limits | None = None) -> Store:
        limits = limits or Limits()
        store: Store
        if request.param == "sqlite":
            store = SQLiteStore(str(tmp_path / f"s{len(made)}.sqlite3"), limits)
        else:
            store = RedisStore(request.getfixturevalue("redis_url"), limits)
            store.client.flushdb()
        made.append(store)
        return store

    return make


def entry(**fields: object) -> str:
    base: dict[str, object] = {
        "method": "GET",
        "status": 503,
        "fault": None,
        "retry_after_sent": None,
        "idempotency_key": None,
        "authorization": False,
        "cookie": False,
        "protocol": "HTTP/1.1",
        "request_id": "r",
        "connection": None,
    }
    return json.dumps({**base, **fields})


def test_each_step_is_recorded_in_order_with_the_stores_clock(make_store: Callable[..., Store]) -> None:
    store = make_store()
    before = time.time()
    for _ in range(3):
        n = store.advance("k")
        store.record("k", n, entry(status=500 + n))
    found = store.log("k")
    assert found is not None
    assert found.steps == 3
    assert [(n, json.loads(text)["status"]) for n, _, text in found.attempts] == [
        (1, 501),
        (2, 502),
        (3, 503),
    ]
    stamps = [at for _, at, _ in found.attempts]
    assert stamps == sorted(stamps)
    assert before - 1 <= stamps[0] <= time.time() + 1  # one machine: the store's clock is near ours


def test_an_unknown_key_has_no_log(make_store: Callable[..., Store]) -> None:
    store = make_store()
    assert store.log("never") is None
    store.record("never", 1, entry())  # a record for a key with no count is dropped
    assert store.log("never") is None


def test_at_most_max_attempts_are_recorded_and_every_step_counted(make_store: Callable[..., Store]) -> None:
    store = make_store()
    for _ in range(MAX_ATTEMPTS + 5):
        n = store.advance("k")
        store.record("k", n, entry())
    found = store.log("k")
    assert found is not None
    assert (found.steps, len(found.attempts)) == (MAX_ATTEMPTS + 5, MAX_ATTEMPTS)
    assert found.attempts[-1][0] == MAX_ATTEMPTS


def test_forget_drops_the_count_and_the_log(make_store: Callable[..., Store]) -> None:
    store = make_store()
    store.record("k", store.advance("k"), entry())
    store.forget("k")
    assert store.log("k") is None
    assert store.advance("k") == 1
    found = store.log("k")
    assert found is not None
    assert found.attempts == []  # the old series' attempt is gone; this step was not recorded yet


def test_an_idle_key_takes_its_log_with_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("service.tester.sequences.time.time", lambda: now[0])
    store = SQLiteStore(str(tmp_path / "s.sqlite3"), Limits(ttl=60))
    store.record("a", store.advance("a"), entry())
    now[0] += 61
    assert store.log("a") is None
    store.advance("b")  # any step sweeps idle keys, their logs included
    assert store.advance("a") == 1
    found = store.log("a")
    assert found is not None
    assert found.attempts == []


def test_redis_log_expires_with_the_key(redis_url: str) -> None:
    store = RedisStore(redis_url, Limits(ttl=1))
    store.client.flushdb()
    store.record("a", store.advance("a"), entry())
    assert store.client.ttl(store.logs + "a") in (0, 1)
    time.sleep(1.2)
    assert store.log("a") is None


def log_of(*attempts: tuple[float, dict[str, object]], steps: int | None = None) -> Log:
    return Log(steps or len(attempts), [(n, at, entry(**f)) for n, (at, f) in enumerate(attempts, start=1)])


def test_report_gaps_and_retry_after() -> None:
    t = 1_700_000_000.0
    found = log_of(
        (t, {"retry_after_sent": "1", "connection": "c1"}),
        (t + 1.25, {"retry_after_sent": "2", "connection": "c1"}),
        (t + 2.5, {"status": 200, "connection": "c2"}),
    )
    body = report("k", found)
    rows = body["attempts"]
    assert [r["since_previous_s"] for r in rows] == [None, 1.25, 1.25]
    assert [r["retry_after_s"] for r in rows] == [None, 1.0, 2.0]
    assert [r["honoured_retry_after"] for r in rows] == [None, True, False]
    assert [r["same_connection_as_previous"] for r in rows] == [None, True, False]
    assert rows[0]["at"] == "2023-11-14T22:13:20.000Z"
    assert body["summary"] == {
        "attempts": 3,
        "recorded": 3,
        "gaps_s": [1.25, 1.25],
        "longest_gap_s": 1.25,
        "retry_after_asked": 2,
        "retry_after_honoured": 1,
        "non_idempotent_resent_without_key": False,
    }


def test_report_reads_an_http_date_as_seconds_from_its_answer() -> None:
    t = 784_111_775.0  # Sun, 06 Nov 1994 08:49:35 GMT
    found = log_of((t, {"retry_after_sent": "Sun, 06 Nov 1994 08:49:37 GMT"}), (t + 2.0, {}))
    second = report("k", found)["attempts"][1]
    assert (second["retry_after_s"], second["honoured_retry_after"]) == (2.0, True)


def test_report_credentials_only_as_present_or_absent() -> None:
    found = log_of((1.0, {"authorization": True, "cookie": False}))
    first = report("k", found)["attempts"][0]
    assert (first["authorization"], first["cookie"]) == ("present", "absent")


@pytest.mark.parametrize(
    ("methods", "keys", "resent"),
    [
        (["POST", "POST"], [None, None], True),
        (["POST", "POST"], ["a", "a"], False),
        (["PUT", "PUT"], [None, None], False),
        (["PATCH", "PATCH"], [None, None], True),
        (["POST"], [None], False),  # sent once: nothing re-sent
        (["GET", "DELETE"], [None, None], False),
    ],
)
def test_report_non_idempotent_resent_without_a_key(
    methods: list[str], keys: list[str | None], resent: bool
) -> None:
    sent: list[tuple[float, dict[str, object]]] = [
        (float(i), {"method": method, "idempotency_key": key})
        for i, (method, key) in enumerate(zip(methods, keys, strict=True))
    ]
    found = log_of(*sent)
    assert report("k", found)["summary"]["non_idempotent_resent_without_key"] is resent
