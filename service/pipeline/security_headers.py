"""The headers every answer carries for the browser's safety: nosniff always, a closed CSP on HTML."""

from typing import TYPE_CHECKING

from service.pipeline.media import HTML

if TYPE_CHECKING:  # no Flask at run time: the worker's 408, written before Flask, uses NOSNIFF too
    from flask import Response

# Browsers must never guess a type: a plain-text body that looks like HTML stays text.
NOSNIFF = ("X-Content-Type-Options", "nosniff")
# Nothing may load or run; a view that needs more (its own stylesheet, say) sets a wider policy itself.
CSP_FOR_HTML = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


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
    return response
