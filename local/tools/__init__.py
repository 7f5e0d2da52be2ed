"""Developer tools that work on the repository or on a running local stack; none of them is the stack."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ENDPOINTS_FILE = REPO / ".local" / "endpoints.json"
SHARED_LAYER = REPO / "layers" / "shared"


def use_shared_layer() -> None:
    """Put the shared layer on the path: the venv does not install it, and `python -m` runs without it."""
    if str(SHARED_LAYER) not in sys.path:
        sys.path.insert(0, str(SHARED_LAYER))
