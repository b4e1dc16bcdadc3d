"""Pieces of RFC 9110's grammar that input is checked against, named once for every module that needs them."""

import re

# §5.6.2 token: header names and methods (at most 64 characters here: a bound, not the RFC's).
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}")
