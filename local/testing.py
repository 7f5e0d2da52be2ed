"""Helpers for tests of the local stack and of adapters: moto in-process with dummy credentials."""

from __future__ import annotations

import os
import textwrap
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from moto import mock_aws

from local.aws import DUMMY_CREDENTIALS

_UNSET = ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN")


@contextmanager
def offline_aws(config: dict[str, Any] | None = None) -> Iterator[None]:
    """moto in-process (mock_aws with config), dummy credentials, no endpoint override; env restored after."""
    saved = {name: os.environ.get(name) for name in (*DUMMY_CREDENTIALS, *_UNSET)}
    for name in _UNSET:
        os.environ.pop(name, None)
    os.environ.update(DUMMY_CREDENTIALS)
    try:
        with mock_aws(config=config):  # type: ignore[arg-type]
            yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def unique_name(prefix: str) -> str:
    """A name no other test in this process uses: moto keeps one state while mock_aws blocks are nested."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def write_function(directory: Path, source: str) -> Path:
    """Write a function's app.py (source dedented) into directory; return the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return directory
