"""A function's code directory on the import path, as Lambda puts it, for the in-process runtime and the
OpenAPI build that load every function in one process."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def code_directory(code_dir: Path) -> Iterator[None]:
    """Import from a function's code directory, first on the path as Lambda puts it. The function's own
    modules (the routers beside app.py) are forgotten afterwards: another function's module of the same
    name, or this function loaded again by another runtime with other settings, imports its own."""
    before = set(sys.modules)
    sys.path.insert(0, str(code_dir))
    try:
        yield
    finally:
        sys.path.remove(str(code_dir))
        for name in set(sys.modules) - before:
            if Path(getattr(sys.modules[name], "__file__", None) or "/").is_relative_to(code_dir):
                del sys.modules[name]
