"""`make lint`: build the app, validate its /openapi.json document against the OpenAPI 3.1 schema."""

import sys

from openapi_spec_validator import validate

from service.app import create_app
from service.contract import openapi


def main() -> int:
    spec = openapi.spec(create_app())
    validate(spec)
    operations = sum(len(item) for item in spec["paths"].values())
    print(
        f"openapi.json: valid OpenAPI {spec['openapi']}, {len(spec['paths'])} paths, {operations} operations"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
