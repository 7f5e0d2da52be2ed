"""The event catalog (docs/events.md, docs/events/<DetailType>.v<version>.json): the schemas, the detail types
the code publishes, and the check of events against their schemas."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "docs" / "events"
CATALOG = ROOT / "docs" / "events.md"
SOURCE = "commerce"
_FILE = re.compile(r"^(?P<type>[A-Z][A-Za-z0-9]+)\.v(?P<version>[1-9][0-9]*)\.json$")
# Calls whose first argument (or `type=`) is a detail type: the envelope's constructors.
_PUBLISHING_CALLS = {"DomainEvent", "order_event", "_domain_event"}


def schema_files() -> dict[tuple[str, int], Path]:
    found: dict[tuple[str, int], Path] = {}
    for path in sorted(SCHEMAS.glob("*.json")):
        match = _FILE.match(path.name)
        if match is None:
            raise AssertionError(f"{path.name}: schema files are named <DetailType>.v<version>.json")
        found[(match["type"], int(match["version"]))] = path
    return found


def schemas() -> dict[tuple[str, int], dict[str, Any]]:
    return {key: json.loads(path.read_text(encoding="utf-8")) for key, path in schema_files().items()}


# ---------------------------------------------------------------- what the code publishes
def _strings(node: ast.AST | None) -> Iterator[str]:
    """String constants a detail-type expression can take (a literal, or either branch of `a if c else b`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def _assigned(function: ast.AST, name: str) -> Iterator[str]:
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            yield from _strings(node.value)


def _python_detail_types(source: str) -> set[str]:
    tree = ast.parse(source)
    found: set[str] = set()
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    for scope in functions or [tree]:
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in _PUBLISHING_CALLS:
                continue
            argument = next((k.value for k in node.keywords if k.arg in ("type", "event_type", "kind")), None)
            if argument is None and node.args:
                argument = node.args[0]
            found |= set(_strings(argument))
            if isinstance(argument, ast.Name):
                found |= set(_assigned(scope, argument.id))
    return found


def _asl_detail_types(document: Any) -> Iterator[str]:
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "DetailType" and isinstance(value, str):
                yield value
            else:
                yield from _asl_detail_types(value)
    elif isinstance(document, list):
        for value in document:
            yield from _asl_detail_types(value)


def published_detail_types(root: Path = ROOT) -> dict[str, set[str]]:
    """{detail type: files that publish it} over layers/, functions/ and statemachines/."""
    found: dict[str, set[str]] = {}
    files = [*(root / "layers").rglob("*.py"), *(root / "functions").rglob("*.py")]
    for path in files:
        for detail_type in _python_detail_types(path.read_text(encoding="utf-8")):
            found.setdefault(detail_type, set()).add(str(path.relative_to(root)))
    for path in (root / "statemachines").glob("*.json"):
        for detail_type in _asl_detail_types(json.loads(path.read_text(encoding="utf-8"))):
            found.setdefault(detail_type, set()).add(str(path.relative_to(root)))
    return found


# ---------------------------------------------------------------- checking events
def problems(events: Iterable[Mapping[str, Any]]) -> list[str]:
    """What is wrong with each event as the bus delivered it (detail-type, source, detail): no schema for its
    type and version, or not valid against it. Empty when every event is fine."""
    known = {
        key: Draft202012Validator(schema, format_checker=FormatChecker()) for key, schema in schemas().items()
    }
    found: list[str] = []
    for event in events:
        detail = event.get("detail")
        envelope = json.loads(detail) if isinstance(detail, str) else detail
        detail_type = event.get("detail-type")
        if not isinstance(envelope, dict):
            found.append(f"{detail_type}: the detail is not a JSON object")
            continue
        label = f"{detail_type} {envelope.get('event_id')}"
        if event.get("source") != SOURCE:
            found.append(f"{label}: source {event.get('source')!r}, not {SOURCE!r}")
        if envelope.get("type") != detail_type:
            found.append(f"{label}: the envelope's type is {envelope.get('type')!r}")
        validator = known.get((str(detail_type), envelope.get("version")))  # type: ignore[arg-type]
        if validator is None:
            found.append(f"{label}: no schema docs/events/{detail_type}.v{envelope.get('version')}.json")
            continue
        for error in validator.iter_errors(envelope):
            path = "/".join(str(p) for p in error.absolute_path) or "(envelope)"
            found.append(f"{label}: {path}: {error.message}")
    return found
