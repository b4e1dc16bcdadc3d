"""Compression: the same small JSON in each content coding, whatever Accept-Encoding says, as httpbin does.

gzip and deflate come from the standard library (deflate is the zlib format, RFC 9110 §8.4.1.2), br
from PyPI's brotli, zstd from the standard library's compression.zstd (Python 3.14) or its backport.
The body names its coding (`"gzipped": true`, httpbin's key, and likewise `deflated`, `brotli`,
`zstd`) beside the request's headers, method and origin.
"""

import gzip as gzip_module
import zlib
from collections.abc import Callable

import brotli as brotli_module
from flask import Response, json, request

try:
    from compression import zstd as zstd_module  # type: ignore[import-not-found,unused-ignore]  # 3.14+
except ImportError:
    from backports import zstd as zstd_module  # type: ignore[no-redef,unused-ignore]

from service.contract.reply import Reply, documented, header

CODED = Reply(200, "application/json", [header("Content-Encoding", "the coding the body is in")])


def _coded(key: str, coding: str, compress: Callable[[bytes], bytes]) -> Response:
    body = {
        key: True,
        "headers": dict(request.headers.items()),
        "method": request.method,
        "origin": request.remote_addr,
    }
    response = Response(compress(json.dumps(body).encode()), mimetype="application/json")
    response.headers["Content-Encoding"] = coding
    return response


@documented(CODED)
def gzip() -> Response:
    """JSON compressed with gzip (Content-Encoding: gzip).

    curl -s --compressed http://127.0.0.1:8000/gzip
    """
    return _coded("gzipped", "gzip", lambda data: gzip_module.compress(data, mtime=0))


@documented(CODED)
def deflate() -> Response:
    """JSON compressed with deflate, the zlib format (Content-Encoding: deflate).

    curl -s --compressed http://127.0.0.1:8000/deflate
    """
    return _coded("deflated", "deflate", zlib.compress)


@documented(CODED)
def brotli() -> Response:
    """JSON compressed with Brotli (Content-Encoding: br).

    curl -s --compressed http://127.0.0.1:8000/brotli
    """
    return _coded("brotli", "br", brotli_module.compress)


@documented(CODED)
def zstd() -> Response:
    """JSON compressed with Zstandard (Content-Encoding: zstd, RFC 8878).

    curl -s http://127.0.0.1:8000/zstd | zstd -d
    """
    return _coded("zstd", "zstd", zstd_module.compress)
