"""httpbin-compatible routes: routes.py is their one table, params.py its helpers, exchange/ and content/."""
