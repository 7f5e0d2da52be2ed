"""The event catalog (docs/events.md, docs/events/<DetailType>.v<version>.json): the schemas, the detail types
the code publishes, and the check of events against their schemas."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "docs" / "events"
CATALOG = ROOT / "docs" / "events.md"
SOURCE = "commerce"
_FILE = re.compile(r"^(?P<type>[A-Z][A-Za-z0-9]+)\.v(?P<version>[1-9][0-9]*)\.json$")


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


# what the code publishes
# The envelope's constructors: their first argument (or `type=` / `event_type=`) is the detail type.
# A function that passes one of its parameters on as the detail type (`_event(kind, ...)`,
# `shipment_event(kind, ...)`, `self._domain_event(kind, ...)`) publishes too: the scan finds such
# helpers itself, then reads their callers.
_CONSTRUCTORS = {"DomainEvent", "order_event"}
_TYPE_KEYWORDS = ("type", "event_type", "kind")
_Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True, slots=True)
class _Helper:
    parameter: str
    position: int  # among the positional parameters, `self` / `cls` not counted


@dataclass
class _Module:
    name: str  # dotted, e.g. commerce.domain.fulfillment
    path: str  # relative to the root, for messages
    tree: ast.Module
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)
    constants: dict[str, ast.expr] = field(default_factory=dict)  # module-level NAME = <expression>
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # local name -> (module, name)
    helpers: dict[str, _Helper] = field(default_factory=dict)  # functions defined here that publish

    @classmethod
    def parse(cls, name: str, path: str, source: str) -> _Module:
        module = cls(name, path, ast.parse(source))
        for parent in ast.walk(module.tree):
            for child in ast.iter_child_nodes(parent):
                module.parents[child] = parent
        for node in module.tree.body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        module.constants[target.id] = node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                module.constants[node.target.id] = node.value
        for found in ast.walk(module.tree):
            if isinstance(found, ast.ImportFrom):
                origin = found.module or ""
                if found.level:
                    package = name.split(".")[: -found.level]
                    origin = ".".join([*package, *([origin] if origin else [])])
                for alias in found.names:
                    module.imports[alias.asname or alias.name] = (origin, alias.name)
        return module

    def functions(self, node: ast.AST) -> list[_Function]:
        """The functions enclosing `node`, innermost first."""
        found = []
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, _Function):
                found.append(node)
        return found


def _module_name(path: Path, root: Path) -> str:
    relative = path.relative_to(root)
    parts = relative.parts[2:] if relative.parts[0] == "layers" else relative.parts  # layers/<layer>/...
    return ".".join([*parts[:-1], Path(parts[-1]).stem])


class _Scan:
    def __init__(self, modules: list[_Module]) -> None:
        self.modules = {m.name: m for m in modules}

    # which calls publish, and the expression naming the detail type in each
    def _helper(self, module: _Module, call: ast.Call) -> _Helper | None:
        if isinstance(call.func, ast.Name):
            name = call.func.id
            if name in module.helpers:
                return module.helpers[name]
            origin = module.imports.get(name)
            if origin and origin[0] in self.modules:
                return self.modules[origin[0]].helpers.get(origin[1])
        elif isinstance(call.func, ast.Attribute):  # self._domain_event(...): a method of this module
            return module.helpers.get(call.func.attr)
        return None

    def type_argument(self, module: _Module, call: ast.Call) -> ast.expr | None:
        """The detail-type argument when `call` publishes, else None."""
        name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
        if name in _CONSTRUCTORS:
            keyword = next((k.value for k in call.keywords if k.arg in _TYPE_KEYWORDS), None)
            return keyword if keyword is not None else (call.args[0] if call.args else None)
        helper = self._helper(module, call)
        if helper is None:
            return None
        keyword = next((k.value for k in call.keywords if k.arg == helper.parameter), None)
        if keyword is not None:
            return keyword
        return call.args[helper.position] if len(call.args) > helper.position else None

    def publishing_calls(self) -> Iterator[tuple[_Module, ast.Call, ast.expr | None]]:
        for module in self.modules.values():
            for node in ast.walk(module.tree):
                if isinstance(node, ast.Call):
                    argument = self.type_argument(module, node)
                    name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                    if argument is not None or name in _CONSTRUCTORS or self._helper(module, node):
                        yield module, node, argument

    def find_helpers(self) -> None:
        """Functions passing a parameter of theirs on as a publishing call's detail type, to a fixed point."""
        changed = True
        while changed:
            changed = False
            for module, call, argument in list(self.publishing_calls()):
                parameter = self.forwarded_parameter(module, call, argument)
                if parameter is None:
                    continue
                function, name, position = parameter
                if function.name not in module.helpers:
                    module.helpers[function.name] = _Helper(name, position)
                    changed = True

    def forwarded_parameter(
        self, module: _Module, call: ast.Call, argument: ast.expr | None
    ) -> tuple[_Function, str, int] | None:
        if not isinstance(argument, ast.Name):
            return None
        for function in module.functions(call):
            if _assignments(function, argument.id):
                return None
            positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
            if positional and positional[0] in ("self", "cls"):
                positional = positional[1:]
            if argument.id in positional:
                return function, argument.id, positional.index(argument.id)
            if argument.id in (a.arg for a in function.args.kwonlyargs):
                return function, argument.id, 1 << 30
        return None

    # the string constants an expression can take
    def strings(
        self, module: _Module, node: ast.AST | None, at: ast.AST, seen: frozenset[str] = frozenset()
    ) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.Name):
            return self._name(module, node.id, at, seen)
        mapping, defaults = _looked_up(node)
        found = self.elements(module, mapping, at, seen, values=True) if mapping is not None else set()
        for part in [*defaults, *_alternatives(node)]:
            found |= self.strings(module, part, at, seen)
        return found

    def _name(self, module: _Module, name: str, at: ast.AST, seen: frozenset[str]) -> set[str]:
        key = f"{module.name}:{name}:{id(at)}"
        if key in seen:
            return set()
        seen = seen | {key}
        for function in module.functions(at):
            bound = _assignments(function, name)
            if bound:
                found: set[str] = set()
                for value, is_loop in bound:
                    found |= (
                        self.elements(module, value, value, seen, values=False)
                        if is_loop
                        else self.strings(module, value, value, seen)
                    )
                return found
        defined = self._definition(module, name)
        if defined is None:
            return set()
        where, value = defined
        return self.strings(where, value, value, seen)

    def _definition(self, module: _Module, name: str) -> tuple[_Module, ast.expr] | None:
        if name in module.constants:
            return module, module.constants[name]
        origin = module.imports.get(name)
        if origin and origin[0] in self.modules:
            return self._definition(self.modules[origin[0]], origin[1])
        return None

    def elements(
        self, module: _Module, node: ast.AST, at: ast.AST, seen: frozenset[str], *, values: bool
    ) -> set[str]:
        """The strings a container holds: a mapping's values (`values`) or what iterating it gives."""
        if isinstance(node, ast.Name):
            defined = None
            if not module.functions(at) or not any(_assignments(f, node.id) for f in module.functions(at)):
                defined = self._definition(module, node.id)
            if defined is not None:
                return self.elements(defined[0], defined[1], defined[1], seen, values=values)
            return set()
        if isinstance(node, ast.Dict):
            items = node.values if values else [k for k in node.keys if k is not None]
            return set().union(*(self.strings(module, item, at, seen) for item in items))
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return set().union(*(self.strings(module, item, at, seen) for item in node.elts))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and not node.args
            and node.func.attr in ("values", "keys")
        ):  # for kind in MAPPING.values()
            return self.elements(module, node.func.value, at, seen, values=node.func.attr == "values")
        return set()


