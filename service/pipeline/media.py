"""The media types the service declares and sends, named once."""

HTML = "text/html"  # Flask's mimetype for a str body, and redirect()'s small link page
JSON = "application/json"
TEXT = "text/plain"
PROBLEM_JSON = "application/problem+json"  # RFC 9457: the one error shape (service/pipeline/errors.py)
