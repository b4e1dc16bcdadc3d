"""/static/<name>: the explorer's stylesheet and script, gzip-compressed for a client that accepts it.

Gunicorn compresses nothing, and the two files are a third of the explorer's first load as plain text;
gzipped once per process (on first use) they are a third of that. Only the files of the static folder
are served so (a dict lookup: no path is joined, so nothing outside it can be named), with a year's
max-age (their URLs carry a content hash: service/explorer/page.py's asset_url), an ETag for
revalidation, and Vary: Accept-Encoding. This replaces Flask's own static view for the same rule.

The files below the folder (static/run/: Edit and Run's editor, worker and Pyodide, megabytes that only
a learner who presses Edit loads) go to Flask's own send_from_directory, never into memory. The image
keeps its larger ones gzipped only (NAME.gz: Pyodide's WebAssembly and JavaScript, the editor; the
Dockerfile), sent as they are, with Content-Encoding: gzip, to a client
that accepts it (every browser): the browser unzips as the bytes come, so the WebAssembly is still
compiled while it streams (served as application/wasm). Any other client gets them unzipped on the way.
"""

import gzip
import hashlib
import mimetypes
import os
from collections.abc import Iterator
from functools import cache

from flask import Response, request, send_from_directory
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

from service.explorer import STATIC

MAX_AGE = 365 * 24 * 3600
CHUNK = 64 * 1024  # bytes unzipped at a time for a client that takes no gzip


@cache
def _files() -> dict[str, tuple[bytes, bytes, str, str]]:
    """name -> (bytes, their gzip, media type, ETag), for every file in the static folder."""
    found = {}
    for path in STATIC.iterdir():
        if path.is_file():
            data = path.read_bytes()
            media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            found[path.name] = (
                data,
                gzip.compress(data, 9, mtime=0),
                media,
                hashlib.sha256(data).hexdigest()[:16],
            )
    return found


def serve(filename: str) -> Response:
    """One explorer asset, gzipped when Accept-Encoding allows it; 304 to a matching If-None-Match."""
    found = _files().get(filename)
    if found is None:
        if "/" in filename:
            return _below(filename)
        raise NotFound()
    data, gzipped, media, etag = found
    compress = request.accept_encodings["gzip"] > 0
    response = Response(gzipped if compress else data, mimetype=media)
    if compress:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.vary.add("Accept-Encoding")
    # One ETag per encoding: a cache must not answer a gzip request with the identity bytes' 304.
    response.set_etag(etag + ("-gzip" if compress else ""))
    response.make_conditional(request)
    return response


def _below(filename: str) -> Response:
    """A file of static/run/, or its gzip twin; safe_join keeps either name inside the folder."""
    twin = safe_join(str(STATIC), filename + ".gz")
    if twin is None or not os.path.isfile(twin):
        return send_from_directory(STATIC, filename)
    name = filename.rpartition("/")[2]
    media = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if request.accept_encodings["gzip"] > 0:
        response = send_from_directory(STATIC, filename + ".gz", mimetype=media, download_name=name)
        response.headers["Content-Encoding"] = "gzip"
    else:
        # The image keeps only the twin: unzipped as it is sent, for the rare client that takes no gzip.
        response = Response(_gunzip(twin), mimetype=media, direct_passthrough=True)
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.vary.add("Accept-Encoding")
    return response


def _gunzip(path: str) -> Iterator[bytes]:
    with gzip.open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            yield chunk
