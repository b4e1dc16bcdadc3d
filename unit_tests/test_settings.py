"""service/settings.py: every variable's default, its bounds, and the one line a bad value gets."""

import pytest

from service.settings import Settings, SettingsError

DEFAULTS = Settings()


def test_the_environment_left_empty_gives_the_documented_defaults() -> None:
    settings = Settings.from_environment({})
    assert settings == DEFAULTS
    assert (settings.bind, settings.workers, settings.worker_connections, settings.keepalive) == (
        "0.0.0.0:8000",
        2,
        1000,
        5,
    )
    assert (settings.timeout, settings.graceful_timeout, settings.status_max_delay) == (30, 20, 10)
    assert (settings.loglevel, settings.log_format, settings.h2c_peers) == ("info", "json", "local")
    assert (settings.metrics_port, settings.metrics_dir, settings.replica_header) == (9100, None, False)
    assert (settings.log_healthz, settings.tls_cert, settings.tls_key) == (False, "", "")


@pytest.mark.parametrize(("raw", "cap"), [("0", 0), ("10", 10), ("300", 300), ("600", 600)])
def test_the_cap_is_read_from_the_environment(raw: str, cap: int) -> None:
    assert Settings.from_environment({"STATUS_MAX_DELAY": raw}).status_max_delay == cap


@pytest.mark.parametrize(("cap", "timeout", "graceful"), [(0, 30, 20), (10, 30, 20), (120, 140, 130)])
def test_gunicorns_timeouts_follow_a_large_cap(cap: int, timeout: int, graceful: int) -> None:
    settings = Settings(status_max_delay=cap)
    assert (settings.timeout, settings.graceful_timeout) == (timeout, graceful)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        *(
            (
                {"STATUS_MAX_DELAY": raw},
                r"STATUS_MAX_DELAY=.*: expected a whole number of seconds from 0 to 600",
            )
            for raw in ["601", "-1", "1.5", "1e2", "", " 5", "ten", "٣"]
        ),
        ({"PORT": "0"}, "PORT='0': expected a whole number from 1 to 65535 (default 8000)"),
        ({"WEB_CONCURRENCY": "65"}, "WEB_CONCURRENCY='65': expected a whole number from 1 to 64"),
        (
            {"GUNICORN_WORKER_CONNECTIONS": "0"},
            "GUNICORN_WORKER_CONNECTIONS='0': expected a whole number from 1 to 100000",
        ),
        ({"LOG_HEALTHZ": "yes"}, "LOG_HEALTHZ='yes': expected 0 or 1"),
        ({"TLS_CERT": "/etc/hostname"}, "TLS_CERT and TLS_KEY: give both"),
        ({"TLS_CERT": "/no/such.pem", "TLS_KEY": "/no/such.key"}, "TLS_CERT='/no/such.pem': expected a"),
        ({"GUNICORN_KEEPALIVE": "301"}, "GUNICORN_KEEPALIVE='301': expected a whole number from 0 to 300"),
        (
            {"STATUS_MAX_DELAY": "60", "GUNICORN_GRACEFUL_TIMEOUT": "30"},
            "GUNICORN_GRACEFUL_TIMEOUT='30': expected a whole number from 61 to 3600",
        ),
        ({"GUNICORN_TIMEOUT": "10"}, "GUNICORN_TIMEOUT='10': expected a whole number from 11 to 3600"),
        ({"GUNICORN_LOGLEVEL": "loud"}, "GUNICORN_LOGLEVEL='loud': expected one of debug, info, warning"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT='xml': expected one of json, text"),
        ({"METRICS_PORT": "70000"}, "METRICS_PORT='70000': expected a whole number from 0 to 65535"),
        ({"HTTP2_CLEARTEXT_PEERS": "somewhere"}, "HTTP2_CLEARTEXT_PEERS='somewhere': expected local, none"),
        ({"INSTANCE_HEADER": "yes"}, "INSTANCE_HEADER='yes': expected 0 or 1"),
        *(
            ({"REDIRECT_ALLOWED_HOSTS": raw}, f"REDIRECT_ALLOWED_HOSTS={raw!r}: expected up to 20 host names")
            for raw in ["http://a.test", "a.test:80", "a.test/x", "*.a.test", "a..test", ",".join(["h"] * 21)]
        ),
    ],
)
def test_a_bad_value_is_refused_with_the_variable_and_its_range(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message if "=.*" in message else None) as raised:
        Settings.from_environment(env)
    assert "\n" not in str(raised.value)
    if "=.*" not in message:
        assert message in str(raised.value)


def test_settings_made_in_code_are_held_to_the_same_bounds() -> None:
    with pytest.raises(SettingsError, match="STATUS_MAX_DELAY='601'"):
        Settings(status_max_delay=601)
    with pytest.raises(SettingsError, match="GUNICORN_TIMEOUT='5'"):
        Settings(status_max_delay=10, timeout=5)


def test_peers_are_normalised_networks() -> None:
    peers = Settings.from_environment({"HTTP2_CLEARTEXT_PEERS": " 10.0.0.0/8, 192.168.1.7 "}).h2c_peers
    assert peers == "10.0.0.0/8,192.168.1.7/32"
    assert Settings(h2c_peers="none").h2c_peers == "none"


def test_a_bind_given_wins_over_the_port() -> None:
    settings = Settings.from_environment({"GUNICORN_BIND": "127.0.0.1:9000", "PORT": "8001"})
    assert settings.bind == "127.0.0.1:9000"
    assert Settings.from_environment({"PORT": "8001"}).bind == "0.0.0.0:8001"


def test_redirect_hosts_are_lower_case_names() -> None:
    found = Settings.from_environment({"REDIRECT_ALLOWED_HOSTS": " Example.COM,127.0.0.1 ,"}).redirect_hosts
    assert found == ("example.com", "127.0.0.1")
    assert Settings.from_environment({}).redirect_hosts == ()
