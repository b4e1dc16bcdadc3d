"""The step counters behind /status?sequence=: shared by every Gunicorn worker (SQLite) or replica (Redis).

advance(key) counts one more request with the key and returns its 1-based number; the view answers the
n-th step of the code list. The counter must be shared, or a retry landing on another worker would start
the series again: by default it lives in one SQLite file on a tmpfs (/dev/shm, RAM, never the container's
read-only root), which every worker process of this container opens; with STATE_URL=redis://host:port/db
it lives in Redis, so every replica behind a load balancer shares it.

State is bounded. A key idle for SEQUENCE_TTL seconds (600 by default) is forgotten, its series starts
again; at most SEQUENCE_MAX_KEYS keys (10,000) live at once. At the cap a new key is refused with
StoreFull (the view answers 503 with Retry-After: when the oldest key expires); a known key keeps
counting. If the store cannot be reached (Redis down), StoreDown: the view answers 503 saying so and
never guesses a step. Nothing else in the service touches the store.

Beside each key's count lives its attempt log (service/tester/attempts.py reads it): record(key, n, entry)
keeps what the n-th request was, stamped with the store's clock (time.time() of the container for SQLite,
Redis's TIME for every replica), for the first MAX_ATTEMPTS steps of a series only. A log lives and dies
with its key: forgotten when the key goes idle, started afresh when the series starts again, and gone
with forget(key).
"""

import math
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from service.settings import state_kind

if TYPE_CHECKING:
    import sqlite3

DEFAULT_TTL = 600
DEFAULT_MAX_KEYS = 10_000
SQLITE_FILE = "sequences.sqlite3"
# Redis is asked with short timeouts: a dead or partitioned Redis must cost a sequence request well under
# a second, and never a thread for long (the 503 says "retry").
REDIS_TIMEOUT = 0.5
REDIS_PREFIX = "status-target:sequence"
# The attempts of a series that are recorded (its first steps); later steps count, unrecorded.
MAX_ATTEMPTS = 100


class StoreFull(Exception):
    """The key cap is reached and the key is new; retry_after: seconds until the oldest key expires."""

    def __init__(self, max_keys: int, retry_after: int) -> None:
        super().__init__(f"{max_keys} keys")
        self.max_keys = max_keys
        self.retry_after = retry_after


class StoreDown(Exception):
    """The store could not be asked (Redis unreachable or failing): no step was counted."""


@dataclass(frozen=True)
class Limits:
    """How long an idle key lives and how many keys may live at once."""

    ttl: int = DEFAULT_TTL
    max_keys: int = DEFAULT_MAX_KEYS


@dataclass(frozen=True)
class Log:
    """A key's attempt log: how many steps it counted, and the recorded ones as (n, at, entry) by n."""

    steps: int
    attempts: list[tuple[int, float, str]]


class Store(Protocol):
    kind: str

    def advance(self, key: str) -> int: ...

    def record(self, key: str, n: int, entry: str) -> None: ...

    def log(self, key: str) -> Log | None: ...

    def forget(self, key: str) -> None: ...


def _wait(oldest: float, ttl: int, now: float) -> int:
    return max(1, math.ceil(oldest + ttl - now))


