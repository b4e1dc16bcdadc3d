"""GET /openapi.json: the machine-readable contract the coverage check holds the suite to."""

import httpx


def test_openapi_document_is_served(client: httpx.Client) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    spec = response.json()
    assert spec["openapi"].startswith("3.1.")
    # Spot checks written from the routes' documented behaviour, not read back from the service.
    assert set(spec["paths"]["/success"]["get"]["responses"]) == {"200"}
    assert set(spec["paths"]["/wrong"]["get"]["responses"]) == {"404"}
    assert "post" not in spec["paths"]["/success"]
