"""The lessons, one blueprint per technique, grouped by what they teach; the catalogue lists them in order.

Most URL prefixes are /demos/<name> (client_errors: /demos/client-errors, early_hints:
/demos/early-hints); the tutorial's four routes keep the seed's own paths (/success, /wrong, ...).
Each blueprint's own `url_prefix` is the truth.
"""
