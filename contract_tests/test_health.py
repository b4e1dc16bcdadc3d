"""GET /healthz: what the container health check relies on."""

import httpx


def test_healthz_is_200_json(client: httpx.Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "ok"}
