"""The content: bodies and streams, documents, compression, trailers, WebSocket; the request read by echo."""
