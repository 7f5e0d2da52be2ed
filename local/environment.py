"""Put every function's environment into the one shared process environment, refusing conflicts."""

from __future__ import annotations

import os
from collections.abc import Iterable

from local.specs import FunctionSpec


class EnvironmentConflictError(ValueError):
    """Two functions need different values for one variable, which a shared process cannot give them."""


def merged_environment(functions: Iterable[FunctionSpec]) -> dict[str, str]:
    """All functions' variables in one mapping; raise when two functions disagree on a value."""
    merged: dict[str, str] = {}
    owner: dict[str, str] = {}
    for spec in functions:
        for name, value in spec.environment.items():
            if name in merged and merged[name] != value:
                raise EnvironmentConflictError(
                    f"{owner[name]} sets {name}={merged[name]!r} but {spec.logical_id} sets "
                    f"{name}={value!r}; the local stack runs every function in one process, "
                    "so give the variables distinct names"
                )
            merged[name] = value
            owner.setdefault(name, spec.logical_id)
    return merged


def apply(variables: dict[str, str]) -> dict[str, str | None]:
    """Set the variables in os.environ; return the previous values, for restore()."""
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    return previous


def restore(previous: dict[str, str | None]) -> None:
    """Undo apply()."""
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
