"""The service's settings: every environment variable it reads, declared once with its default and bounds.

Each field of Settings names its variable, default and bounds in one place (`_var`); from_environment()
reads the variables it names, and the same checks run on a Settings made in code, so a unit test builds
the app with Settings(...) and no environment at all. A value out of bounds raises SettingsError with
one line naming the variable and its range, which gunicorn.conf.py turns into a stopped start.

Read once per process, by one caller, and handed down: under Gunicorn, service/server/gunicorn.conf.py
reads them in the master and hands them to the access log, the sequence store and (through the worker)
create_app(settings); create_app() with no argument reads them itself, for `flask run` and tests. Nothing
else in service/ reads os.environ (export() is the one write, for prometheus-client, which reads its
directory from the environment).
"""

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

STATUS_MAX_DELAY_CEILING = 600  # ten minutes: above common gateway timeouts (60-300 s), still a bound
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
LOG_FORMATS = ("json", "text")
H2C_EXPECTED = "expected local, none, or addresses/networks, comma-separated"
STATE_URL_EXPECTED = (
    "expected redis://host:port/db, rediss://..., unix:///path.sock, or "
    "sqlite:////absolute/path.sqlite3 (unset: SQLite on /dev/shm)"
)
HOSTS_EXPECTED = "expected up to 20 host names (no scheme, port or path), comma-separated"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*")  # a DNS name, or an IPv4 address


class SettingsError(ValueError):
    """A setting out of its bounds; the message is one line naming the variable and its range."""


def _var(env: str, default: Any, bounds: tuple[int, int] | tuple[str, ...] | None = None) -> Any:
    """A field read from the variable `env`: its default, and its bounds (whole numbers low-high, or the
    allowed words); the kind (int, bool, str) is the field's annotation."""
    return field(default=default, metadata={"env": env, "bounds": bounds})


def _whole(name: str, value: object, low: int, high: int, default: object = None, unit: str = "") -> int:
    raw = str(value)
    if not (raw.isascii() and raw.isdigit() and low <= int(raw) <= high):
        if unit:  # STATUS_MAX_DELAY's wording, which the docs and tests quote
            raise SettingsError(f"{name}={raw!r}: expected a whole number of {unit} from {low} to {high}")
        raise SettingsError(
            f"{name}={raw!r}: expected a whole number from {low} to {high} (default {default})"
        )
    return int(raw)


def _is_whole(bounds: object) -> bool:
    return isinstance(bounds, tuple) and len(bounds) == 2 and isinstance(bounds[0], int)


