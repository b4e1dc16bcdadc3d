"""A pytest plugin whose fixtures stand in for pytest-httpbin's, served by this service under Gunicorn."""

import pytest

from pytest_status_codes.server import SecureServer, Server

# pytest-httpbin's two markers, under the same names.
use_class_based_httpbin = pytest.mark.usefixtures("class_based_httpbin")
use_class_based_httpbin_secure = pytest.mark.usefixtures("class_based_httpbin_secure")

__all__ = ["SecureServer", "Server", "use_class_based_httpbin", "use_class_based_httpbin_secure"]
