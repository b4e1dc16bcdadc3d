"""Compression: /gzip, /deflate, /brotli and /zstd send JSON in their coding, as httpbin does.

Each body is decoded here by the coding's own library (zlib for gzip and deflate, RFC 1952 and 1950;
PyPI brotli for br, RFC 7932; PyPI zstandard for zstd, RFC 8878) from the raw bytes on the wire, so
the test holds whether or not the HTTP client would have decoded it.
"""

import gzip
import json
import zlib
from collections.abc import Callable

import brotli
import httpx
import pytest
import zstandard

pytestmark = pytest.mark.both_protocols

CODINGS: list[tuple[str, str, str, Callable[[bytes], bytes]]] = [
    ("/gzip", "gzip", "gzipped", gzip.decompress),
    ("/deflate", "deflate", "deflated", zlib.decompress),
    ("/brotli", "br", "brotli", brotli.decompress),
    ("/zstd", "zstd", "zstd", lambda data: zstandard.ZstdDecompressor().decompress(data)),
]


@pytest.mark.parametrize(("path", "coding", "key", "decode"), CODINGS)
def test_the_body_is_json_in_its_coding(
    client: httpx.Client, path: str, coding: str, key: str, decode: Callable[[bytes], bytes]
) -> None:
    with client.stream("GET", path, headers={"X-Probe": "1", "Accept-Encoding": "identity"}) as response:
        raw = b"".join(response.iter_raw())
    assert response.status_code == 200
    assert response.headers["content-encoding"] == coding
    assert response.headers["content-type"].startswith("application/json")
    body = json.loads(decode(raw))
    assert (body[key], body["method"]) == (True, "GET")
    assert body["headers"]["X-Probe"] == "1"
