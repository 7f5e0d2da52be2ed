"""The receiver-side verification example of docs/webhooks.md, loaded from the document itself, so the
tests run exactly the code a partner copies."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "webhooks.md"
HEADING = "### Verifying a delivery in Python"


def documented_verifier() -> Callable[..., bool]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(HEADING) :]
    match = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert match is not None, f"no python block under {HEADING!r} in docs/webhooks.md"
    namespace: dict[str, object] = {}
    exec(compile(match.group(1), str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    verifier = namespace["verify_commerce_signature"]
    assert callable(verifier)
    return verifier
