"""The headers every answer carries for the browser's safety: nosniff always, a closed CSP on HTML."""

from typing import TYPE_CHECKING

from service.pipeline.media import HTML

if TYPE_CHECKING:  # no Flask at run time: the worker's 408, written before Flask, uses NOSNIFF too
    from flask import Request, Response

# Browsers must never guess a type: a plain-text body that looks like HTML stays text.
NOSNIFF = ("X-Content-Type-Options", "nosniff")
CSP = "Content-Security-Policy"
# Nothing may load or run; a view that needs more (its own stylesheet, say) sets a wider policy itself.
CSP_FOR_HTML = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
# The explorer's Run worker (editor/src/worker.js): a dedicated worker obeys its own script's policy, not
# the page's. It may compile WebAssembly (Pyodide) and load this origin's files; nothing else.
RUN_WORKER = "/static/run/worker.js"
CSP_FOR_RUN_WORKER = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'"


def add(_request: "Request", response: "Response") -> "Response":
    """after_request: set them unless the view set its own."""
    # One pass over the headers for the three names, on every answer: `in` and `get` would walk them
    # once each, and Response.mimetype parses the whole Content-Type (its parameters too).
    headers = response.headers
    nosniff = policy = False
    content_type = ""
    for name, value in headers:
        lower = name.lower()
        if lower == _NOSNIFF_NAME:
            nosniff = True
        elif lower == "content-type":
            content_type = value
        elif lower == _CSP_NAME:
            policy = True
    if not nosniff:
        headers.add(*NOSNIFF)
    if not policy and content_type.partition(";")[0].strip().lower() == HTML:
        # HTML here is text, never an app: no scripts, plugins, frames or forms, whatever it contains.
        headers.add(CSP, CSP_FOR_HTML)
    elif response.mimetype == "text/javascript":
        # Only the static scripts get here (no view answers JavaScript), so this import is rare.
        from flask import request

        if request.path == RUN_WORKER:
            headers.add(CSP, CSP_FOR_RUN_WORKER)
    return response


_NOSNIFF_NAME = NOSNIFF[0].lower()
_CSP_NAME = CSP.lower()
