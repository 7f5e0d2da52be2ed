"""The in-memory fakes are test code: the Lambda layer and the functions ship without them and never name
them, so production cannot wire a fake by mistake."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FAKES = ROOT / "tests" / "fakes"
SHIPPED = (ROOT / "layers", ROOT / "functions")


def fake_names() -> set[str]:
    """Every class the fakes package defines, read from its source."""
    names: set[str] = set()
    for module in FAKES.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names.update(node.name for node in tree.body if isinstance(node, ast.ClassDef))
    return names


def shipped_sources() -> list[Path]:
    return [path for folder in SHIPPED for path in folder.rglob("*.py") if "__pycache__" not in path.parts]


def test_the_fakes_package_defines_the_in_memory_fakes() -> None:
    assert {"InMemoryOrders", "InMemoryInventory", "InMemoryOutbox"} <= fake_names()


def test_no_module_of_the_layer_is_an_in_memory_adapter() -> None:
    adapters = ROOT / "layers" / "shared" / "commerce" / "adapters"
    assert not [path.name for path in adapters.rglob("*.py") if path.stem.startswith(("memory", "in_memory"))]


def test_the_layer_and_the_functions_never_mention_the_fakes() -> None:
    names = fake_names()
    pattern = re.compile(
        r"tests[./]fakes|adapters[./]memory|\b(" + "|".join(sorted(names)) + r")\b",
    )
    mentions = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in shipped_sources()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert mentions == []
