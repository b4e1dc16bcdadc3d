"""/status?fault=: what a client really meets on the wire, over HTTP/1.1 (raw sockets) and HTTP/2 (h2).

Expectations come from the issue's definitions and TCP/HTTP: `empty` is an orderly close (FIN) with no
byte of a response, `reset` a TCP reset (HTTP/2: RST_STREAM, RFC 9113 §6.4), `truncate` a head whose
Content-Length promises twice what arrives, `drip` the whole body, late and in pieces.
"""

import re
import time
from collections.abc import Callable

import httpx
import pytest
from helpers import assert_problem, fault_count, h2_exchange, head_and_body, raw_wire

INTERNAL_ERROR = 0x2  # RFC 9113 §7


def test_empty_closes_the_connection_before_any_byte(base_url: str) -> None:
    received, _, ending = raw_wire(base_url, "/status/200?fault=empty")
    assert (received, ending) == (b"", "closed")


def test_reset_is_a_tcp_reset_before_any_byte(base_url: str) -> None:
    received, _, ending = raw_wire(base_url, "/status/503?fault=reset")
    assert (received, ending) == (b"", "reset")


@pytest.mark.parametrize("path", ["/status/200?fault=truncate", "/status/404?fault=truncate"])
def test_truncate_sends_the_head_and_half_the_promised_body(base_url: str, path: str) -> None:
    received, _, ending = raw_wire(base_url, path)
    assert ending == "closed"
    assert re.match(rb"HTTP/1\.1 (200|404) ", received)
    headers, body = head_and_body(received)
    length = int(headers["content-length"])
    assert length > 0
    assert len(body) == length // 2
    assert headers["requested-status"] in ("200", "404")


def test_drip_sends_the_whole_body_in_pieces_over_the_duration(base_url: str) -> None:
    received, arrivals, ending = raw_wire(base_url, "/status/200?fault=drip&duration=1")
    headers, body = head_and_body(received)
    assert ending == "closed"
    assert received.startswith(b"HTTP/1.1 200 ")
    assert len(body) == int(headers["content-length"])
    assert body.startswith(b"200 ")
    # A lower bound only (speed targets live in the bench): the body cannot be complete before then.
    assert len(arrivals) >= 3
    assert arrivals[-1] >= 0.9


def test_http2_reset_is_rst_stream_before_any_header(base_url: str) -> None:
    answer = h2_exchange(base_url, "/status/200?fault=reset")
    assert answer.blocks == []
    assert answer.reset == INTERNAL_ERROR


def test_http2_truncate_is_rst_stream_after_half_the_data(base_url: str) -> None:
    answer = h2_exchange(base_url, "/status/200?fault=truncate")
    headers = dict(answer.blocks[0])
    assert headers[":status"] == "200"
    assert len(answer.body) == int(headers["content-length"]) // 2
    assert answer.reset == INTERNAL_ERROR
    assert not answer.ended


def test_http2_empty_closes_the_connection_with_no_response(base_url: str) -> None:
    answer = h2_exchange(base_url, "/status/200?fault=empty")
    assert (answer.blocks, answer.body, answer.ended, answer.reset, answer.dropped) == (
        [],
        b"",
        False,
        None,
        True,
    )


def test_http2_drip_delivers_the_whole_body(base_url: str) -> None:
    answer = h2_exchange(base_url, "/status/418?fault=drip&duration=0.5")
    headers = dict(answer.blocks[0])
    assert headers[":status"] == "418"
    assert answer.ended
    assert len(answer.body) == int(headers["content-length"])


@pytest.mark.parametrize("fault", ["empty", "reset", "truncate"])
def test_httpx_sees_each_fault_as_a_transport_error(
    make_client: Callable[..., httpx.Client], fault: str
) -> None:
    for protocol in ("HTTP/1.1", "HTTP/2"):
        with pytest.raises(httpx.TransportError):
            make_client(protocol=protocol).get(f"/status/200?fault={fault}")


def test_the_service_keeps_serving_after_faults(client: httpx.Client, base_url: str) -> None:
    for fault in ("empty", "reset", "truncate") * 5:
        raw_wire(base_url, f"/status/200?fault={fault}")
        h2_exchange(base_url, f"/status/200?fault={fault}")
    assert client.get("/healthz").status_code == 200
    assert client.get("/status/200").status_code == 200


BAD = [
    ("/status/200?fault=explode", "fault"),
    ("/status/200?fault=reset&fault=empty", "fault"),
    ("/status/200?duration=1", "duration"),
    ("/status/200?fault=reset&duration=1", "duration"),
    ("/status/200?fault=drip&duration=11", "duration"),
    ("/status/200?fault=drip&duration=-1", "duration"),
    ("/status/200?fault=drip&duration=6&delay=5", "duration"),
]


@pytest.mark.parametrize(("path", "parameter"), BAD)
def test_a_bad_fault_is_400_naming_the_parameter(client: httpx.Client, path: str, parameter: str) -> None:
    body = assert_problem(client.get(path), 400)
    assert parameter in body["detail"]


def test_faults_are_counted_by_kind(base_url: str, metrics_url: str) -> None:
    before = {fault: fault_count(metrics_url, fault) for fault in ("empty", "reset", "truncate")}
    for fault in before:
        raw_wire(base_url, f"/status/200?fault={fault}")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if all(fault_count(metrics_url, fault) >= count + 1 for fault, count in before.items()):
            break
        time.sleep(0.1)
    assert {fault: fault_count(metrics_url, fault) - count for fault, count in before.items()} == {
        "empty": 1,
        "reset": 1,
        "truncate": 1,
    }
