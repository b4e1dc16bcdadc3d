"""Gunicorn's logger, with an access line that costs little: one JSON object (or a text line) per request.

Gunicorn's stock `Logger.access` builds a dict of every request header, response header and environ
key, wraps it, then formats it through `logging`: the largest share of `/status/200`'s CPU in `make
bench`'s profile. This one computes only the fields it writes, and writes lines in batches (LineBatch):
a system call releases the GIL, and with 32 threads a worker paid for each hand-off (one GIL-releasing
call on every request cost a measurable share of throughput); under gevent a write blocks the whole
worker, so fewer writes help there too (docs/performance.md, "Figures moved out of the code"). A batch
of whole lines under PIPE_BUF (4096 bytes) is one `os.write`, written whole, so lines from several
worker processes sharing stdout never interleave (the path is cut to PATH_LIMIT characters to stay
under it).

`LOG_FORMAT=json` (the default) writes `{"time", "method", "route", "path", "status", "bytes",
"duration_ms", "request_id", "client"}` (and `"fault"` when /status?fault= broke the answer on purpose);
`LOG_FORMAT=text` writes the same fields on one human line.
Either way every string that came from the client is escaped as a JSON string (control characters,
quotes, backslashes and non-ASCII become escapes), so no request can forge a log line or send a
terminal escape sequence. No request header is logged. Each request also goes to the Prometheus
counters (service/server/metrics.py) here, where its final status, route and duration are known.
`/healthz` is counted but not logged unless `LOG_HEALTHZ=1`: the health check asks every few seconds,
and its lines would bury the requests an operator looks for.
"""

import atexit
import json
import logging
import os
import threading
import time
from typing import Any

from gunicorn import glogging  # type: ignore[import-untyped]

from service.seam import FAULT as FAULT_KEY
from service.seam import REQUEST_ID as REQUEST_ID_KEY
from service.seam import ROUTE as ROUTE_KEY
from service.server import metrics
from service.settings import Settings

# The route of a request no Flask rule matched (404, 405) or that never reached Flask (Gunicorn's 400s).
UNMATCHED = "<unmatched>"
# The health check's route: counted in the metrics, logged only with LOG_HEALTHZ=1.
HEALTH_ROUTE = "/healthz"
# Longer paths are cut (and marked with "..."): even escaped six-fold, a line stays under PIPE_BUF.
PATH_LIMIT = 512

_quote = json.encoder.encode_basestring_ascii  # C, as json.dumps uses
_encode = json.JSONEncoder(separators=(",", ":")).encode
# Every C0 and C1 control character and DEL, for the error log: its lines stay single and inert.
_ESCAPES = {c: f"\\x{c:02x}" for c in [*range(32), *range(127, 160)]}


class LineBatch:
    """Whole lines gathered and written to a file descriptor in one call: when the next line would
    take the batch past PIPE_BUF, and at least every FLUSH_SECONDS (a daemon thread), and at exit.
    A worker killed with SIGKILL loses at most its last FLUSH_SECONDS of lines."""

    LIMIT = 4096
    FLUSH_SECONDS = 0.2

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.lines: list[bytes] = []
        self.size = 0
        self.lock = threading.Lock()
        self.pid = 0  # the process whose flusher thread runs: a forked worker starts its own

    def add(self, line: bytes) -> None:
        if self.pid != os.getpid():
            self._start()
        with self.lock:
            if self.size + len(line) > self.LIMIT:
                batch, self.lines, self.size = self.lines, [line], len(line)
            else:
                self.lines.append(line)
                self.size += len(line)
                return
        self._write(batch)

    def flush(self) -> None:
        with self.lock:
            batch, self.lines, self.size = self.lines, [], 0
        self._write(batch)

    def _write(self, batch: list[bytes]) -> None:
        if batch:
            os.write(self.fd, b"".join(batch))

    def _start(self) -> None:
        self.pid = os.getpid()
        self.lines, self.size = [], 0  # a fork's copy of the parent's pending lines is the parent's to write
        threading.Thread(target=self._run, name="access-log-flush", daemon=True).start()
        atexit.register(self.flush)

    def _run(self) -> None:
        while True:
            time.sleep(self.FLUSH_SECONDS)
            self.flush()


class EscapingFormatter(logging.Formatter):
    """The error log's format, control characters in the message escaped (a traceback keeps its lines)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return super().formatMessage(record).translate(_ESCAPES)


class AccessLogger(glogging.Logger):  # type: ignore[misc]  # Gunicorn ships no type hints
    """Gunicorn's logger (error log unchanged but escaped, on stderr) with a cheap structured access line."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        # Gunicorn makes its logger from its own config, not ours: gunicorn.conf.py hands the service's
        # Settings over in on_starting (use_settings), before any worker exists. Until then, the defaults.
        self.use_settings(getattr(self, "_settings", None) or Settings())
        # "-" is stdout: written directly. A file or syslog keeps Gunicorn's logging handlers.
        self._batch = LineBatch(1) if cfg.accesslog == "-" and not cfg.syslog else None
        self._second = -1
        self._stamp = ""
        for handler in self.error_log.handlers:
            handler.setFormatter(EscapingFormatter(self.error_fmt, self.datefmt))

    def use_settings(self, settings: Settings) -> None:
        """LOG_FORMAT and LOG_HEALTHZ, from the Settings gunicorn.conf.py read."""
        self._settings = settings
        self._text = settings.log_format == "text"
        self._log_health = settings.log_healthz

    def _now(self) -> str:
        # Formatting a timestamp is most of a line's cost: do it once a second, add the milliseconds.
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second, self._stamp = second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._stamp}.{int((now - second) * 1000):03d}Z"

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        # Gunicorn calls this on its own error path too, before it writes its error page: never raise.
        try:
            self._access(resp, req, environ, request_time)
        except Exception:
            self.exception("Access log failed")

    def _access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        # Gunicorn's own error responses set only the status line (no status_code).
        status = getattr(resp, "status_code", None) or int(str(resp.status).split(None, 1)[0])
        route = environ.get(ROUTE_KEY, UNMATCHED)
        seconds = request_time.total_seconds()
        metrics.record(req.method, route, status, seconds)
        fault = environ.get(FAULT_KEY)
        if fault is not None:
            metrics.fault(fault)
        if not self.access_log_enabled or (route == HEALTH_ROUTE and not self._log_health):
            return
        path = req.path or ""
        if len(path) > PATH_LIMIT:
            path = path[:PATH_LIMIT] + "..."
        fields = {
            "time": self._now(),
            "method": req.method,
            "route": route,
            "path": path,
            "status": status,
            "bytes": resp.sent,
            "duration_ms": round(seconds * 1000, 3),
            "request_id": environ.get(REQUEST_ID_KEY),
            "client": environ.get("REMOTE_ADDR"),
        }
        if fault is not None:  # /status?fault=: what the wire really carried (service/tester/faults.py)
            fields["fault"] = fault
        if self._text:
            line = (
                f"{fields['time']} {fields['client'] or '-'} {_quote(req.method)} {_quote(path)} {status} "
                f"{resp.sent}B {fields['duration_ms']}ms route={_quote(route)} "
                f"id={fields['request_id'] or '-'}" + (f" fault={fault}" if fault else "")
            )
        else:
            line = _encode(fields)
        if self._batch is not None:
            self._batch.add((line + "\n").encode())
        else:
            self.access_log.info(line)
