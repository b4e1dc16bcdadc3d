"""The headers every answer carries for the browser's safety: nosniff always, a closed CSP on HTML."""

from typing import TYPE_CHECKING

from service.pipeline.media import HTML

if TYPE_CHECKING:  # no Flask at run time: the worker's 408, written before Flask, uses NOSNIFF too
    from flask import Response

# Browsers must never guess a type: a plain-text body that looks like HTML stays text.
NOSNIFF = ("X-Content-Type-Options", "nosniff")
# Nothing may load or run; a view that needs more (its own stylesheet, say) sets a wider policy itself.
CSP_FOR_HTML = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
# The explorer's Run worker (editor/src/worker.js): a dedicated worker obeys its own script's policy, not
# the page's. It may compile WebAssembly (Pyodide) and load this origin's files; nothing else.
RUN_WORKER = "/static/run/worker.js"
CSP_FOR_RUN_WORKER = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'"


def add(response: "Response") -> "Response":
    """after_request: set them unless the view set its own."""
    # A look and an append, as setdefault does but without its second and third pass over the list
    # (and its KeyError): this runs on every answer.
    headers = response.headers
    if NOSNIFF[0] not in headers:
        headers.add(*NOSNIFF)
    if response.mimetype == HTML and "Content-Security-Policy" not in headers:
        # HTML here is text, never an app: no scripts, plugins, frames or forms, whatever it contains.
        headers.add("Content-Security-Policy", CSP_FOR_HTML)
    elif response.mimetype == "text/javascript":
        # Only the static scripts get here (no view answers JavaScript), so this import is rare.
        from flask import request

        if request.path == RUN_WORKER:
            headers.add("Content-Security-Policy", CSP_FOR_RUN_WORKER)
    return response
