"""/status?sequence=: the n-th request with a key answers the n-th code, whichever worker serves it."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from helpers import assert_problem

pytestmark = pytest.mark.both_protocols


def key() -> str:
    """A key no earlier run used: the service keeps a key's count until it has been idle a while."""
    return f"t-{uuid.uuid4().hex}"


def series(client: httpx.Client, path: str, times: int) -> list[tuple[int, str, str]]:
    answers = []
    for _ in range(times):
        response = client.get(path)
        answers.append(
            (response.status_code, response.headers["sequence-step"], response.headers["requested-status"])
        )
    return answers


def test_fail_twice_then_succeed(client: httpx.Client) -> None:
    answers = series(client, f"/status/503:2,200?sequence={key()}", 5)
    assert answers == [
        (503, "1", "503"),
        (503, "2", "503"),
        (200, "3", "200"),
        (200, "4", "200"),
        (200, "5", "200"),
    ]


def test_each_answer_says_the_length_of_its_series(client: httpx.Client) -> None:
    assert client.get(f"/status/503:2,429,200?sequence={key()}").headers["sequence-length"] == "4"


def test_weights_are_repeat_counts_and_zero_is_never(client: httpx.Client) -> None:
    codes = [code for code, _, _ in series(client, f"/status/500,502:0,503:2,200?sequence={key()}", 5)]
    assert codes == [500, 503, 503, 200, 200]


def test_keys_count_apart(client: httpx.Client) -> None:
    first, second = key(), key()
    assert client.get(f"/status/500,200?sequence={first}").status_code == 500
    assert client.get(f"/status/500,200?sequence={second}").status_code == 500
    assert client.get(f"/status/500,200?sequence={first}").status_code == 200


def test_the_503s_of_a_series_keep_their_retry_after(client: httpx.Client) -> None:
    response = client.get(f"/status/503,200?sequence={key()}&retry_after=3")
    assert (response.status_code, response.headers["retry-after"]) == (503, "3")


def test_concurrent_first_requests_get_every_step_once(base_url: str, protocol: str) -> None:
    # Forty fresh connections at once: the workers (WEB_CONCURRENCY=2 in the container) share them out,
    # and a count kept per process would hand some step twice.
    path = f"/status/200:40?sequence={key()}"
    http2 = protocol == "HTTP/2"

    def one(_: int) -> str:
        with httpx.Client(base_url=base_url, http1=not http2, http2=http2, timeout=10) as fresh:
            return fresh.get(path).headers["sequence-step"]

    with ThreadPoolExecutor(max_workers=20) as pool:
        steps = sorted(int(step) for step in pool.map(one, range(40)))
    assert steps == list(range(1, 41))


BAD = [
    ("/status/503:2,200?sequence=", "sequence"),
    (f"/status/503:2,200?sequence={'k' * 65}", "sequence"),
    ("/status/503:2,200?sequence=a%20b", "sequence"),
    ("/status/503:2,200?sequence=a/b", "sequence"),
    ("/status/503:2,200?sequence=a&sequence=b", "sequence"),
    ("/status/503:1.5,200?sequence=a", "repeat count"),
]


@pytest.mark.parametrize(("path", "words"), BAD)
def test_a_bad_sequence_is_400_naming_it(client: httpx.Client, path: str, words: str) -> None:
    body = assert_problem(client.get(path), 400)
    assert words in body["detail"]
