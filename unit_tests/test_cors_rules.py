"""service/pipeline/cors.py's input rule in-process: which Access-Control-Request-Headers are echoed."""

import pytest

from service.pipeline.cors import allowed_headers

CASES = [
    pytest.param("X-Custom", "x-custom", id="one"),
    pytest.param("x-a, Content-Type ,x-b", "x-a, content-type, x-b", id="several-trimmed"),
    pytest.param("", "", id="empty"),
    pytest.param("x-a,,x-b", "x-a, x-b", id="empty-member"),
    pytest.param("bad header", None, id="space"),
    pytest.param("x-\u00e9", None, id="non-ascii"),
    pytest.param("x-a\r\nset-cookie: a=b", None, id="crlf"),
    pytest.param("x" * 65, None, id="name-too-long"),
    pytest.param(",".join(f"x-{n}" for n in range(20)), ", ".join(f"x-{n}" for n in range(20)), id="twenty"),
    pytest.param(",".join(f"x-{n}" for n in range(21)), None, id="twenty-one"),
]


@pytest.mark.parametrize(("requested", "echoed"), CASES)
def test_allowed_headers(requested: str, echoed: str | None) -> None:
    assert allowed_headers(requested) == echoed
