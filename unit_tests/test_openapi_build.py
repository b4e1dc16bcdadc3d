"""service.openapi.build on a two-route app made here: paths, statuses, media types, parameters."""

from typing import Any

import pytest
from flask import Blueprint, Flask

from service.media import JSON
from service.openapi import EMPTY, PROBLEM, Reply, build, documented, header

bp = Blueprint("items", __name__, url_prefix="/items")
CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9]{3}$"}}


@bp.get("/<int:item_id>")
@documented(Reply(200, JSON, [header("ETag", "the item's version")]), Reply(404, PROBLEM))
def item(item_id: int) -> dict[str, int]:
    """One item as JSON.

    curl -i http://127.0.0.1:8000/items/1
    """
    return {"id": item_id}


@bp.route("/<code>", methods=["PUT", "DELETE"])
@documented(Reply(204, EMPTY), Reply(400, PROBLEM), Reply("5XX", PROBLEM), parameters=[CODE])
def change(code: str) -> tuple[str, int]:
    """Change or delete an item; no body."""
    return "", 204


def make_app(*blueprints: Blueprint) -> Flask:
    app = Flask(__name__)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    return app


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return build(make_app(bp))


def test_paths_use_openapi_templates_and_the_converters_types(spec: dict[str, Any]) -> None:
    assert set(spec["paths"]) == {"/items/{item_id}", "/items/{code}"}
    get = spec["paths"]["/items/{item_id}"]["get"]
    assert get["parameters"] == [
        {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    ]
    assert get["summary"] == "One item as JSON."
    assert get["description"] == "curl -i http://127.0.0.1:8000/items/1"
    assert get["responses"] == {
        "200": {
            "description": "OK",
            "content": {"application/json": {}},
            "headers": {"ETag": {"description": "the item's version", "schema": {"type": "string"}}},
        },
        "404": {"description": "Not Found", "content": {"application/problem+json": {}}},
    }


def test_a_declared_parameter_replaces_the_url_maps_and_each_method_is_an_operation(
    spec: dict[str, Any],
) -> None:
    operations = spec["paths"]["/items/{code}"]
    assert set(operations) == {"put", "delete"}
    for method, operation in operations.items():
        assert operation["operationId"].endswith(f".change.{method}")
        assert operation["parameters"] == [CODE]
        assert operation["responses"] == {
            "204": {"description": "No Content"},
            "400": {"description": "Bad Request", "content": {"application/problem+json": {}}},
            "5XX": {"description": "Any 5XX status", "content": {"application/problem+json": {}}},
        }


def test_an_undocumented_route_is_refused() -> None:
    app = make_app(bp)
    app.add_url_rule("/bare", "bare", lambda: "")
    with pytest.raises(RuntimeError, match="/bare"):
        build(app)
