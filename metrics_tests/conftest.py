"""Fixtures for the metrics suite: the service (the kit's `base_url`, a bounded wait for /healthz)."""

pytest_plugins = ["testkit.plugin"]
