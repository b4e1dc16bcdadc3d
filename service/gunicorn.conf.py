"""Gunicorn's settings for the service, one commented line each; the environment overrides the defaults.

Checked by `gunicorn --check-config --config service/gunicorn.conf.py` in `make lint`.
"""

import ipaddress
import os
from typing import Any

from service import delay_cap, metrics

LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
LOG_FORMATS = ("json", "text")


def _int(name: str, default: int, low: int, high: int) -> int:
    """A whole-number setting from the environment; out of range stops the start with one clear line."""
    raw = os.environ.get(name, str(default))
    if not (raw.isascii() and raw.isdigit() and low <= int(raw) <= high):
        raise SystemExit(f"{name}={raw!r}: expected a whole number from {low} to {high} (default {default})")
    return int(raw)


# The WSGI app comes from the factory, so nothing is built at import time.
wsgi_app = "service.app:create_app()"
# All interfaces inside the container; compose publishes the port on 127.0.0.1 only.
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{_int('PORT', 8000, 1, 65535)}")
# The settings below were chosen with `make bench` (its worker comparison and settings sweep;
# docs/performance.md). gevent, not gthread or sync: each connection is a greenlet, so slow clients,
# delayed requests (`?delay=` sleeps cooperatively) and idle HTTP/2 connections cost kilobytes, not
# threads; measured on one pinned core it served /status/200 faster than the gthread worker this
# service used before. service/worker.py adds a deadline on the first head (408), cleartext HTTP/2
# beside HTTP/1.1, HTTP/2 streams answered side by side, and TLS on the same port (TLS_CERT/TLS_KEY).
worker_class = "service.worker.ServiceWorker"
# Processes: one per core (WEB_CONCURRENCY is the common knob); the views are CPU-light and the GIL
# lets one process use one core. The bench pins the server to one core, so it cannot show scaling.
workers = _int("WEB_CONCURRENCY", 2, 1, 64)
# Connections one worker holds at once (Gunicorn's default), and as many HTTP/2 streams across its
# connections (a stream past that is refused with REFUSED_STREAM, which a client may retry).
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", 1000, 1, 100000)
# Streams one HTTP/2 connection may have open, advertised as SETTINGS_MAX_CONCURRENT_STREAMS and served
# side by side (Gunicorn's default, as nginx's 128 and Envoy's 100 are of the same order).
http2_max_concurrent_streams = 100
# Keep idle keep-alive connections this many seconds, so clients reuse them: with keep-alive off the
# bench measured 12-25% fewer requests/s and a fast-request p99 10x worse beside slow requests.
keepalive = _int("GUNICORN_KEEPALIVE", 5, 0, 300)
# /status may hold a request up to STATUS_MAX_DELAY seconds (10 by default; service/delay_cap.py). Both
# timeouts below stay above it, by default and when set: a graceful stop must let such a request finish
# (cap + 10 s), and a worker busy with one must never be taken for a hung one (cap + 20 s).
try:
    MAX_DELAY = delay_cap.from_environment()
except ValueError as error:
    raise SystemExit(str(error)) from None
# A worker silent for this long is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", max(30, MAX_DELAY + 20), MAX_DELAY + 1, 3600)
# On SIGTERM, in-flight requests get this long to finish before workers are killed.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", max(20, MAX_DELAY + 10), MAX_DELAY + 1, 3600)
# Access lines to stdout, one JSON object per request (LOG_FORMAT=text: one human line), from a logger
# that computes only the fields it writes (service/accesslog.py; Gunicorn's own cost 39% of the CPU on
# /status/200). The error log stays Gunicorn's readable format, on stderr.
logger_class = "service.accesslog.AccessLogger"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
if loglevel not in LOG_LEVELS:
    raise SystemExit(f"GUNICORN_LOGLEVEL={loglevel!r}: expected one of {', '.join(LOG_LEVELS)}")
if os.environ.get("LOG_FORMAT", "json") not in LOG_FORMATS:
    raise SystemExit(f"LOG_FORMAT={os.environ['LOG_FORMAT']!r}: expected one of {', '.join(LOG_FORMATS)}")
if os.environ.get("LOG_HEALTHZ", "0") not in ("0", "1"):
    raise SystemExit(f"LOG_HEALTHZ={os.environ['LOG_HEALTHZ']!r}: expected 0 or 1")
