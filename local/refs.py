"""Find and rewrite references (Ref, Fn::GetAtt, Fn::Sub) to logical ids inside a template fragment."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# ${Name} or ${Name.Attr}; ${!Literal} is an escape and AWS::* are pseudo parameters.
SUB_VARIABLE = re.compile(r"\$\{(?!!)([A-Za-z0-9_:]+)(?:\.([A-Za-z0-9_.]+))?\}")

Resolver = Callable[[str, str | None], Any]
"""(logical_id, attribute or None for Ref) -> replacement value, or None to keep the reference."""


def _getatt_parts(value: Any) -> tuple[str, str]:
    if isinstance(value, str):
        logical_id, _, attribute = value.partition(".")
        return logical_id, attribute
    return str(value[0]), str(value[1])


def references(node: Any) -> set[str]:
    """Logical ids (and parameter names) that a fragment refers to; pseudo parameters excluded."""
    found: set[str] = set()

    def record(logical_id: str, attribute: str | None) -> None:
        if not logical_id.startswith("AWS::"):
            found.add(logical_id)

    replace_references(node, record)
    return found


def _sub_string(text: str, resolve: Resolver, shadowed: set[str]) -> str:
    def substitute(match: re.Match[str]) -> str:
        name, attribute = match.group(1), match.group(2)
        if name in shadowed or name.startswith("AWS::"):
            return match.group(0)
        value = resolve(name, attribute)
        return match.group(0) if value is None else str(value)

    return SUB_VARIABLE.sub(substitute, text)


def replace_references(node: Any, resolve: Resolver) -> Any:
    """Return a copy of node where each reference the resolver answers is replaced by its value."""
    if isinstance(node, list):
        return [replace_references(item, resolve) for item in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        ((key, value),) = node.items()
        if key in ("Ref", "Fn::GetAtt", "Fn::Sub"):
            return _replace_intrinsic(node, key, value, resolve)
    return {key: replace_references(value, resolve) for key, value in node.items()}


def _replace_intrinsic(node: dict[str, Any], key: str, value: Any, resolve: Resolver) -> Any:
    if key == "Fn::Sub":
        if isinstance(value, str):
            return {"Fn::Sub": _sub_string(value, resolve, set())}
        text, variables = value
        variables = replace_references(variables, resolve)
        return {"Fn::Sub": [_sub_string(text, resolve, set(variables)), variables]}
    if key == "Ref":
        replaced = None if str(value).startswith("AWS::") else resolve(str(value), None)
    else:
        replaced = resolve(*_getatt_parts(value))
    return node if replaced is None else replaced


def prune_depends_on(resources: dict[str, Any], gone: set[str]) -> None:
    """Drop DependsOn entries naming resources that are no longer in the template."""
    for resource in resources.values():
        depends = resource.get("DependsOn")
        if depends is None:
            continue
        kept = [d for d in ([depends] if isinstance(depends, str) else depends) if d not in gone]
        if kept:
            resource["DependsOn"] = kept
        else:
            del resource["DependsOn"]
