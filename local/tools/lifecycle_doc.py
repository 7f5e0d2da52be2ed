"""Writes the generated section of docs/order-lifecycle.md (the transition table and its state diagram) from
commerce/domain/lifecycle.py, or checks it for drift.

python -m local.tools.lifecycle_doc --write
python -m local.tools.lifecycle_doc --check
"""

from __future__ import annotations

import argparse
import sys

from local.tools import REPO, use_shared_layer

use_shared_layer()

from commerce.domain.lifecycle import BEGIN, END, generated_section  # noqa: E402

DOC = REPO / "docs" / "order-lifecycle.md"


def documented(text: str) -> str:
    """The generated section as the document holds it (empty when it has none)."""
    if BEGIN not in text or END not in text:
        return ""
    return text[text.index(BEGIN) : text.index(END) + len(END)]


def rewritten(text: str) -> str:
    return text.replace(documented(text), generated_section()) if documented(text) else text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.tools.lifecycle_doc", description=__doc__)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = DOC.read_text(encoding="utf-8")
    if args.write:
        DOC.write_text(rewritten(text), encoding="utf-8")
        return 0
    if documented(text) != generated_section():
        print(
            f"{DOC} differs from commerce/domain/lifecycle.py:",
            "run python -m local.tools.lifecycle_doc --write",
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
