"""The faults that trap real clients (issue 27): close, stall-head, stall-body, overlong, bad-chunk over
HTTP/1.1 (raw sockets), and close, the stalls, refuse and goaway over HTTP/2 (the h2 library).

Expectations come from the issue's definitions, RFC 9112 (Content-Length and chunked framing, §6.3 and
§7.1) and RFC 9113 (RST_STREAM REFUSED_STREAM §8.7, GOAWAY §6.8): what bytes and frames arrive, in which
order, and how the connection ends. Times are lower bounds only (a stall cannot end before its duration).
"""

import re
import socket
import time
from collections.abc import Callable

import httpx
import pytest
from helpers import assert_problem, fault_count, h2_exchange, head_and_body, raw_get, raw_wire

NO_ERROR, INTERNAL_ERROR, REFUSED_STREAM = 0x0, 0x2, 0x7  # RFC 9113 §7
STALL = 1.0


def test_close_sends_a_whole_keep_alive_answer_then_closes(base_url: str) -> None:
    received, _, ending = raw_wire(base_url, "/status/200?fault=close", close=False)
    assert ending == "closed"
    headers, body = head_and_body(received)
    assert received.startswith(b"HTTP/1.1 200 ")
    assert headers.get("connection") == "keep-alive"  # nothing warns the client that this one is done
    assert len(body) == int(headers["content-length"]) > 0


def test_close_makes_the_next_request_on_the_connection_fail(base_url: str) -> None:
    url = httpx.URL(base_url)
    with socket.create_connection((url.host, url.port or 80), timeout=10) as sock:
        sock.sendall(raw_get(base_url, "/status/200?fault=close", close=False))
        first = b""
        while b"\r\n\r\n" not in first or len(head_and_body(first)[1]) < int(
            head_and_body(first)[0]["content-length"]
        ):
            chunk = sock.recv(65536)
            assert chunk, "the answer must be complete before the close"
            first += chunk
        time.sleep(0.2)  # the FIN has arrived: a client that does not look sends anyway
        try:
            sock.sendall(raw_get(base_url, "/status/200", close=False))
            second = sock.recv(65536)
        except (BrokenPipeError, ConnectionResetError):
            second = b""
    assert second == b""


def test_stall_head_sends_nothing_then_closes(base_url: str) -> None:
    received, _, ending = raw_wire(base_url, f"/status/200?fault=stall-head&duration={STALL}")
    assert (received, ending) == (b"", "closed")


def test_stall_head_lasts_its_duration(base_url: str) -> None:
    start = time.monotonic()
    raw_wire(base_url, f"/status/200?fault=stall-head&duration={STALL}")
    assert time.monotonic() - start >= STALL - 0.05


def test_stall_body_sends_the_head_at_once_then_nothing_then_closes(base_url: str) -> None:
    received, arrivals, ending = raw_wire(base_url, f"/status/503?fault=stall-body&duration={STALL}")
    headers, body = head_and_body(received)
    assert ending == "closed"
    assert received.startswith(b"HTTP/1.1 503 ")
    assert (body, int(headers["content-length"]) > 0) == (b"", True)
    assert arrivals  # the head came, and nothing after it


def test_overlong_sends_more_body_than_content_length_then_closes(base_url: str) -> None:
    received, _, ending = raw_wire(base_url, "/status/200?fault=overlong")
    headers, body = head_and_body(received)
    assert ending == "closed"
    assert len(body) > int(headers["content-length"])
    assert body.startswith(b"200 OK")


def test_bad_chunk_sends_a_chunk_size_that_is_no_hex_number(base_url: str) -> None:
    received, _, ending = raw_wire(base_url, "/status/200?fault=bad-chunk")
    headers, body = head_and_body(received)
    assert ending == "closed"
    assert headers["transfer-encoding"] == "chunked"
    assert "content-length" not in headers
    first_size, _, rest = body.partition(b"\r\n")
    assert re.fullmatch(rb"[0-9a-f]+", first_size)
    size = int(first_size, 16)
    second_size = rest[size + 2 :].partition(b"\r\n")[0]
    assert not re.fullmatch(rb"[0-9A-Fa-f]+", second_size)  # RFC 9112 §7.1: chunk-size = 1*HEXDIG


def test_http2_close_is_the_answer_then_goaway_naming_it(base_url: str) -> None:
    answer = h2_exchange(base_url, "/status/200?fault=close", until_closed=True)
    headers = dict(answer.blocks[0])
    assert headers[":status"] == "200"
    assert answer.ended
    assert len(answer.body) == int(headers["content-length"])
    assert answer.goaway == (NO_ERROR, 1)  # stream 1 was processed
    assert answer.dropped


