"""`make bench`: throughput and latency of the service beside its floors and httpbin (see run.py)."""
