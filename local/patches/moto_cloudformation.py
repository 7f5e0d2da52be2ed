"""What moto's CloudFormation builds, and template rewrites where it reads a property differently from AWS."""

from __future__ import annotations

import json
from typing import Any

from moto.cloudformation.parsing import NULL_MODELS, get_model_map

# moto stores these properties as given and later parses them as JSON strings.
_JSON_DOCUMENTS = {"AWS::KMS::Key": "KeyPolicy"}


def moto_supports(resource_type: str) -> bool:
    """Whether moto's CloudFormation builds this type (it only warns and skips the others)."""
    return resource_type in get_model_map() and resource_type not in NULL_MODELS


def _is_intrinsic(node: Any) -> bool:
    return isinstance(node, dict) and len(node) == 1 and next(iter(node)).startswith(("Ref", "Fn::"))


def json_document(node: Any) -> Any:
    """A JSON string for this document; intrinsics inside it become parts of an Fn::Join."""
    parts: list[Any] = []

    def emit(value: Any) -> None:
        if _is_intrinsic(value):
            parts.extend(['"', value, '"'])
        elif isinstance(value, dict):
            parts.append("{")
            for index, (key, item) in enumerate(value.items()):
                parts.append(("," if index else "") + json.dumps(key) + ":")
                emit(item)
            parts.append("}")
        elif isinstance(value, list):
            parts.append("[")
            for index, item in enumerate(value):
                parts.append("," if index else "")
                emit(item)
            parts.append("]")
        else:
            parts.append(json.dumps(value))

    emit(node)
    merged: list[Any] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return merged[0] if len(merged) == 1 else {"Fn::Join": ["", merged]}


def apply_moto_quirks(template: dict[str, Any]) -> None:
    """Rewrite, in place, the properties moto would otherwise mishandle."""
    for resource in template["Resources"].values():
        prop = _JSON_DOCUMENTS.get(resource["Type"])
        properties = resource.get("Properties", {})
        if prop and isinstance(properties.get(prop), dict | list):
            properties[prop] = json_document(properties[prop])
