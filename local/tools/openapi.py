"""Builds docs/openapi.json from the functions' own resolvers, and checks the committed copy for drift.

python -m local.tools.openapi --write docs/openapi.json
python -m local.tools.openapi --check docs/openapi.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from local.code_dirs import code_directory
from local.samyaml import load_template
from local.specs import parameter_values, template_environments
from local.tools import REPO

TITLE = "Commerce API"
VERSION = "0.1.0"
DESCRIPTION = (
    "Storefront and admin API of the serverless commerce backend. Amounts are integers in the currency's "
    "minor unit with their ISO 4217 code. Errors are RFC 9457 problem details."
)

# Import needs settings (they are parsed at cold start) but makes no AWS call.
_DUMMY_ENV = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "TABLE_NAME": "openapi",
    "IDEMPOTENCY_TABLE_NAME": "openapi",
    "EVENT_BUS_NAME": "openapi",
    "CURSOR_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:000000000000:secret:openapi",
    "SUPPORTED_CURRENCIES": "EUR,USD,JPY",
    "DEFAULT_LOCALE": "en",
    "CART_TTL_DAYS": "30",
    "STRIPE_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:000000000000:secret:openapi-stripe",
    "ORDER_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:000000000000:stateMachine:openapi",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "DATA_KEY_ARN": "arn:aws:kms:us-east-1:000000000000:key/openapi",
    "WEBHOOK_DELIVERY_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/000000000000/openapi",
    "MAIL_FROM": "shop@example.com",  # notifications, fulfillment
    "CARRIER_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:000000000000:secret:openapi-carrier",
    "RAW_EVENTS_STREAM": "openapi",
    "REPORTS_BUCKET": "openapi",
    "LABELS_BUCKET": "openapi",
}

PROBLEM_SCHEMA = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
    "additionalProperties": True,
}
_PROBLEM_RESPONSES = {
    "400": "The request is malformed or a value is not acceptable.",
    "404": "Not found (or not yours to see).",
    "405": "The path exists, with other methods: the Allow header lists them.",
    "409": "Conflicts with the current state.",
    "415": "The request body is not application/json.",
    "422": "Well-formed, but cannot be done (for example, not sellable).",
    "500": "Something went wrong on our side.",
}


def _load(app_path: Path) -> ModuleType:
    name = f"openapi_{app_path.parent.name}"
    spec = importlib.util.spec_from_file_location(name, app_path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # annotations are resolved through the module's entry
    with code_directory(app_path.parent):  # its routers sit beside it
        spec.loader.exec_module(module)
    return module


def _template_environment() -> dict[str, str]:
    """Every function's variables with the values the template gives them (parameter defaults included);
    those only known once deployed (names, ARNs) come from _DUMMY_ENV."""
    sam = load_template(REPO / "template.yaml")
    merged: dict[str, Any] = {}
    for variables in template_environments(sam, parameter_values(sam, None)).values():
        merged |= variables
    return {
        name: str(value) if isinstance(value, str | int | float | bool) else f"openapi-{name.lower()}"
        for name, value in merged.items()
    }


def build() -> dict[str, Any]:
    for key, value in (_template_environment() | _DUMMY_ENV).items():
        os.environ.setdefault(key, value)
    sys.path.insert(0, str(REPO / "layers" / "shared"))
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": VERSION, "description": DESCRIPTION},
        "paths": {},
        "components": {"schemas": {"Problem": PROBLEM_SCHEMA}},
    }
    for app_path in sorted((REPO / "functions").glob("*/app.py")):
        module = _load(app_path)
        app = getattr(module, "app", None)
        if app is None or not hasattr(app, "get_openapi_json_schema"):
            continue  # event-driven functions have no HTTP routes
        schema = json.loads(app.get_openapi_json_schema(title=TITLE, version=VERSION))
        for path, operations in schema.get("paths", {}).items():
            document["paths"].setdefault(path, {}).update(operations)
        for name, component in schema.get("components", {}).get("schemas", {}).items():
            known = document["components"]["schemas"].setdefault(name, component)
            if known != component:
                raise SystemExit(f"two functions define schema {name} differently; rename one")
    for operations in document["paths"].values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)  # Powertools' default validation error; ours is a 400 problem
            if "204" in responses:
                responses["204"].pop("content", None)  # Powertools documents a JSON null; a 204 has no body
            for status, description in _PROBLEM_RESPONSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                        },
                    },
                )
    _close_pattern_keys(document)
    _apply_template_routes(document)
    for name in ("HTTPValidationError", "ValidationError"):
        document["components"]["schemas"].pop(name, None)
    document["paths"] = dict(sorted(document["paths"].items()))
    return document


def _close_pattern_keys(node: Any) -> None:
    """A map whose keys the models constrain (`dict[Sku, int]`) is `patternProperties` in pydantic's JSON
    Schema, which still admits any other key; the models refuse them, so the document says so too."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_pattern_keys(value)
    elif isinstance(node, list):
        for value in node:
            _close_pattern_keys(value)


def _apply_template_routes(document: dict[str, Any]) -> None:
    """Every route the template declares has an operation in the code and the other way round; each
    protected route says it needs a bearer token."""
    from local.api_routes import load_routes  # noqa: PLC0415 - needs layers/shared on sys.path first

    declared = {(r.method.lower(), r.path): r for r in load_routes(REPO / "template.yaml")}
    coded = {(m, p) for p, ops in document["paths"].items() for m in ops}
    missing, extra = sorted(set(declared) - coded), sorted(coded - set(declared))
    if missing or extra:
        raise SystemExit(
            f"template and code disagree: routes without code {missing}, code without route {extra}"
        )
    for (method, path), route in declared.items():
        operation = document["paths"][path][method]
        if route.authorizer:
            operation["security"] = [{"bearerAuth": []}]
            operation["responses"].setdefault(
                "401",
                {
                    "description": "No valid bearer token.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
            )
            operation["responses"].setdefault(
                "403",
                {
                    "description": "Signed in, but not allowed.",
                    "content": {
                        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                    },
                },
            )
    document["components"]["securitySchemes"] = {
        "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "An ID token from the shop's Cognito user pool (locally: `make token`).",
        }
    }


def render() -> str:
    return json.dumps(build(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path)
    group.add_argument("--check", type=Path)
    args = parser.parse_args()
    text = render()
    if args.write:
        args.write.write_text(text)
        print(f"wrote {args.write}")
        return 0
    if not args.check.exists() or args.check.read_text() != text:
        print(f"{args.check} is out of date with the code: run `make openapi` and commit it", file=sys.stderr)
        return 1
    print(f"{args.check} matches the code")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
