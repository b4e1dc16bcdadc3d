"""GET /: the index as JSON and the explorer page for browsers, with the page's template and static files."""

from pathlib import Path

# The explorer's stylesheet and script; create_app() serves this folder at /static/.
STATIC = Path(__file__).parent / "static"
