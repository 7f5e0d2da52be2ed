"""The ERP stock import's port to the files dropped in the bucket (S3; an in-memory fake in the tests)."""

from __future__ import annotations

from typing import Protocol


class DroppedFiles(Protocol):
    def read(self, bucket: str, key: str, version: str | None) -> str:
        """The object's text (UTF-8); NotFound when it is gone, ValidationFailed when it is not text."""
        ...

    def write(self, bucket: str, key: str, body: str, content_type: str) -> None: ...