def _assignments(function: _Function, name: str) -> list[tuple[ast.expr, bool]]:
    """What `name` is bound to in `function`: (expression, whether a for loop iterates over it)."""
    bound: list[tuple[ast.expr, bool]] = []
    for node in ast.walk(function):
        targets: list[ast.expr]
        value: ast.expr | None
        if isinstance(node, ast.Assign):
            targets, value, loop = node.targets, node.value, False
        elif isinstance(node, ast.AnnAssign | ast.NamedExpr):
            targets, value, loop = [node.target], node.value, False
        elif isinstance(node, ast.For | ast.comprehension):
            targets, value, loop = [node.target], node.iter, True
        else:
            continue
        if value is not None and any(_is_name(target, name) for target in targets):
            bound.append((value, loop))
    return bound


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _alternatives(node: ast.AST | None) -> list[ast.expr]:
    """The expressions `a if c else b` or `a or b` may take."""
    if isinstance(node, ast.IfExp):
        return [node.body, node.orelse]
    if isinstance(node, ast.BoolOp):
        return list(node.values)
    return []


def _looked_up(node: ast.AST | None) -> tuple[ast.expr | None, list[ast.expr]]:
    """(MAPPING, defaults) for `MAPPING[key]` and `MAPPING.get(key[, default])`; (None, []) otherwise."""
    if isinstance(node, ast.Subscript):
        return node.value, []
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        return node.func.value, list(node.args[1:])
    return None, []


def _is_a_copy(node: ast.expr | None) -> bool:
    """`envelope["type"]` or `event.type`: a stored event published again, not a new detail type."""
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value == "type"
    return isinstance(node, ast.Attribute) and node.attr == "type"


def _python_scan(root: Path) -> _Scan:
    files = [*(root / "layers").rglob("*.py"), *(root / "functions").rglob("*.py")]
    scan = _Scan(
        [
            _Module.parse(
                _module_name(path, root), str(path.relative_to(root)), path.read_text(encoding="utf-8")
            )
            for path in sorted(files)
        ]
    )
    scan.find_helpers()
    return scan


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
    scan = _python_scan(root)
    for module, call, argument in scan.publishing_calls():
        for detail_type in scan.strings(module, argument, call):
            found.setdefault(detail_type, set()).add(module.path)
    for path in (root / "statemachines").glob("*.json"):
        for detail_type in _asl_detail_types(json.loads(path.read_text(encoding="utf-8"))):
            found.setdefault(detail_type, set()).add(str(path.relative_to(root)))
    return found


def unread_publishing_calls(root: Path = ROOT) -> list[str]:
    """`path:line` of each call publishing an event whose detail type the scan cannot tell: neither a string
    it can follow (literal, constant, mapping, loop), nor a parameter passed on by a helper, nor a stored
    event published again. Each one could publish a type without a schema unnoticed."""
    scan = _python_scan(root)
    unread = []
    for module, call, argument in scan.publishing_calls():
        if scan.strings(module, argument, call) or _is_a_copy(argument):
            continue
        if scan.forwarded_parameter(module, call, argument) is not None:
            continue
        unread.append(f"{module.path}:{call.lineno}")
    return unread


# checking events
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