# Checked here, so a bad value stops the start with one clear line (service/metrics.py reads it).
_int("METRICS_PORT", 9100, 0, 65535)
# The worker heartbeat file lives in RAM: the root filesystem is read-only in the container.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - a tmpfs, not a shared temp dir
# HTTP/2 (beta in Gunicorn 27, with the h2 package) beside HTTP/1.1 on the same port. Cleartext with prior
# knowledge only: curl --http2-prior-knowledge and httpx(http1=False, http2=True) speak it, and no
# certificate has to be made or trusted. The worker tells the preface from an HTTP/1.x head, so HTTP/1.1
# (the health check's urllib too) is served as before; Upgrade: h2c is ignored (README "HTTP/2").
http_protocols = "h2,h1"
http2_cleartext = "prior-knowledge"
# Gunicorn accepts h2c only from peers in forwarded_allow_ips, the list that also lets a peer set
# X-Forwarded-Proto and SCRIPT_NAME-style headers. Those two are switched off, so the list grants h2c
# and nothing else: no proxy sits in front, and the app builds no absolute URLs from the scheme.
secure_scheme_headers: dict[str, str] = {}
forwarder_headers = ""


def _attached_networks() -> list[str]:
    """The IPv4 networks this host is directly attached to, read from the kernel's routing table."""
    networks = []
    try:
        with open("/proc/net/route") as routes:
            next(routes)  # the column names
            for line in routes:
                fields = line.split()
                destination, gateway, mask = (int(fields[i], 16) for i in (1, 2, 7))
                if gateway == 0 and mask:  # a link route, not the default route
                    address = ipaddress.IPv4Address(destination.to_bytes(4, "little"))
                    prefix = bin(mask).count("1")
                    networks.append(str(ipaddress.IPv4Network(f"{address}/{prefix}")))
    except (OSError, ValueError, IndexError):
        pass  # no /proc (not Linux): loopback only
    return networks


# Peers that may speak cleartext HTTP/2. "local" (the default): loopback and the networks the host is
# attached to. Measured in the container: a request to the port compose publishes on 127.0.0.1 arrives
# from the Docker network's gateway (172.x.0.1), and the contract-tests container from its own address
# on the same network, so both are in; compose publishes on loopback only, so nobody else can reach it.
# "none" turns HTTP/2 off (HTTP/1.1 only); anything else is a comma-separated list of addresses/networks.
_h2c_peers = os.environ.get("HTTP2_CLEARTEXT_PEERS", "local").strip()
if _h2c_peers == "local":
    forwarded_allow_ips = ",".join(["127.0.0.1", "::1", *_attached_networks()])
elif _h2c_peers == "none":
    forwarded_allow_ips = "127.0.0.1"
    http_protocols, http2_cleartext = "h1", "off"
else:
    try:
        forwarded_allow_ips = ",".join(str(ipaddress.ip_network(p.strip())) for p in _h2c_peers.split(","))
    except ValueError:
        expected = "expected local, none, or addresses/networks, comma-separated"
        raise SystemExit(f"HTTP2_CLEARTEXT_PEERS={_h2c_peers!r}: {expected}") from None
# HTTPS (optional): with both TLS_CERT and TLS_KEY (PEM files), a connection that opens with a TLS
# ClientHello is served TLS with ALPN h2 and http/1.1 on the same port, and cleartext stays as it is
# (service/worker.py says why one port). `make tls-cert` makes a self-signed pair for trying it.
_tls_cert, _tls_key = os.environ.get("TLS_CERT", ""), os.environ.get("TLS_KEY", "")
if bool(_tls_cert) != bool(_tls_key):
    raise SystemExit("TLS_CERT and TLS_KEY: give both (PEM certificate and key files) or neither")
for _name, _path in (("TLS_CERT", _tls_cert), ("TLS_KEY", _tls_key)):
    if _path and not os.access(_path, os.R_OK):
        raise SystemExit(f"{_name}={_path!r}: expected a readable PEM file")
TLS_FILES = (_tls_cert, _tls_key) if _tls_cert else None
# No runtime control socket (gunicornc): nothing uses it, and its default path is under $HOME, which the
# container cannot write (Gunicorn 27 logged "Control server error: Read-only file system" at every boot).
control_socket_disable = True


# Prometheus metrics (service/metrics.py), served by the master on METRICS_PORT (0: off). Each hook runs
# where prometheus-client's multiprocess mode needs it: the directory before any worker exists, the
# server once the master is ready, a dead worker's live gauges dropped by the master.
def on_starting(server: Any) -> None:
    metrics.prepare()


def when_ready(server: Any) -> None:
    metrics.serve(server)


def post_fork(server: Any, worker: Any) -> None:
    metrics.start_worker()
    if TLS_FILES:
        worker.tls_files = TLS_FILES


def pre_request(worker: Any, req: Any) -> None:
    metrics.request_started()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    metrics.request_finished()


def child_exit(server: Any, worker: Any) -> None:
    metrics.worker_exited(worker.pid)


def on_exit(server: Any) -> None:
    metrics.cleanup()
