"""Expands infra/stack.yaml into the root template.yaml, and checks the committed copy for drift.

python -m infra.template --write   (make template)
python -m infra.template --check   (make template-check, and tests/unit/test_template_source.py)

template.yaml stays the one deployable template that sam, cfn-lint, checkov and the local stack read; this
only writes each repeated shape once (infra/shapes.py). Everything else in the source is copied as it is,
comments included.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from infra import shapes
from infra.blocks import Block, split

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "infra" / "stack.yaml"
TEMPLATE = REPO / "template.yaml"
HEADER = [
    "# Generated from infra/stack.yaml by `make template`: edit that file, then run it.",
    "# `make template-check` and tests/unit/test_template_source.py fail when the two differ.",
]
_SOURCE_ONLY = {"Checkov", "Statements"}


def render(source: str) -> str:
    """template.yaml for the text of infra/stack.yaml."""
    sections = split(source.splitlines(), 0)
    by_key = {block.key: block for block in sections if block.head is not None}
    reasons: shapes.Reasons = yaml.safe_load("\n".join(by_key["Checkov"].body))
    library = {block.key: _dedent(block.body) for block in split(by_key["Statements"].body, 2) if block.head}
    lines = list(HEADER)
    for index, section in enumerate(sections):
        if section.key in _SOURCE_ONLY:
            continue
        # The source's own opening comment (how to edit it) stays in the source.
        leading = [] if index == 0 else section.leading
        if section.key == "Resources":
            lines += [*leading, section.head or "", *_resources(section.body, reasons, library)]
        else:
            lines += [*leading, *([] if section.head is None else [section.head]), *section.body]
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n"


def _resources(body: list[str], reasons: shapes.Reasons, library: shapes.Library) -> list[str]:
    lines: list[str] = []
    for block in split(body, 2):
        shape = block.value if block.head is not None else ""
        name = block.key
        if shape == "!Function":
            lines += shapes.function(name, block, reasons, library)
        elif shape == "!LogGroup":
            lines += [*block.leading, *shapes.log_group(name)]
        elif shape == "!DeadLetterAlarm":
            lines += shapes.dead_letter_alarm(name, block)
        elif shape == "!BusinessAlarm":
            lines += shapes.business_alarm(name, block)
        else:
            lines += _with_checkov(block, reasons)
    return lines


def _with_checkov(block: Block, reasons: shapes.Reasons) -> list[str]:
    """A resource as written, its `Checkov` key (if any) turned into Metadata."""
    if block.head is None:
        return block.lines()
    lines = [*block.leading, block.head]
    for field in split(block.body, 4):
        if field.key == "Checkov" and field.head is not None:
            lines += [*field.leading, "    Metadata:", *shapes.checkov(field, reasons, 6)]
        else:
            lines += field.lines()
    return lines


def _dedent(lines: list[str]) -> list[str]:
    width = min(len(line) - len(line.lstrip(" ")) for line in lines if line.strip())
    return [line[width:] for line in lines]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="write template.yaml")
    mode.add_argument(
        "--check", action="store_true", help="fail if template.yaml is not what the source gives"
    )
    args = parser.parse_args(argv)
    expected = render(SOURCE.read_text(encoding="utf-8"))
    if args.write:
        TEMPLATE.write_text(expected, encoding="utf-8")
        return 0
    if TEMPLATE.read_text(encoding="utf-8") != expected:
        sys.stderr.write("template.yaml differs from infra/stack.yaml: run `make template`\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