class SQLiteStore:
    """One SQLite file shared by the container's worker processes; one connection per process."""

    kind = "sqlite"

    def __init__(self, path: str, limits: Limits) -> None:
        self.path, self.limits = path, limits
        self.lock = threading.Lock()
        self.pid = 0
        self.db: sqlite3.Connection | None = None

    def _connection(self) -> "sqlite3.Connection":
        if self.db is None or self.pid != os.getpid():  # a forked worker opens its own
            # Imported on a worker's first ?sequence=, not at boot: it is part of every worker's memory
            # otherwise (docs/performance.md), and most requests never ask for a sequence.
            import sqlite3

            db = sqlite3.connect(self.path, timeout=5.0, isolation_level=None, check_same_thread=False)
            # RAM-backed and rebuilt at every start: no durability to buy with fsync; WAL lets readers
            # and the one writer overlap across processes.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            db.execute(
                "CREATE TABLE IF NOT EXISTS steps "
                "(key TEXT PRIMARY KEY, n INTEGER NOT NULL, touched REAL NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS steps_touched ON steps (touched)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS attempts (key TEXT NOT NULL, n INTEGER NOT NULL, "
                "at REAL NOT NULL, entry TEXT NOT NULL, PRIMARY KEY (key, n))"
            )
            self.db, self.pid = db, os.getpid()
        return self.db

    def advance(self, key: str) -> int:
        import sqlite3  # for sqlite3.Error; _connection() loads the module on first use

        ttl, cap = self.limits.ttl, self.limits.max_keys
        with self.lock:
            db = self._connection()
            now = time.time()
            try:
                db.execute("BEGIN IMMEDIATE")  # one writer at a time across every worker
                idle = (now - ttl,)
                db.execute(
                    "DELETE FROM attempts WHERE key IN (SELECT key FROM steps WHERE touched < ?)", idle
                )
                db.execute("DELETE FROM steps WHERE touched < ?", idle)
                row = db.execute("SELECT n FROM steps WHERE key = ?", (key,)).fetchone()
                if row is None:
                    count, oldest = db.execute("SELECT count(*), min(touched) FROM steps").fetchone()
                    if count >= cap:
                        db.execute("ROLLBACK")
                        raise StoreFull(cap, _wait(oldest, ttl, now))
                    n = 1
                    db.execute("DELETE FROM attempts WHERE key = ?", (key,))  # a series that starts again
                    db.execute("INSERT INTO steps (key, n, touched) VALUES (?, 1, ?)", (key, now))
                else:
                    n = row[0] + 1
                    db.execute("UPDATE steps SET n = ?, touched = ? WHERE key = ?", (n, now, key))
                db.execute("COMMIT")
                return int(n)
            except sqlite3.Error as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise StoreDown(f"the sequence store (SQLite) failed: {exc}.") from exc

    def _run(self, work: "Callable[[sqlite3.Connection, float], Any]") -> Any:
        """work(db, now) in one transaction; StoreDown if SQLite fails."""
        import sqlite3

        with self.lock:
            db = self._connection()
            try:
                db.execute("BEGIN IMMEDIATE")
                result = work(db, time.time())
                db.execute("COMMIT")
                return result
            except sqlite3.Error as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise StoreDown(f"the sequence store (SQLite) failed: {exc}.") from exc

    def record(self, key: str, n: int, entry: str) -> None:
        if n > MAX_ATTEMPTS:
            return
        self._run(
            lambda db, now: db.execute(
                "INSERT OR REPLACE INTO attempts (key, n, at, entry) "
                "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM steps WHERE key = ?)",
                (key, n, now, entry, key),
            )
        )

    def log(self, key: str) -> Log | None:
        def read(db: "sqlite3.Connection", now: float) -> Log | None:
            row = db.execute(
                "SELECT n FROM steps WHERE key = ? AND touched >= ?", (key, now - self.limits.ttl)
            ).fetchone()
            if row is None:
                return None
            rows = db.execute("SELECT n, at, entry FROM attempts WHERE key = ? ORDER BY n", (key,)).fetchall()
            return Log(int(row[0]), [(int(n), float(at), str(entry)) for n, at, entry in rows])

        found: Log | None = self._run(read)
        return found

    def forget(self, key: str) -> None:
        def delete(db: "sqlite3.Connection", _: float) -> None:
            db.execute("DELETE FROM attempts WHERE key = ?", (key,))
            db.execute("DELETE FROM steps WHERE key = ?", (key,))

        self._run(delete)


# One round trip, atomic: forget idle keys, refuse a new key at the cap, count the request. Redis's own
# clock is the one clock every replica shares.
_ADVANCE = """
local index, counts, key = KEYS[1], KEYS[2], ARGV[1]
local ttl, cap, logs = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local idle = redis.call('ZRANGEBYSCORE', index, '-inf', now - ttl, 'LIMIT', 0, 500)
if #idle > 0 then
  redis.call('ZREM', index, unpack(idle))
  redis.call('HDEL', counts, unpack(idle))
  for _, gone in ipairs(idle) do redis.call('DEL', logs .. gone) end
end
if not redis.call('ZSCORE', index, key) then
  if redis.call('ZCOUNT', index, now - ttl, '+inf') >= cap then
    local oldest = redis.call('ZRANGE', index, 0, 0, 'WITHSCORES')
    return {0, tostring(math.ceil(tonumber(oldest[2]) + ttl - now))}
  end
  redis.call('HDEL', counts, key)
  redis.call('DEL', logs .. key)
end
redis.call('ZADD', index, now, key)
local n = redis.call('HINCRBY', counts, key, 1)
redis.call('EXPIRE', index, ttl)
redis.call('EXPIRE', counts, ttl)
return {n, '0'}
"""

# The n-th attempt of a live key, stamped with Redis's clock: a hash field n -> "at entry", which lives
# as long as the key's count (the same TTL, renewed by each step).
_RECORD = """
local index, key, n, entry, ttl, logs = KEYS[1], ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
if not redis.call('ZSCORE', index, key) then return 0 end
local clock = redis.call('TIME')
local at = clock[1] .. '.' .. string.format('%06d', tonumber(clock[2]))
redis.call('HSET', logs .. key, n, at .. ' ' .. entry)
redis.call('EXPIRE', logs .. key, ttl)
return 1
"""

