"""The one seam between the app and the server: every WSGI environ key both of them read or write.

The app (service/pipeline/, service/tester/) and the server (service/server/) never import each other;
what one leaves for the other travels in the request's environ, under these names.
"""

# Written by the app's after-step (pipeline/request_id.py): the request's id and the matched rule's
# template; read by the access log and the metrics (server/accesslog.py) once the answer is sent.
REQUEST_ID = "service.request_id"
ROUTE = "service.route"
# Written by a /status fault (tester/faults.py): what the wire really carried; counted and logged.
FAULT = "service.fault"
# Written by a view whose answer the request alone decides: the replay middleware (tester/replay.py)
# keeps it and answers identical requests from it.
REPLAYABLE = "service.replayable"
# Written by the worker (server/worker.py) on an HTTP/2 request: a callable reset(error_code) that
# sends RST_STREAM for this stream; called by a fault.
RESET_STREAM = "service.http2.reset_stream"
# Written by the service's worker on an HTTP/2 request: a callable goaway(processed) that sends GOAWAY
# naming this stream (processed=True: sent after its END_STREAM) or the one before it (False: this
# stream was not processed), then ends the connection; called by the close and goaway faults.
GOAWAY = "service.http2.goaway"
# Written by every Gunicorn worker on HTTP/1.x: the client's socket (faults sever it; /wire asks the
# address it was accepted on). Werkzeug's development server and the test client have none.
SOCKET = "gunicorn.socket"
# Written by Gunicorn on an HTTP/2 request: a callable send_trailers(fields), a HEADERS frame after the
# body; called by /trailers (httpbin/content/trailers.py).
HTTP2_TRAILERS = "gunicorn.http2.send_trailers"
# Written by the service's worker (server/worker.py) on every request: an id of the connection it came
# on, unique across workers and replicas; the attempt log (tester/attempts.py) compares two requests' ids.
CONNECTION = "service.connection"
