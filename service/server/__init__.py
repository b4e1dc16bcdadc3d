"""The server around the app: Gunicorn's settings and worker, the access log, the metrics, /healthz."""
