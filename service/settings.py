"""The service's settings: every environment variable it reads, read and bounded here, once.

Settings.from_environment() reads them; a value out of bounds raises SettingsError with one line naming
the variable and its range, which gunicorn.conf.py turns into a stopped start. gunicorn.conf.py and
create_app(settings) both take the one object, so a unit test builds the app with Settings(...) and no
environment at all. Nothing else in service/ reads os.environ (export() is the one write, for
prometheus-client, which reads its directory from the environment).
"""

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from service.tester.sequences import parse_url

STATUS_MAX_DELAY_CEILING = 600  # ten minutes: above common gateway timeouts (60-300 s), still a bound
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
LOG_FORMATS = ("json", "text")
SEQUENCE_TTL_BOUNDS = (1, 86_400)  # a second to a day
SEQUENCE_MAX_KEYS_BOUNDS = (1, 1_000_000)
H2C_EXPECTED = "expected local, none, or addresses/networks, comma-separated"
HOSTS_EXPECTED = "expected up to 20 host names (no scheme, port or path), comma-separated"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*")  # a DNS name, or an IPv4 address


class SettingsError(ValueError):
    """A setting out of its bounds; the message is one line naming the variable and its range."""


def _whole(name: str, value: object, low: int, high: int, default: int, unit: str = "") -> int:
    raw = str(value)
    if not (raw.isascii() and raw.isdigit() and low <= int(raw) <= high):
        if unit:  # STATUS_MAX_DELAY's wording, which the docs and tests quote
            raise SettingsError(f"{name}={raw!r}: expected a whole number of {unit} from {low} to {high}")
        raise SettingsError(
            f"{name}={raw!r}: expected a whole number from {low} to {high} (default {default})"
        )
    return int(raw)


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise SettingsError(f"{name}={value!r}: expected one of {', '.join(allowed)}")
    return value


def h2c_peers(value: str) -> str:
    """HTTP2_CLEARTEXT_PEERS normalised: "local", "none", or the networks, comma-separated."""
    value = value.strip()
    if value in ("local", "none"):
        return value
    try:
        return ",".join(str(ipaddress.ip_network(part.strip())) for part in value.split(","))
    except ValueError:
        raise SettingsError(f"HTTP2_CLEARTEXT_PEERS={value!r}: {H2C_EXPECTED}") from None


def redirect_hosts(value: str) -> tuple[str, ...]:
    """REDIRECT_ALLOWED_HOSTS as lower-case host names: at most 20, each a DNS name or an IP address."""
    hosts = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    if len(hosts) > 20 or not all(_HOSTNAME.fullmatch(host) for host in hosts):
        raise SettingsError(f"REDIRECT_ALLOWED_HOSTS={value!r}: {HOSTS_EXPECTED}")
    return hosts


