"""GET /healthz: what the container health check relies on."""

import httpx


def test_healthz_is_200_json(client: httpx.Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "ok"}


def test_no_response_names_its_instance_by_default(client: httpx.Client) -> None:
    # X-Instance (which host answered) is opt-in, INSTANCE_HEADER=1; a default deployment leaks no host name.
    for path in ("/healthz", "/status/503", "/no-such-page"):
        assert "x-instance" not in client.get(path).headers
