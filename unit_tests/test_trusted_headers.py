"""service/pipeline/trusted_headers.py: the shortcut gives what Werkzeug's own Headers gives."""

import pytest
from werkzeug.datastructures import Headers

from service.pipeline.trusted_headers import append_checked, checked, headers_of

PAIRS = [("Vary", "Accept"), ("Requested-Status", "200"), ("Content-Type", "text/plain; charset=utf-8")]


def test_headers_of_equals_werkzeugs_headers() -> None:
    made = headers_of(checked(PAIRS))
    assert made == Headers(PAIRS)
    assert made.to_wsgi_list() == PAIRS
    made.add("X-Later", "1")  # a copy: the checked tuple is never changed
    assert checked(PAIRS) == tuple(PAIRS)


def test_append_checked_equals_add() -> None:
    expected = Headers(PAIRS)
    expected.add("Access-Control-Allow-Origin", "*")
    made = Headers(PAIRS)
    append_checked(made, checked([("Access-Control-Allow-Origin", "*")]))
    assert made == expected
    assert Headers(made) == expected  # get_wsgi_headers' copy accepts the result


def test_checked_refuses_a_newline_as_werkzeug_does() -> None:
    with pytest.raises(ValueError, match="newline"):
        checked([("X-Bad", "a\r\nb")])
