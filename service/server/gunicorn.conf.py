"""Gunicorn's settings for the service, one commented line each, from the service's Settings.

The environment is read (and bounded) in service/settings.py: a bad value stops the start here with
one line naming the variable and its range. Checked by
`gunicorn --check-config --config service/server/gunicorn.conf.py` in `make lint`.
"""

import ipaddress
from typing import Any

from service.server import metrics
from service.server.accesslog import AccessLogger
from service.settings import Settings, SettingsError
from service.tester import sequences

try:
    SETTINGS = Settings.from_environment()
except SettingsError as error:
    raise SystemExit(str(error)) from None

# The settings are read here, once, and handed down: to the access log and the sequence store
# (on_starting), and to each worker, which builds the app with create_app(SETTINGS) (post_fork,
# service/server/worker.py). wsgi_app names the same factory for `gunicorn --check-config`.
wsgi_app = "service.app:create_app()"
# All interfaces inside the container (PORT); compose publishes the port on 127.0.0.1 only.
bind = SETTINGS.bind
# The settings below were chosen with `make bench` (its worker comparison and settings sweep;
# docs/performance.md). gevent, not gthread or sync: each connection is a greenlet, so slow clients,
# delayed requests (`?delay=` sleeps cooperatively) and idle HTTP/2 connections cost kilobytes, not
# threads, and an HTTP/2 connection's streams are answered side by side. service/server/worker.py adds
# a deadline on the first head (408), cleartext HTTP/2 beside HTTP/1.1, and TLS on the same port.
worker_class = "service.server.worker.ServiceWorker"
# Processes: one per core (WEB_CONCURRENCY is the common knob); the views are CPU-light and the GIL
# lets one process use one core. The bench pins the server to one core, so it cannot show scaling.
workers = SETTINGS.workers
# Connections one worker holds at once (Gunicorn's default), and as many HTTP/2 streams across its
# connections (a stream past that is refused with REFUSED_STREAM, which a client may retry).
worker_connections = SETTINGS.worker_connections
# Streams one HTTP/2 connection may have open, advertised as SETTINGS_MAX_CONCURRENT_STREAMS and served
# side by side (Gunicorn's default; nginx's 128 and Envoy's 100 are of the same order).
http2_max_concurrent_streams = 100
# Keep idle keep-alive connections this many seconds, so clients reuse them: with keep-alive off the
# bench measured fewer requests/s and a far worse fast-request p99 beside slow requests
# (docs/performance.md, "Figures moved out of the code").
keepalive = SETTINGS.keepalive
# /status may hold a request up to STATUS_MAX_DELAY seconds (10 by default). Both timeouts below stay
# above it, by default and when set (service/settings.py bounds them): a graceful stop must let such a
# request finish (cap + 10 s), and a worker busy with one must never be taken for a hung one (cap + 20 s).
# A worker silent for this long is killed and replaced.
timeout = SETTINGS.timeout
# On SIGTERM, in-flight requests get this long to finish before workers are killed.
graceful_timeout = SETTINGS.graceful_timeout
# Access lines to stdout, one JSON object per request (LOG_FORMAT=text: one human line), from a logger
# that computes only the fields it writes (service/server/accesslog.py; Gunicorn's own was the largest
# share of /status/200's CPU: docs/performance.md). The error log stays Gunicorn's readable format.
logger_class = AccessLogger
accesslog = "-"
errorlog = "-"
loglevel = SETTINGS.loglevel
# The worker heartbeat file lives in RAM: the root filesystem is read-only in the container.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - a tmpfs, not a shared temp dir
# HTTP/2 (beta in Gunicorn 27, with the h2 package) beside HTTP/1.1 on the same port. Cleartext with prior
# knowledge only: curl --http2-prior-knowledge and httpx(http1=False, http2=True) speak it, and no
# certificate has to be made or trusted. The worker tells the preface from an HTTP/1.x head, so HTTP/1.1
# (the health check too) is served as before; Upgrade: h2c is ignored (docs/http2-and-1xx.md).
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
# (HTTP2_CLEARTEXT_PEERS, checked and normalised in service/settings.py.)
if SETTINGS.h2c_peers == "local":
    forwarded_allow_ips = ",".join(["127.0.0.1", "::1", *_attached_networks()])
elif SETTINGS.h2c_peers == "none":
    forwarded_allow_ips = "127.0.0.1"
    http_protocols, http2_cleartext = "h1", "off"
else:
    forwarded_allow_ips = SETTINGS.h2c_peers
# No runtime control socket (gunicornc): nothing uses it, and its default path is under $HOME, which the
# container cannot write (Gunicorn 27 logged "Control server error: Read-only file system" at every boot).
control_socket_disable = True


# Prometheus metrics (service/server/metrics.py), served by the master on METRICS_PORT (0: off). Each hook
# runs where prometheus-client's multiprocess mode needs it: the directory before any worker exists, the
# server once the master is ready, a dead worker's live gauges dropped by the master.
def on_starting(server: Any) -> None:
    # LOG_FORMAT and LOG_HEALTHZ (service/server/accesslog.py); `--logger-class` may name another logger
    # (make bench compares Gunicorn's stock one), which has no such settings.
    if isinstance(server.log, AccessLogger):
        server.log.use_settings(SETTINGS)
    metrics.configure(SETTINGS)
    metrics.prepare()
    # /status?sequence= counters (service/tester/sequences.py), chosen before any worker exists: unset
    # STATE_URL, one SQLite file on /dev/shm that every worker forked from here shares; redis://..., the
    # replicas share them too.
    sequences.choose(SETTINGS.state_url, sequences.Limits(SETTINGS.sequence_ttl, SETTINGS.sequence_max_keys))


def when_ready(server: Any) -> None:
    metrics.serve(server)


def post_fork(server: Any, worker: Any) -> None:
    metrics.start_worker()
    # The worker builds the app with them (create_app(SETTINGS)), and its TLS context (TLS_CERT/TLS_KEY)
    # once gevent has patched the process (service/server/worker.py says why one port).
    worker.settings = SETTINGS


def pre_request(worker: Any, req: Any) -> None:
    metrics.request_started()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    metrics.request_finished()


def child_exit(server: Any, worker: Any) -> None:
    metrics.worker_exited(worker.pid)


def on_exit(server: Any) -> None:
    metrics.cleanup()
    sequences.cleanup()
