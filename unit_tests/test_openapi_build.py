"""service.contract.openapi.build on a two-route app made here: paths, statuses, media types, parameters."""

from typing import Any

import pytest
from flask import Blueprint, Flask

from service.catalogue import Entry
from service.contract.openapi import build
from service.contract.reply import Reply, documented, header
from service.pipeline.media import JSON, PROBLEM_JSON
from service.settings import Settings

bp = Blueprint("items", __name__, url_prefix="/items")
CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9]{3}$"}}


@bp.get("/<int:item_id>")
@documented(Reply(200, JSON, [header("ETag", "the item's version")]), Reply(404, PROBLEM_JSON))
def item(item_id: int) -> dict[str, int]:
    """One item as JSON.

    curl -i http://127.0.0.1:8000/items/1
    """
    return {"id": item_id}


@bp.route("/<code>", methods=["PUT", "DELETE"])
@documented(Reply(204, None), Reply(400, PROBLEM_JSON), Reply("5XX", PROBLEM_JSON), parameters=[CODE])
def change(code: str) -> tuple[str, int]:
    """Change or delete an item; no body."""
    return "", 204


# The tag comes from the catalogue entry, not from the module: "shop" here, though the module is this file.
CATALOGUE = [Entry(bp, "shop", "Items", "Items to change.", cors=False)]


def make_app(*blueprints: Blueprint) -> Flask:
    app = Flask(__name__)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    return app


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return build(make_app(bp), CATALOGUE, Settings())


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
        assert operation["operationId"] == f"shop.change.{method}"
        assert operation["tags"] == ["shop"]
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
        build(app, CATALOGUE, Settings())


def test_a_route_outside_the_catalogue_is_refused() -> None:
    with pytest.raises(RuntimeError, match="no catalogue entry"):
        build(make_app(bp), [], Settings())
