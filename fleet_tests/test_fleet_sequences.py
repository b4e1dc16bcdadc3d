"""/status?sequence= across three replicas: the series lives in the stack's Redis (STATE_URL), so a retry
that HAProxy sends to another replica continues it, and its attempt log is one log; with Redis gone, a
sequence and its log get 503, the rest 200."""

import time
import uuid
from collections.abc import Callable

import httpx
import pytest
from swarm import Stack, docker

from testkit import retrying
from testkit.plugin import FIGURES


def fresh_get(stack: Stack, path: str) -> httpx.Response:
    """One request on its own connection, as a retrying client often makes after a failure."""
    with httpx.Client(base_url=stack.base_url, timeout=10.0) as client:
        return client.get(path, headers={"Connection": "close"})


def test_fail_twice_then_succeed_holds_across_three_replicas(stack: Stack) -> None:
    path = f"/status/503:2,200?sequence=fleet-{uuid.uuid4().hex}"
    answers = [fresh_get(stack, path) for _ in range(3)]
    codes = [answer.status_code for answer in answers]
    steps = [answer.headers["sequence-step"] for answer in answers]
    replicas = [answer.headers["x-instance"] for answer in answers]
    FIGURES["sequence 503:2,200 through HAProxy"] = f"{codes}, steps {steps}, replicas {replicas}"
    assert codes == [503, 503, 200]
    assert steps == ["1", "2", "3"]
    # HAProxy balances round-robin per request: three requests in a row, three replicas.
    assert len(set(replicas)) == 3


@pytest.mark.parametrize("run", [retrying.with_urllib3, retrying.with_curl], ids=["urllib3", "curl"])
def test_the_attempt_log_spans_the_replicas_and_matches_the_clients_waits(
    stack: Stack, run: Callable[[str], retrying.Run]
) -> None:
    done = run(stack.base_url)
    FIGURES[f"attempt log, {done.client} on 503:2,200 (three replicas)"] = retrying.figures(done)
    assert done.status == 200
    assert done.mismatches() == []
    summary = done.log["summary"]
    assert (summary["attempts"], summary["retry_after_asked"], summary["retry_after_honoured"]) == (3, 2, 2)


def redis_scale(stack: Stack, replicas: int) -> None:
    docker("service", "scale", "--detach=false", f"{stack.name}_redis={replicas}", timeout=120)


def test_with_redis_down_a_sequence_is_a_clear_503_and_the_rest_is_served(stack: Stack) -> None:
    redis_scale(stack, 0)
    try:
        down = fresh_get(stack, f"/status/503:2,200?sequence=fleet-{uuid.uuid4().hex}")
        assert down.status_code == 503
        assert down.headers["content-type"] == "application/problem+json"
        assert "Redis" in down.json()["detail"]
        assert down.headers["retry-after"].isdigit()
        assert "requested-status" not in down.headers  # not the 503 it asked for: the store's own
        assert fresh_get(stack, "/status/200").status_code == 200
        assert fresh_get(stack, "/healthz").status_code == 200
        with httpx.Client(base_url=stack.base_url, timeout=10.0) as client:
            for method in ("GET", "DELETE"):  # the attempt log's own 503 (contract_coverage.ELSEWHERE)
                log = client.request(method, "/sequences/fleet-any")
                assert (log.status_code, log.headers["content-type"]) == (503, "application/problem+json")
                assert "Redis" in log.json()["detail"]
                assert log.headers["retry-after"].isdigit()
    finally:
        redis_scale(stack, 1)
    # Back: a new series counts from its first step again (within the redis-py reconnect, bounded).
    deadline, codes = time.monotonic() + 30, []
    key = f"fleet-{uuid.uuid4().hex}"
    while time.monotonic() < deadline:
        answer = fresh_get(stack, f"/status/503,200?sequence={key}")
        if answer.headers.get("requested-status"):
            codes.append(answer.status_code)
            if len(codes) == 2:
                break
        else:
            time.sleep(0.5)
    assert codes == [503, 200]
