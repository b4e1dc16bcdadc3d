"""INSTANCE_HEADER: off by default, X-Instance with the host's name when on, a start-time error otherwise."""

import socket

import pytest

from service.app import create_app
from service.settings import Settings, SettingsError

PATHS = ["/healthz", "/status/503", "/no-such-page"]


def test_off_by_default_no_response_names_its_host() -> None:
    client = create_app(Settings()).test_client()
    for path in PATHS:
        assert "X-Instance" not in client.get(path).headers


@pytest.mark.parametrize("path", PATHS)
def test_on_every_response_names_this_host(path: str) -> None:
    client = create_app(Settings(replica_header=True)).test_client()
    assert client.get(path).headers["X-Instance"] == socket.gethostname()


def test_the_environment_turns_it_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSTANCE_HEADER", "1")
    assert create_app().test_client().get("/healthz").headers["X-Instance"] == socket.gethostname()


@pytest.mark.parametrize("value", ["yes", "true", "2", ""])
def test_any_other_value_stops_the_app_at_creation(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("INSTANCE_HEADER", value)
    with pytest.raises(SettingsError, match=r"INSTANCE_HEADER=.*: expected 0 or 1"):
        create_app()
