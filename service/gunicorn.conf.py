"""Gunicorn's settings for the service, one commented line each; the environment overrides the defaults.

Checked by `gunicorn --check-config --config service/gunicorn.conf.py` in `make lint`.
"""

import os

# The WSGI app comes from the factory, so nothing is built at import time.
wsgi_app = "service.app:create_app()"
# All interfaces inside the container; compose publishes the port on 127.0.0.1 only.
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# gthread, not sync: a sync worker is held by one connection for its whole life, so a slow client or a
# slow (delayed) endpoint blocks it, and it cannot keep connections alive. Threads let a worker wait on
# slow peers while others are served, with no async rewrite of the app. It is gthread with one change
# (service/worker.py): a connection gets a thread only once its request head is in, so clients that
# dribble their headers cannot hold every thread.
worker_class = "service.worker.HeadFirstWorker"
# Processes: one per core is the usual start for CPU-light views (WEB_CONCURRENCY is the common knob).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads per worker: how many requests (slow ones included) one process can hold at once.
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Keep idle keep-alive connections this many seconds, so clients reuse them.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A worker silent for this long is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM, in-flight requests get this long to finish before workers are killed.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
# Access and error logs to stdout/stderr: the container runtime collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Client, request line, status, response bytes, duration in microseconds.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus'
# The worker heartbeat file lives in RAM: the root filesystem is read-only in the container.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - a tmpfs, not a shared temp dir
# Forwarded headers are trusted only from the local host (no proxy sits in front by default).
forwarded_allow_ips = "127.0.0.1"
# No runtime control socket (gunicornc): nothing uses it, and its default path is under $HOME, which the
# container cannot write (Gunicorn 27 logged "Control server error: Read-only file system" at every boot).
control_socket_disable = True
