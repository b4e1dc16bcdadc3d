"""The httpbin-compatible routes (echo, auth, cookies, redirects, caching, bodies...): routes.py is their
one table, params.py the parameter helpers every view parses its input with."""