# A live key's count and every recorded attempt, in one round trip.
_LOG = """
local index, counts, key, ttl, logs = KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]), ARGV[3]
local clock = redis.call('TIME')
local touched = redis.call('ZSCORE', index, key)
if not touched or tonumber(touched) < tonumber(clock[1]) - ttl then return false end
return {redis.call('HGET', counts, key) or '0', redis.call('HGETALL', logs .. key)}
"""

_FORGET = """
local index, counts, key, logs = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
redis.call('ZREM', index, key)
redis.call('HDEL', counts, key)
redis.call('DEL', logs .. key)
return 1
"""


class RedisStore:
    """The counters in Redis (STATE_URL), shared by every replica; redis-py's pool is per process."""

    kind = "redis"

    def __init__(self, url: str, limits: Limits) -> None:
        import redis  # only a service configured for Redis loads the client
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self.limits = limits
        self.errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)
        self.unreachable: tuple[type[Exception], ...] = (redis.ConnectionError, redis.TimeoutError, OSError)
        # One attempt: redis-py retries a failed connection 10 times with back-off by default, which
        # would hold a thread for seconds per request while Redis is unreachable; the 503 says "retry".
        self.client = redis.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT,
            socket_connect_timeout=REDIS_TIMEOUT,
            retry_on_timeout=False,
            retry=Retry(NoBackoff(), 0),
        )
        self.script: Any = self.client.register_script(_ADVANCE)
        self.scripts: dict[str, Any] = {
            name: self.client.register_script(text)
            for name, text in (("record", _RECORD), ("log", _LOG), ("forget", _FORGET))
        }
        self.keys = [f"{{{REDIS_PREFIX}}}:index", f"{{{REDIS_PREFIX}}}:counts"]  # one hash slot
        self.logs = f"{{{REDIS_PREFIX}}}:log:"  # + the key: the same hash slot

    def _call(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        try:
            return script(keys=keys, args=args)
        except self.errors as exc:
            # Unreachable, or reached but failing (out of memory under noeviction, say): no step either way.
            what = "cannot be reached" if isinstance(exc, self.unreachable) else "failed"
            raise StoreDown(f"the sequence store (Redis) {what}: {type(exc).__name__}.") from exc

    def advance(self, key: str) -> int:
        limits = self.limits
        n, wait = self._call(self.script, self.keys, [key, limits.ttl, limits.max_keys, self.logs])
        if int(n) == 0:
            raise StoreFull(self.limits.max_keys, max(1, int(wait)))
        return int(n)

    def record(self, key: str, n: int, entry: str) -> None:
        if n <= MAX_ATTEMPTS:
            self._call(self.scripts["record"], self.keys[:1], [key, n, entry, self.limits.ttl, self.logs])

    def log(self, key: str) -> Log | None:
        found = self._call(self.scripts["log"], self.keys, [key, self.limits.ttl, self.logs])
        if not found:
            return None
        steps, flat = found
        attempts = []
        for field_, value in zip(flat[::2], flat[1::2], strict=True):
            at, entry = (value.decode() if isinstance(value, bytes) else value).split(" ", 1)
            attempts.append((int(field_), float(at), entry))
        return Log(int(steps), sorted(attempts))

    def forget(self, key: str) -> None:
        self._call(self.scripts["forget"], self.keys, [key, self.logs])


_made_dir: str | None = None
_store: Store | None = None
_chosen: tuple[str, Limits] | None = None


def choose(url: str, limits: Limits) -> None:
    """Choose the process's store, once: the first call decides, later ones change nothing.

    Whoever read the settings calls it: Gunicorn's master before it forks (gunicorn.conf.py), so the
    fresh SQLite directory made here is the one file every worker shares; create_app() too, which is
    then a no-op under Gunicorn and the choice itself under `flask run` and in tests. "" is SQLite on a
    tmpfs; the store itself is opened on first use, in the process that uses it.
    """
    global _chosen, _made_dir
    if _chosen is not None:
        return
    if not url:
        base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108 - a tmpfs
        _made_dir = tempfile.mkdtemp(prefix="status-sequences-", dir=base)
        url = "sqlite:///" + os.path.join(_made_dir, SQLITE_FILE)
    state_kind(url)
    _chosen = (url, limits)


def cleanup() -> None:
    """Remove the directory choose() made (on the master's exit)."""
    if _made_dir:
        shutil.rmtree(_made_dir, ignore_errors=True)


def store() -> Store:
    """The process's store, opened on first use; choose() has run (create_app() calls it)."""
    global _store
    if _store is None:
        if _chosen is None:
            raise RuntimeError("sequences.choose() was never called: create_app() calls it")
        url, limits = _chosen
        _store = RedisStore(url, limits) if state_kind(url) == "redis" else SQLiteStore(url[10:], limits)
    return _store
