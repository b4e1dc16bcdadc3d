"""The exchange: what a request carried (echo.py, read by the others), auth, cookies, redirects, caching."""