def state_kind(url: str) -> str:
    """STATE_URL -> "redis" or "sqlite"; SettingsError naming the forms it accepts."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return "redis"
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        return "sqlite"
    raise SettingsError(f"STATE_URL={url!r}: {STATE_URL_EXPECTED}")


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

    port: int = _var("PORT", 8000, (1, 65535))
    bind: str = _var("GUNICORN_BIND", "")  # "" means 0.0.0.0:<port>
    workers: int = _var("WEB_CONCURRENCY", 2, (1, 64))
    # Connections one worker holds at once, and as many HTTP/2 streams across them.
    worker_connections: int = _var("GUNICORN_WORKER_CONNECTIONS", 1000, (1, 100_000))
    keepalive: int = _var("GUNICORN_KEEPALIVE", 5, (0, 300))
    # Both timeouts stay above the delay cap (their bounds start there): a graceful stop must let a
    # delayed request finish, and a worker busy with one must never be taken for a hung one. None: the
    # default, max(30, cap + 20) and max(20, cap + 10).
    timeout: int | None = _var("GUNICORN_TIMEOUT", None, (0, 3600))
    graceful_timeout: int | None = _var("GUNICORN_GRACEFUL_TIMEOUT", None, (0, 3600))
    loglevel: str = _var("GUNICORN_LOGLEVEL", "info", LOG_LEVELS)
    h2c_peers: str = _var("HTTP2_CLEARTEXT_PEERS", "local")
    # The longest /status?delay=, whole seconds.
    status_max_delay: int = _var("STATUS_MAX_DELAY", 10, (0, STATUS_MAX_DELAY_CEILING))
    replica_header: bool = _var("INSTANCE_HEADER", False)  # every answer names the replica (X-Instance)
    log_format: str = _var("LOG_FORMAT", "json", LOG_FORMATS)
    metrics_port: int = _var("METRICS_PORT", 9100, (0, 65535))  # 0 turns metrics off
    # None: a fresh directory under /dev/shm.
    metrics_dir: str | None = _var("PROMETHEUS_MULTIPROC_DIR", None)
    log_healthz: bool = _var("LOG_HEALTHZ", False)  # /healthz requests get access lines too
    tls_cert: str = _var("TLS_CERT", "")  # a PEM certificate; with tls_key, the port also answers TLS
    tls_key: str = _var("TLS_KEY", "")
    state_url: str = _var("STATE_URL", "")  # where /status?sequence= counts; "": SQLite in /dev/shm
    sequence_ttl: int = _var("SEQUENCE_TTL", 600, (1, 86_400))  # seconds a key may stay idle
    sequence_max_keys: int = _var("SEQUENCE_MAX_KEYS", 10_000, (1, 1_000_000))  # keys alive at once
    # Other hosts /redirect-to may send to, besides this origin (never an open redirect).
    redirect_hosts: tuple[str, ...] = _var("REDIRECT_ALLOWED_HOSTS", ())

    def __post_init__(self) -> None:
        # The cap first: both timeouts' defaults and lower bounds follow it.
        cap = _whole("STATUS_MAX_DELAY", self.status_max_delay, 0, STATUS_MAX_DELAY_CEILING, unit="seconds")
        object.__setattr__(self, "status_max_delay", cap)
        defaults = {"timeout": max(30, cap + 20), "graceful_timeout": max(20, cap + 10)}
        for spec in fields(self):
            name, bounds = spec.metadata["env"], spec.metadata["bounds"]
            value = getattr(self, spec.name)
            if spec.name == "status_max_delay":
                continue  # checked above
            if spec.name in defaults:
                default = defaults[spec.name]
                checked = _whole(name, default if value is None else value, cap + 1, bounds[1], default)
                object.__setattr__(self, spec.name, checked)
            elif _is_whole(bounds):
                low, high = bounds
                object.__setattr__(self, spec.name, _whole(name, value, low, high, spec.default))
            elif bounds and value not in bounds:
                raise SettingsError(f"{name}={value!r}: expected one of {', '.join(bounds)}")
        object.__setattr__(self, "h2c_peers", h2c_peers(self.h2c_peers))
        if bool(self.tls_cert) != bool(self.tls_key):
            raise SettingsError("TLS_CERT and TLS_KEY: give both (PEM certificate and key files) or neither")
        for name, path in (("TLS_CERT", self.tls_cert), ("TLS_KEY", self.tls_key)):
            if path and not os.access(path, os.R_OK):
                raise SettingsError(f"{name}={path!r}: expected a readable PEM file")
        if self.state_url:
            state_kind(self.state_url)
        if not self.bind:
            object.__setattr__(self, "bind", f"0.0.0.0:{self.port}")
        object.__setattr__(self, "redirect_hosts", redirect_hosts(",".join(self.redirect_hosts)))

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Every variable the service reads, from the environment (or the mapping given); SettingsError
        with one line naming the variable and its range on a bad value."""
        env = os.environ if environ is None else environ
        given: dict[str, Any] = {}
        for spec in fields(cls):
            raw = env.get(spec.metadata["env"])
            if raw is None:
                continue
            if isinstance(spec.default, bool):
                if raw not in ("0", "1"):
                    raise SettingsError(f"{spec.metadata['env']}={raw!r}: expected 0 or 1")
                given[spec.name] = raw == "1"
            elif spec.name == "redirect_hosts":
                given[spec.name] = redirect_hosts(raw)
            else:  # a whole number is checked (and converted) with its bounds in __post_init__
                given[spec.name] = raw or spec.default if not _is_whole(spec.metadata["bounds"]) else raw
        return cls(**given)


def export(name: str, value: str) -> None:
    """Set a variable for a library that reads only the environment (prometheus-client's directory)."""
    os.environ[name] = value