@dataclass(frozen=True)
class Settings:
    """The service's settings, checked when made; the defaults are the documented ones (README)."""

    port: int = 8000  # PORT
    bind: str = ""  # GUNICORN_BIND; "" means 0.0.0.0:<port>
    workers: int = 2  # WEB_CONCURRENCY
    worker_connections: int = 1000  # GUNICORN_WORKER_CONNECTIONS: connections (and HTTP/2 streams)
    keepalive: int = 5  # GUNICORN_KEEPALIVE
    timeout: int | None = None  # GUNICORN_TIMEOUT; None: max(30, status_max_delay + 20)
    graceful_timeout: int | None = None  # GUNICORN_GRACEFUL_TIMEOUT; None: max(20, status_max_delay + 10)
    loglevel: str = "info"  # GUNICORN_LOGLEVEL
    h2c_peers: str = "local"  # HTTP2_CLEARTEXT_PEERS
    status_max_delay: int = 10  # STATUS_MAX_DELAY: the longest /status?delay=, whole seconds
    replica_header: bool = False  # INSTANCE_HEADER: every answer names the replica (X-Instance)
    log_format: str = "json"  # LOG_FORMAT
    metrics_port: int = 9100  # METRICS_PORT; 0 turns metrics off
    metrics_dir: str | None = None  # PROMETHEUS_MULTIPROC_DIR; None: a fresh directory under /dev/shm
    log_healthz: bool = False  # LOG_HEALTHZ: /healthz requests get access lines too
    tls_cert: str = ""  # TLS_CERT: a PEM certificate; with tls_key, the port also answers TLS
    tls_key: str = ""  # TLS_KEY: its PEM private key
    state_url: str = ""  # STATE_URL: where /status?sequence= counts; "" is SQLite in a fresh /dev/shm dir
    sequence_ttl: int = 600  # SEQUENCE_TTL: seconds a sequence key may stay idle
    sequence_max_keys: int = 10_000  # SEQUENCE_MAX_KEYS: sequence keys alive at once
    redirect_hosts: tuple[str, ...] = ()  # REDIRECT_ALLOWED_HOSTS: other hosts /redirect-to may send to

    def __post_init__(self) -> None:
        # The same bounds as from_environment(), so Settings(...) in a test cannot be out of them either.
        _whole("PORT", self.port, 1, 65535, 8000)
        _whole("WEB_CONCURRENCY", self.workers, 1, 64, 2)
        _whole("GUNICORN_WORKER_CONNECTIONS", self.worker_connections, 1, 100000, 1000)
        _whole("GUNICORN_KEEPALIVE", self.keepalive, 0, 300, 5)
        cap = _whole("STATUS_MAX_DELAY", self.status_max_delay, 0, STATUS_MAX_DELAY_CEILING, 10, "seconds")
        # Both timeouts stay above the cap: a graceful stop must let a delayed request finish, and a
        # worker busy with one must never be taken for a hung one.
        if self.timeout is None:
            object.__setattr__(self, "timeout", max(30, cap + 20))
        if self.graceful_timeout is None:
            object.__setattr__(self, "graceful_timeout", max(20, cap + 10))
        _whole("GUNICORN_TIMEOUT", self.timeout, cap + 1, 3600, max(30, cap + 20))
        _whole("GUNICORN_GRACEFUL_TIMEOUT", self.graceful_timeout, cap + 1, 3600, max(20, cap + 10))
        _one_of("GUNICORN_LOGLEVEL", self.loglevel, LOG_LEVELS)
        _one_of("LOG_FORMAT", self.log_format, LOG_FORMATS)
        _whole("METRICS_PORT", self.metrics_port, 0, 65535, 9100)
        object.__setattr__(self, "h2c_peers", h2c_peers(self.h2c_peers))
        if bool(self.tls_cert) != bool(self.tls_key):
            raise SettingsError("TLS_CERT and TLS_KEY: give both (PEM certificate and key files) or neither")
        for name, path in (("TLS_CERT", self.tls_cert), ("TLS_KEY", self.tls_key)):
            if path and not os.access(path, os.R_OK):
                raise SettingsError(f"{name}={path!r}: expected a readable PEM file")
        _whole("SEQUENCE_TTL", self.sequence_ttl, *SEQUENCE_TTL_BOUNDS, 600)
        _whole("SEQUENCE_MAX_KEYS", self.sequence_max_keys, *SEQUENCE_MAX_KEYS_BOUNDS, 10_000)
        if self.state_url:
            try:
                parse_url(self.state_url)
            except ValueError as error:
                raise SettingsError(str(error)) from None
        if not self.bind:
            object.__setattr__(self, "bind", f"0.0.0.0:{self.port}")
        object.__setattr__(self, "redirect_hosts", redirect_hosts(",".join(self.redirect_hosts)))

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Every variable the service reads, from the environment (or the mapping given); SettingsError
        with one line naming the variable and its range on a bad value."""
        env = os.environ if environ is None else environ
        cap = _whole(
            "STATUS_MAX_DELAY", env.get("STATUS_MAX_DELAY", "10"), 0, STATUS_MAX_DELAY_CEILING, 10, "seconds"
        )

        def _int(name: str, default: int, low: int, high: int) -> int:
            return _whole(name, env.get(name, str(default)), low, high, default)

        def _flag(name: str, value: str) -> bool:
            if value not in ("0", "1"):
                raise SettingsError(f"{name}={value!r}: expected 0 or 1")
            return value == "1"

        instance = env.get("INSTANCE_HEADER", "0")
        if instance not in ("0", "1"):
            raise SettingsError(f"INSTANCE_HEADER must be 0 (off, the default) or 1 (on), not {instance!r}")
        return cls(
            port=_int("PORT", 8000, 1, 65535),
            bind=env.get("GUNICORN_BIND", ""),
            workers=_int("WEB_CONCURRENCY", 2, 1, 64),
            worker_connections=_int("GUNICORN_WORKER_CONNECTIONS", 1000, 1, 100000),
            keepalive=_int("GUNICORN_KEEPALIVE", 5, 0, 300),
            timeout=_int("GUNICORN_TIMEOUT", max(30, cap + 20), cap + 1, 3600),
            graceful_timeout=_int("GUNICORN_GRACEFUL_TIMEOUT", max(20, cap + 10), cap + 1, 3600),
            loglevel=env.get("GUNICORN_LOGLEVEL", "info"),
            h2c_peers=env.get("HTTP2_CLEARTEXT_PEERS", "local"),
            status_max_delay=cap,
            replica_header=instance == "1",
            log_format=env.get("LOG_FORMAT", "json"),
            metrics_port=_int("METRICS_PORT", 9100, 0, 65535),
            metrics_dir=env.get("PROMETHEUS_MULTIPROC_DIR") or None,
            log_healthz=_flag("LOG_HEALTHZ", env.get("LOG_HEALTHZ", "0")),
            tls_cert=env.get("TLS_CERT", ""),
            tls_key=env.get("TLS_KEY", ""),
            state_url=env.get("STATE_URL", ""),
            sequence_ttl=_int("SEQUENCE_TTL", 600, *SEQUENCE_TTL_BOUNDS),
            sequence_max_keys=_int("SEQUENCE_MAX_KEYS", 10_000, *SEQUENCE_MAX_KEYS_BOUNDS),
            redirect_hosts=redirect_hosts(env.get("REDIRECT_ALLOWED_HOSTS", "")),
        )


def export(name: str, value: str) -> None:
    """Set a variable for a library that reads only the environment (prometheus-client's directory)."""
    os.environ[name] = value