def test_http2_goaway_names_a_stream_below_this_one_before_any_header(base_url: str) -> None:
    answer = h2_exchange(base_url, "/status/200?fault=goaway", until_closed=True)
    assert answer.blocks == []
    assert answer.goaway is not None
    error, last = answer.goaway
    assert last < 1  # stream 1 was not processed: a client may retry it (RFC 9113 §6.8)
    assert error == NO_ERROR
    assert answer.dropped


def test_http2_refuse_is_refused_stream_before_any_header(base_url: str) -> None:
    answer = h2_exchange(base_url, "/status/200?fault=refuse")
    assert (answer.blocks, answer.reset) == ([], REFUSED_STREAM)


def test_http2_stall_head_is_a_reset_after_the_duration_and_no_header(base_url: str) -> None:
    answer = h2_exchange(base_url, f"/status/200?fault=stall-head&duration={STALL}")
    assert (answer.blocks, answer.reset) == ([], INTERNAL_ERROR)
    assert answer.over_after >= STALL - 0.05


def test_http2_stall_body_is_the_headers_then_a_reset_after_the_duration(base_url: str) -> None:
    answer = h2_exchange(base_url, f"/status/200?fault=stall-body&duration={STALL}")
    assert dict(answer.blocks[0])[":status"] == "200"
    assert (answer.body, answer.reset) == (b"", INTERNAL_ERROR)
    assert answer.over_after >= STALL - 0.05


WRONG_PROTOCOL = [
    ("HTTP/1.1", "refuse", "HTTP/2"),
    ("HTTP/1.1", "goaway", "HTTP/2"),
    ("HTTP/2", "overlong", "HTTP/1.1"),
    ("HTTP/2", "bad-chunk", "HTTP/1.1"),
]


@pytest.mark.parametrize(("protocol", "fault", "named"), WRONG_PROTOCOL)
def test_a_fault_of_the_other_protocol_is_400_saying_which(
    make_client: Callable[..., httpx.Client], protocol: str, fault: str, named: str
) -> None:
    body = assert_problem(make_client(protocol=protocol).get(f"/status/200?fault={fault}"), 400)
    assert f"fault={fault}" in body["detail"]
    assert named in body["detail"]


BAD = [
    ("/status/200?fault=close&duration=1", "duration"),
    ("/status/200?fault=stall-head&duration=11", "duration"),
    ("/status/200?fault=stall-body&duration=6&delay=5", "duration"),
    ("/status/200?fault=stall", "fault"),
]


@pytest.mark.parametrize(("path", "parameter"), BAD)
def test_a_bad_new_fault_is_400_naming_the_parameter(
    make_client: Callable[..., httpx.Client], path: str, parameter: str
) -> None:
    body = assert_problem(make_client().get(path), 400)
    assert parameter in body["detail"]


NEW = {
    "close": "HTTP/1.1",
    "stall-head": "HTTP/1.1",
    "stall-body": "HTTP/1.1",
    "overlong": "HTTP/1.1",
    "bad-chunk": "HTTP/1.1",
    "refuse": "HTTP/2",
    "goaway": "HTTP/2",
}


def test_the_new_faults_are_counted_by_kind(base_url: str, metrics_url: str) -> None:
    before = {fault: fault_count(metrics_url, fault) for fault in NEW}
    for fault, protocol in NEW.items():
        path = f"/status/200?fault={fault}" + ("&duration=0.1" if fault.startswith("stall") else "")
        if protocol == "HTTP/2":
            h2_exchange(base_url, path, until_closed=fault == "goaway")
        else:
            raw_wire(base_url, path)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if all(fault_count(metrics_url, fault) >= count + 1 for fault, count in before.items()):
            break
        time.sleep(0.1)
    assert {
        fault: fault_count(metrics_url, fault) - count for fault, count in before.items()
    } == dict.fromkeys(NEW, 1)


def test_the_service_keeps_serving_after_the_new_faults(
    make_client: Callable[..., httpx.Client], base_url: str
) -> None:
    for _ in range(5):
        for fault in ("close", "overlong", "bad-chunk"):
            raw_wire(base_url, f"/status/200?fault={fault}")
        for fault in ("close", "refuse", "goaway"):
            h2_exchange(base_url, f"/status/200?fault={fault}", until_closed=fault != "refuse")
    for protocol in ("HTTP/1.1", "HTTP/2"):
        client = make_client(protocol=protocol)
        assert client.get("/healthz").status_code == 200
        assert client.get("/status/200").status_code == 200
