"""The .local/endpoints.json file through which tests and tools find the running local services."""

from __future__ import annotations

import json
import os
from pathlib import Path


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    partial.replace(path)  # atomic: a reader never sees half a file


def publish(path: Path, endpoints: dict[str, str]) -> None:
    """Merge these endpoints into the file, keeping the keys other services wrote."""
    _write(path, _read(path) | endpoints)


def withdraw(path: Path, endpoints: dict[str, str]) -> None:
    """Remove these endpoints if they still hold these values; delete the file once empty."""
    data = _read(path)
    remaining = {key: value for key, value in data.items() if endpoints.get(key) != value}
    if remaining == data:
        return
    if remaining:
        _write(path, remaining)
    else:
        path.unlink(missing_ok=True)
